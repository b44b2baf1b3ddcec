import type { APIEmbed } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { FAILURE_TEXT } from '../../src/clips/reasons.js';
import { pingsIn, type MessageBody } from '../../standins/discord/index.js';
import { ANSWER_WAIT_MS, clipLinks, startE2E, waitFor, type E2E } from '../helpers/e2e-harness.js';

/** Slash commands through real discord.js against the Discord stand-in, and posts. */

let scene: E2E | undefined;
afterEach(async () => {
  await scene?.stop();
  scene = undefined;
});

const DANA = { id: '200000000000000001', username: 'dana', globalName: 'Dana' };

/** What the member finally sees: the immediate answer, or the edit of the deferred one. */
async function answerOf(s: E2E, interactionId: string): Promise<MessageBody> {
  const callback = await s.discord.waitForResponse(interactionId);
  if (callback.type === 4) return (callback.body.data ?? {}) as MessageBody;
  expect(callback.type).toBe(5);
  return (await s.discord.waitForEdit(interactionId, () => true, ANSWER_WAIT_MS)).body;
}

function slash(
  s: E2E,
  name: string,
  opts: {
    subcommand?: string;
    options?: Record<string, string | number>;
    admin?: boolean;
  } = {},
): string {
  return s.discord.invokeCommand({
    guildId: s.guild.id,
    user: DANA,
    name,
    ...(opts.subcommand ? { subcommand: opts.subcommand } : {}),
    options: opts.options ?? {},
    ...(opts.admin ? { permissions: 'ManageGuild' } : {}),
  }).interactionId;
}

/** Text as Discord renders it: markdown escapes removed. */
function rendered(text: string): string {
  return text.replace(/\\([^A-Za-z0-9\s])/g, '$1');
}

function textOf(body: MessageBody): string {
  const parts = [body.content ?? ''];
  for (const e of body.embeds ?? []) parts.push(...embedTexts(e));
  return rendered(parts.join('\n'));
}

function embedTexts(e: APIEmbed): string[] {
  return [
    e.title ?? '',
    e.description ?? '',
    e.footer?.text ?? '',
    e.author?.name ?? '',
    ...(e.fields ?? []).flatMap((f) => [f.name, f.value]),
  ];
}

describe('/clip', () => {
  it('is deferred within 3 s, then edited with an embed holding the watch and edit links', async () => {
    scene = await startE2E({ discord: true });
    const s = scene;
    await s.link();

    const id = slash(s, 'clip', { options: { title: 'clean run' } });
    const callback = await s.discord.waitForResponse(id);
    expect(callback.type).toBe(5);
    expect(callback.latencyMs).toBeLessThan(3000);

    const edit = await s.discord.waitForEdit(
      id,
      (e) => (e.body.embeds?.length ?? 0) > 0,
      ANSWER_WAIT_MS,
    );
    const created = s.world.twitch.createdClips();
    expect(created).toHaveLength(1);
    expect(created[0]!.title).toBe('clean run');
    const links = clipLinks(created[0]!);
    const embed = edit.body.embeds![0]!;
    expect(embed.url).toBe(links.watch);
    const all = embedTexts(embed).join('\n');
    expect(all).toContain(links.watch);
    expect(all).toContain(links.edit);
    expect(all).toContain('Dana');
    expect(edit.body.allowed_mentions?.parse).toEqual([]);
    expect(s.discord.entries('rejected')).toEqual([]);
  });

  it('answers clearly when the channel is offline', async () => {
    scene = await startE2E({ discord: true });
    const s = scene;
    await s.link();
    s.world.twitch.setLive(s.channel, false);

    const body = await answerOf(s, slash(s, 'clip'));
    expect(textOf(body)).toContain(FAILURE_TEXT.offline);
    expect(s.world.twitch.createdClips()).toEqual([]);
  });

  it('answers clearly when the channel has clips disabled on Twitch', async () => {
    scene = await startE2E({ discord: true });
    const s = scene;
    await s.link();
    s.world.twitch.setChannel(s.channel, { clips: 'disabled' });

    const body = await answerOf(s, slash(s, 'clip'));
    expect(textOf(body)).toContain(FAILURE_TEXT.clips_disabled);
  });

  it('answers clearly when clipping is turned off for the channel', async () => {
    scene = await startE2E({ discord: true });
    const s = scene;
    await s.link();
    const ref = await s.services.channels.byLogin(s.channel);
    await s.services.settings.update(ref!.id, { enabled: false });

    const body = await answerOf(s, slash(s, 'clip'));
    expect(textOf(body)).toMatch(/Clipping is off for .*clipconfig on/);
    expect(s.world.twitch.count('POST', '/clips')).toBe(0);
  });

  it('tells a server that never linked a channel how to link one', async () => {
    scene = await startE2E({ discord: true });
    const body = await answerOf(scene, slash(scene, 'clip'));
    expect(textOf(body)).toMatch(/no Twitch channel linked yet.*\/clipbot link/);
    expect(scene.world.twitch.count('POST', '/clips')).toBe(0);
  });

  it('keeps a title with @everyone, a user mention and markdown inert', async () => {
    scene = await startE2E({ discord: true });
    const s = scene;
    await s.link();
    const evil = '@everyone <@123> **markdown** @here';

    const id = slash(s, 'clip', { options: { title: evil } });
    const edit = await s.discord.waitForEdit(
      id,
      (e) => (e.body.embeds?.length ?? 0) > 0,
      ANSWER_WAIT_MS,
    );
    // Twitch gets the title as typed; Discord shows it without any effect.
    expect(s.world.twitch.createdClips()[0]!.title).toBe(evil);
    expectInert(edit.body);
    expect(edit.body.embeds![0]!.title).toMatch(/everyone.*123.*markdown/);
  });
});

/** Nothing in the body pings, even if allowed_mentions were dropped, and no markdown works. */
function expectInert(body: MessageBody): void {
  expect(body.allowed_mentions?.parse).toEqual([]);
  expect(pingsIn(body)).toEqual([]);
  expect(pingsIn({ content: body.content })).toEqual([]);
  for (const e of body.embeds ?? []) {
    for (const text of embedTexts(e)) {
      expect(pingsIn({ content: text })).toEqual([]);
      expect(text).not.toContain('**markdown**');
    }
  }
}

describe('/clipbot link', () => {
  it('is refused without Manage Server and applied with it; the bot then joins that chat', async () => {
    scene = await startE2E({
      discord: true,
      channels: ['streamer', 'second_streamer'],
      joinChannels: ['streamer'],
    });
    const s = scene;
    expect(s.world.chat.joined('second_streamer')).toBe(false);

    const refused = await answerOf(
      s,
      slash(s, 'clipbot', { subcommand: 'link', options: { twitch_channel: 'second_streamer' } }),
    );
    expect(textOf(refused)).toMatch(/Manage Server/);
    expect(await s.services.links.forGuild(s.guild.id)).toEqual([]);

    const linked = await answerOf(
      s,
      slash(s, 'clipbot', {
        subcommand: 'link',
        options: { twitch_channel: 'second_streamer' },
        admin: true,
      }),
    );
    expect(textOf(linked)).toMatch(/Linked second_streamer/);
    const links = await s.services.links.forGuild(s.guild.id);
    expect(links.map((l) => l.twitch.login)).toEqual(['second_streamer']);
    await waitFor(() => s.world.chat.joined('second_streamer'), {
      what: 'the bot to join #second_streamer',
    });

    // The link is live: /clip here now clips that channel.
    const edit = await s.discord.waitForEdit(
      slash(s, 'clip'),
      (e) => (e.body.embeds?.length ?? 0) > 0,
      8000,
    );
    const created = s.world.twitch.createdClips();
    expect(created).toHaveLength(1);
    expect(created[0]!.broadcasterId).toBe(s.world.twitch.userId('second_streamer'));
    expect(edit.body.embeds![0]!.url).toBe(clipLinks(created[0]!).watch);
  });
});

describe('/clipbot link post_channel', () => {
  it("refuses another server's channel, so no server can make the bot post elsewhere", async () => {
    scene = await startE2E({ discord: true });
    const s = scene;
    const elsewhere = s.discord.addGuild({ name: 'Someone else', channels: ['their-clips'] });
    const theirs = elsewhere.channels[0]!.id;

    const refused = await answerOf(
      s,
      slash(s, 'clipbot', {
        subcommand: 'link',
        options: { twitch_channel: s.channel, post_channel: theirs },
        admin: true,
      }),
    );
    expect(textOf(refused)).toBe('Pick a channel of this server.');
    expect(await s.services.links.forGuild(s.guild.id)).toEqual([]);

    const own = await answerOf(
      s,
      slash(s, 'clipbot', {
        subcommand: 'link',
        options: { twitch_channel: s.channel, post_channel: s.channelId('clips') },
        admin: true,
      }),
    );
    expect(textOf(own)).toMatch(/^Linked .*also posted in <#\d+>\.$/);
    expect(await s.services.links.postTargets(s.world.twitch.userId(s.channel))).toEqual([
      { guildId: s.guild.id, channelId: s.channelId('clips') },
    ]);
  });
});

describe('posts to a linked channel', () => {
  it('posts a clip made from Twitch chat to the linked post channel, inert', async () => {
    scene = await startE2E({ discord: true });
    const s = scene;
    await s.link(s.channel, 'clips');
    const clipsChannel = s.channelId('clips');

    const asked = s.say('!clip @everyone <@123> **markdown**', {
      login: 'vivian',
      displayName: 'Vivian',
    });
    const reply = await s.replyTo(asked);
    const posted = await s.discord.waitForMessage(clipsChannel, () => true, ANSWER_WAIT_MS);
    const created = s.world.twitch.createdClips();
    expect(created).toHaveLength(1);
    const links = clipLinks(created[0]!);
    expect(reply.text).toContain(links.watch);
    const texts = (posted.body.embeds ?? []).flatMap(embedTexts).join('\n');
    expect(texts).toContain(links.watch);
    expect(texts).toContain(links.edit);
    expect(texts).toContain('Vivian');
    expectInert(posted.body);
    // Only the linked channel gets it.
    expect(s.discord.messagesIn(s.channelId('general'))).toEqual([]);
  });
});

describe('/clips top', () => {
  it("lists the channel's clips by views, most viewed first", async () => {
    scene = await startE2E({ discord: true });
    const s = scene;
    await s.link();
    const views = [10, 500, 42, 7, 1000];
    s.world.twitch.seedClips(s.channel, views.length, {
      viewCount: (i) => views[i]!,
      title: (i) => `seeded ${views[i]}`,
    });

    const body = await answerOf(
      s,
      slash(s, 'clips', { subcommand: 'top', options: { period: 'all' } }),
    );
    const fields = body.embeds?.[0]?.fields ?? [];
    expect(fields.map((f) => rendered(f.name))).toEqual([
      '1. seeded 1000',
      '2. seeded 500',
      '3. seeded 42',
      '4. seeded 10',
      '5. seeded 7',
    ]);
    expect(fields[0]!.value).toMatch(/1,000 views · https:\/\/clips\.twitch\.tv\//);
  });
});
