import { EventEmitter, once } from 'node:events';
import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IncomingCommand } from '../../src/core/command.js';
import {
  DiscordAdapter,
  DiscordLoginError,
  DiscordRequestError,
} from '../../src/chat/discord/index.js';
import { isUndeliverable } from '../../src/replies/delivery-errors.js';
import { ClipKeys } from '../../src/clips/keys.js';
import { FAILURE_TEXT } from '../../src/clips/reasons.js';
import { ReplyDispatcher } from '../../src/replies/reply-dispatcher.js';
import type { ClipOutcome, ClipRequest, ReplyEnvelope } from '../../src/core/clip.js';
import { createLogger } from '../../src/logger.js';
import { Metrics } from '../../src/ops/metrics.js';
import { DiscordStandIn, pingsIn, type StandInGuild } from '../../standins/discord/index.js';
import { cleanupPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';
import { encodeReplyEntry } from '../../src/core/reply-envelope.js';

const VIEWER = { id: '300000000000000001', username: 'viewer', globalName: 'Viewer One' };

let standIn: DiscordStandIn;
let guild: StandInGuild;
let channelId: string;
let redis: Redis;
let prefix: string;
let adapter: DiscordAdapter | undefined;
let logText: string;
let metrics: Metrics;
/** Every IncomingCommand the adapter hands over, as 'command' events. */
let commands: EventEmitter;
let onCommand: (input: IncomingCommand) => Promise<void>;

function logStream(): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      logText += chunk.toString();
      done();
    },
  });
}

async function startAdapter(token = standIn.botToken): Promise<DiscordAdapter> {
  const a = new DiscordAdapter({
    token,
    applicationId: standIn.applicationId,
    apiUrl: standIn.apiUrl,
    redis,
    prefix,
    log: createLogger({ level: 'trace', format: 'json', destination: logStream() }),
    metrics,
    readyTimeoutMs: 5000,
    onCommand: (input) => {
      commands.emit('command', input);
      return onCommand(input);
    },
    onAutocomplete: async (_input, focused) =>
      ['alpha_tv', 'alphabet', 'beta']
        .filter((n) => n.startsWith(focused.value))
        .map((n) => ({ name: n, value: n })),
  });
  adapter = a;
  await a.start();
  return a;
}

/** Invokes a command and returns what the adapter handed to the router. */
async function invoke(
  input: Omit<Parameters<DiscordStandIn['invokeCommand']>[0], 'guildId' | 'user'> & {
    user?: typeof VIEWER;
    guildId?: string | null;
  },
): Promise<{ interactionId: string; token: string; incoming: IncomingCommand }> {
  const received = once(commands, 'command') as Promise<[IncomingCommand]>;
  const { guildId, user, ...rest } = input;
  const ids = standIn.invokeCommand({
    ...rest,
    guildId: guildId === null ? undefined : (guildId ?? guild.id),
    user: user ?? VIEWER,
  });
  const [incoming] = await received;
  return { ...ids, incoming };
}

function request(incoming: IncomingCommand, displayName = 'Viewer One'): ClipRequest {
  return {
    requestId: incoming.requestId,
    broadcasterId: '1001',
    broadcasterLogin: 'streamer',
    broadcasterName: 'Streamer',
    title: 'great play',
    duration: 30,
    requester: { platform: 'discord', userId: incoming.user.id, displayName },
    replyTo: incoming.replyTarget,
    requestedAt: incoming.receivedAt,
  };
}

function envelope(
  requests: ClipRequest[],
  outcome: ClipOutcome,
  post?: ReplyEnvelope['post'],
): ReplyEnvelope {
  return {
    platform: 'discord',
    requests,
    ...(post ? { post } : {}),
    result: {
      jobId: 'job-1',
      broadcasterId: '1001',
      broadcasterLogin: 'streamer',
      broadcasterName: 'Streamer',
      outcome,
      finishedAt: Date.now(),
    },
  };
}

const created = (title = 'great play'): ClipOutcome => ({
  status: 'created',
  clip: {
    id: 'AwkwardHelplessSalamanderSwiftRage',
    url: 'https://clips.twitch.tv/AwkwardHelplessSalamanderSwiftRage',
    editUrl: 'https://clips.twitch.tv/AwkwardHelplessSalamanderSwiftRage/edit',
    title,
    broadcasterName: 'Streamer',
    thumbnailUrl: 'https://clips-media-assets2.twitch.tv/abc-preview-480x272.jpg',
    duration: 30,
    createdAt: '2024-05-01T12:00:00Z',
  },
});

beforeEach(async () => {
  standIn = new DiscordStandIn({ heartbeatIntervalMs: 1000 });
  await standIn.start();
  guild = standIn.addGuild({ name: 'Stream fans', channels: ['general', 'clips'] });
  channelId = guild.channels[0]?.id ?? '';
  redis = testRedis();
  prefix = uniquePrefix('discord');
  logText = '';
  metrics = new Metrics();
  commands = new EventEmitter();
  onCommand = async () => undefined;
});

afterEach(async () => {
  await adapter?.stop();
  adapter = undefined;
  await standIn.stop();
  await cleanupPrefix(redis, prefix);
  await redis.quit();
});

describe('DiscordAdapter', () => {
  it('logs in through the stand-in and reports ready', async () => {
    const a = await startAdapter();
    expect(a.isConnected()).toBe(true);
    expect(a.ready()).toBe(true);
    expect(standIn.gatewayConnections()).toBe(1);
    await a.stop();
    expect(a.ready()).toBe(false);
  });

  it('fails login with a clear error on a bad bot token', async () => {
    const bad = 'MTIz.bad.token-that-discord-refuses';
    const err = await startAdapter(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiscordLoginError);
    expect((err as Error).message).toMatch(/refused the bot token.*DISCORD_TOKEN/);
    expect((err as Error).message).not.toContain(bad);
    expect(adapter?.isConnected()).toBe(false);
  });

  it('defers a command within 3 s, hands it to the router, then edits in the clip embed', async () => {
    await startAdapter();
    const { interactionId, incoming } = await invoke({
      name: 'clip',
      options: { channel: 'streamer', duration: 30, title: 'great play' },
    });
    const ack = await standIn.waitForResponse(interactionId);
    expect(ack.type).toBe(5);
    expect(ack.latencyMs).toBeLessThan(3000);
    expect(incoming).toMatchObject({
      platform: 'discord',
      guildId: guild.id,
      discordChannelId: channelId,
      structured: {
        command: 'clip',
        options: { channel: 'streamer', duration: 30, title: 'great play' },
      },
      user: {
        id: VIEWER.id,
        login: 'viewer',
        displayName: 'Viewer One',
        role: 'everyone',
        canManageServer: false,
      },
      replyTarget: { platform: 'discord', interactionId, guildId: guild.id, channelId },
    });

    await adapter?.deliver(envelope([request(incoming)], created()));
    const edit = await standIn.waitForEdit(interactionId);
    expect(edit.body.allowed_mentions).toEqual({ parse: [] });
    const embed = edit.body.embeds?.[0];
    expect(embed?.title).toBe('great play');
    expect(embed?.url).toBe('https://clips.twitch.tv/AwkwardHelplessSalamanderSwiftRage');
    expect(embed?.thumbnail?.url).toBe(
      'https://clips-media-assets2.twitch.tv/abc-preview-480x272.jpg',
    );
    const fields = Object.fromEntries((embed?.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields.Channel).toBe('[Streamer](https://www.twitch.tv/streamer)');
    expect(fields['Asked by']).toBe('Viewer One');
    expect(fields.Duration).toBe('30 s');
    expect(fields.Links).toContain('(https://clips.twitch.tv/AwkwardHelplessSalamanderSwiftRage)');
    expect(fields.Links).toContain(
      '(https://clips.twitch.tv/AwkwardHelplessSalamanderSwiftRage/edit)',
    );
    expect(standIn.originalResponse(interactionId)?.edited).toBe(true);
  });

  it('is timed once per answer, by the reply dispatcher', async () => {
    const a = await startAdapter();
    const keys = new ClipKeys(prefix, 'clips');
    const blocking: Redis[] = [];
    const dispatcher = new ReplyDispatcher({
      redis,
      blocking: () => {
        const b = testRedis();
        blocking.push(b);
        return b;
      },
      keys,
      log: createLogger({ level: 'silent', format: 'json' }),
      metrics,
      blockMs: 100,
      readyPollMs: 20,
    });
    try {
      dispatcher.register(a);
      await dispatcher.start();
      const { interactionId, incoming } = await invoke({ name: 'clip' });
      await redis.xadd(
        keys.replies('discord'),
        '*',
        ...encodeReplyEntry(envelope([request(incoming)], created())),
      );
      await standIn.waitForEdit(interactionId);
      // Acknowledged once settled: by then the answer has been timed.
      for (const until = Date.now() + 5_000; Date.now() < until;) {
        if ((await redis.xlen(keys.replies('discord'))) === 0) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(await redis.xlen(keys.replies('discord'))).toBe(0);
      expect(
        await metrics.registry.getSingleMetricAsString('clipbot_request_to_answer_seconds'),
      ).toContain('clipbot_request_to_answer_seconds_count{platform="discord"} 1');
    } finally {
      await dispatcher.close();
      for (const b of blocking) b.disconnect();
    }
  });

  it('edits the deferred reply with the reason when the clip failed', async () => {
    await startAdapter();
    const { interactionId, incoming } = await invoke({ name: 'clip' });
    await adapter?.deliver(envelope([request(incoming)], { status: 'failed', reason: 'offline' }));
    const edit = await standIn.waitForEdit(interactionId);
    expect(edit.body.content).toBe(`Could not clip Streamer: ${FAILURE_TEXT.offline}`);
    expect(edit.body.embeds).toEqual([]);
    expect(edit.body.allowed_mentions).toEqual({ parse: [] });
  });

  it('posts a `post` envelope in the linked channel', async () => {
    await startAdapter();
    const clipsChannel = guild.channels[1]?.id ?? '';
    const fromTwitch: ClipRequest = {
      ...request(
        { requestId: 'tw-1', user: { id: '77' }, receivedAt: Date.now() } as IncomingCommand,
        'ChatFan',
      ),
      requester: { platform: 'twitch', userId: '77', displayName: 'ChatFan' },
      replyTo: { platform: 'twitch', channel: 'streamer', parentMessageId: 'm1' },
    };
    await adapter?.deliver(
      envelope([fromTwitch], created(), { guildId: guild.id, channelId: clipsChannel }),
    );
    const msg = await standIn.waitForMessage(clipsChannel);
    expect(msg.body.allowed_mentions).toEqual({ parse: [] });
    expect(msg.body.embeds?.[0]?.url).toBe(
      'https://clips.twitch.tv/AwkwardHelplessSalamanderSwiftRage',
    );
    const asked = msg.body.embeds?.[0]?.fields?.find((f) => f.name === 'Asked by');
    expect(asked?.value).toBe('ChatFan (in Twitch chat)');
    expect(standIn.entries('edit')).toHaveLength(0);
  });

  it('edits every asker’s reply when requests were coalesced into one clip', async () => {
    await startAdapter();
    const a = await invoke({ name: 'clip' });
    const b = await invoke({
      name: 'clip',
      user: { ...VIEWER, id: '300000000000000002', username: 'two' },
    });
    await adapter?.deliver(
      envelope([request(a.incoming, 'Ann'), request(b.incoming, 'Bob')], created()),
    );
    for (const id of [a.interactionId, b.interactionId]) {
      const edit = await standIn.waitForEdit(id);
      expect(edit.body.embeds?.[0]?.fields?.find((f) => f.name === 'Asked by')?.value).toBe(
        'Ann and Bob',
      );
    }
  });

  it('refuses for good, rather than retries, an answer whose interaction and channel are gone', async () => {
    await startAdapter();
    const { interactionId, incoming } = await invoke({ name: 'clip' });
    await standIn.waitForResponse(interactionId);
    standIn.expireInteraction(interactionId);
    const gone = '999999999999999999';
    const req = request(incoming);
    const lost = { ...req, replyTo: { ...incoming.replyTarget, channelId: gone } } as ClipRequest;
    const err = await adapter?.deliver(envelope([lost], created())).catch((e: unknown) => e);
    expect(isUndeliverable(err)).toBe(true);
    expect((err as { reason?: string }).reason).toBe('discord_10003');
    expect((err as Error).message).not.toContain(standIn.botToken);
    expect(standIn.entries('rejected')).toContainEqual(
      expect.objectContaining({ status: 404, code: 10003 }),
    );
    expect(logText).toContain('Discord refused the message; dropped');
  });

  it('refuses for good an answer whose interaction is gone outside a server', async () => {
    await startAdapter();
    const { interactionId, incoming } = await invoke({ name: 'clip', guildId: null });
    await standIn.waitForResponse(interactionId);
    standIn.expireInteraction(interactionId);
    const err = await adapter
      ?.deliver(envelope([request(incoming)], created()))
      .catch((e: unknown) => e);
    expect(isUndeliverable(err)).toBe(true);
    expect((err as { reason?: string }).reason).toBe('interaction_gone');
    expect(standIn.entries('message')).toEqual([]);
  });

  it('refuses for good a post whose channel is not in the linked server, or is gone', async () => {
    await startAdapter();
    const elsewhere = standIn.addGuild({ name: 'Other server', channels: ['their-clips'] });
    const theirs = elsewhere.channels[0]?.id ?? '';
    const fromTwitch = {
      ...request({ requestId: 'tw', user: { id: '7' }, receivedAt: 0 } as IncomingCommand),
      replyTo: { platform: 'twitch' as const, channel: 'streamer' },
    };
    const reasons: unknown[] = [];
    for (const channel of [theirs, '999999999999999999']) {
      const err = await adapter
        ?.deliver(envelope([fromTwitch], created(), { guildId: guild.id, channelId: channel }))
        .catch((e: unknown) => e);
      expect(isUndeliverable(err)).toBe(true);
      reasons.push((err as { reason?: string }).reason);
    }
    expect(reasons).toEqual(['foreign_channel', 'channel_gone']);
    expect(standIn.entries('message')).toEqual([]);
    expect(logText.match(/post channel is not in the linked server; post dropped/g)).toHaveLength(
      2,
    );
    // The same channel with its own server is posted in.
    await adapter?.deliver(
      envelope([fromTwitch], created(), { guildId: elsewhere.id, channelId: theirs }),
    );
    await standIn.waitForMessage(theirs);
  });

  it("refuses a command naming another server's channel before the router sees it", async () => {
    await startAdapter();
    const elsewhere = standIn.addGuild({ name: 'Other server', channels: ['their-clips'] });
    const theirs = elsewhere.channels[0]?.id ?? '';
    const seen: IncomingCommand[] = [];
    commands.on('command', (i: IncomingCommand) => seen.push(i));
    const { interactionId } = standIn.invokeCommand({
      guildId: guild.id,
      user: VIEWER,
      name: 'clipbot',
      subcommand: 'link',
      options: { twitch_channel: 'streamer', post_channel: theirs },
      permissions: 'ManageGuild',
    });
    const edit = await standIn.waitForEdit(interactionId);
    expect(edit.body.content).toBe('Pick a channel of this server.');
    expect(seen).toEqual([]);
    expect(logText).toContain('channel option outside the server');

    // One of this server's own channels goes through.
    const own = await invoke({
      name: 'clipbot',
      subcommand: 'link',
      options: { twitch_channel: 'streamer', post_channel: guild.channels[1]?.id ?? '' },
      permissions: 'ManageGuild',
    });
    expect(own.incoming.structured?.options.post_channel).toBe(guild.channels[1]?.id);
  });

  it('throws, so the envelope is retried, when Discord cannot be reached', async () => {
    await startAdapter();
    const { incoming } = await invoke({ name: 'clip' });
    await standIn.stop();
    const err = await adapter
      ?.deliver(envelope([request(incoming)], created()))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiscordRequestError);
    expect((err as DiscordRequestError).permanent).toBe(false);
    expect(isUndeliverable(err)).toBe(false);
    expect((err as Error).message).not.toContain(standIn.botToken);
  });

  it('makes a title holding @everyone, <@123> and **markdown** inert', async () => {
    await startAdapter();
    const nasty = '@everyone <@123> **markdown** @here';
    onCommand = (input) => input.reply(`You asked for "${nasty}"`);
    const first = await invoke({ name: 'clip', options: { title: nasty } });
    const reply = await standIn.waitForEdit(first.interactionId);
    expect(pingsIn(reply.body)).toEqual([]);
    expect(reply.body.content).toContain('\\*\\*markdown\\*\\*');
    expect(reply.body.content).not.toMatch(/@everyone|@here|<@123>/);

    onCommand = async () => undefined;
    const second = await invoke({ name: 'clip', options: { title: nasty } });
    const req = { ...request(second.incoming, '**Bold** @everyone'), title: nasty };
    await adapter?.deliver(envelope([req], created(nasty)));
    const edit = await standIn.waitForEdit(second.interactionId);
    expect(edit.body.allowed_mentions).toEqual({ parse: [] });
    expect(pingsIn(edit.body)).toEqual([]);
    const embed = edit.body.embeds?.[0];
    expect(embed?.title).toContain('\\*\\*markdown\\*\\*');
    expect(embed?.title).not.toMatch(/@everyone|@here|<@123>/);
    const asked = embed?.fields?.find((f) => f.name === 'Asked by')?.value ?? '';
    expect(asked).toContain('\\*\\*Bold\\*\\*');
    expect(asked).not.toContain('@everyone');
    const all = JSON.stringify(edit.body);
    expect(all).not.toMatch(/[^\\]\*\*markdown/);
  });

  it('keeps the interaction token in Redis with a TTL, and out of the logs', async () => {
    await startAdapter();
    const { interactionId, token, incoming } = await invoke({ name: 'clip' });
    const key = `${prefix}:discord:interaction:${interactionId}`;
    expect(await redis.get(key)).toBe(token);
    const ttl = await redis.ttl(key);
    expect(ttl).toBeGreaterThan(890);
    expect(ttl).toBeLessThanOrEqual(900);
    expect(JSON.stringify(incoming.replyTarget)).not.toContain(token);
    await adapter?.deliver(envelope([request(incoming)], created()));
    await standIn.waitForEdit(interactionId);
    expect(logText).toContain(interactionId);
    expect(logText).not.toContain(token);
    expect(logText).not.toContain(standIn.botToken);
  });

  it('posts in the channel when the interaction token has expired', async () => {
    await startAdapter();
    const { interactionId, incoming } = await invoke({ name: 'clip' });
    await standIn.waitForResponse(interactionId);
    standIn.expireInteraction(interactionId);
    await adapter?.deliver(envelope([request(incoming)], created()));
    const msg = await standIn.waitForMessage(channelId);
    expect(msg.body.embeds?.[0]?.title).toBe('great play');
    expect(standIn.entries('rejected')).toContainEqual(
      expect.objectContaining({ status: 401, code: 50027 }),
    );
  });

  it('reads subcommands and Manage Server from the member permissions', async () => {
    await startAdapter();
    const postChannel = guild.channels[1]?.id ?? '';
    const { incoming } = await invoke({
      name: 'clipbot',
      subcommand: 'link',
      options: { twitch_channel: 'streamer', post_channel: postChannel },
      permissions: 'ManageGuild',
    });
    expect(incoming.structured).toEqual({
      command: 'clipbot',
      subcommand: 'link',
      options: { twitch_channel: 'streamer', post_channel: postChannel },
    });
    expect(incoming.user.canManageServer).toBe(true);
    const plain = await invoke({ name: 'clipbot', subcommand: 'unlink' });
    expect(plain.incoming.user.canManageServer).toBe(false);
    const admin = await invoke({
      name: 'clipbot',
      subcommand: 'unlink',
      permissions: 'Administrator',
    });
    expect(admin.incoming.user.canManageServer).toBe(true);
  });

  it('passes no guild for a command used outside a server', async () => {
    await startAdapter();
    onCommand = (input) => input.reply('Use me in a server.');
    const { interactionId, incoming } = await invoke({ name: 'clip', guildId: null });
    expect(incoming.guildId).toBeUndefined();
    expect((await standIn.waitForEdit(interactionId)).body.content).toBe('Use me in a server.');
  });

  it('answers ephemerally with a follow-up and removes the public placeholder', async () => {
    await startAdapter();
    onCommand = (input) => input.reply({ text: 'only you', ephemeral: true });
    const { interactionId } = await invoke({ name: 'clipbot', subcommand: 'settings' });
    const follow = await standIn.waitFor('followup', (e) => e.interactionId === interactionId);
    expect(follow.body).toMatchObject({
      content: 'only you',
      flags: 64,
      allowed_mentions: { parse: [] },
    });
    await standIn.waitFor('delete', (e) => e.interactionId === interactionId);
    expect(standIn.originalResponse(interactionId)).toBeUndefined();
  });

  it('answers with the internal-error text when the router throws', async () => {
    await startAdapter();
    onCommand = () => Promise.reject(new Error('boom'));
    const { interactionId } = await invoke({ name: 'clip' });
    const edit = await standIn.waitForEdit(interactionId);
    expect(edit.body.content).toBe(`Sorry, ${FAILURE_TEXT.internal}`);
    expect(logText).toContain('command failed');
  });

  it('answers autocomplete with the router’s choices', async () => {
    await startAdapter();
    const { interactionId } = standIn.invokeAutocomplete({
      guildId: guild.id,
      user: VIEWER,
      name: 'clip',
      options: { channel: 'alph', duration: 20 },
      focused: 'channel',
    });
    const res = await standIn.waitForResponse(interactionId);
    expect(res.type).toBe(8);
    expect(res.body.data?.choices).toEqual([
      { name: 'alpha_tv', value: 'alpha_tv' },
      { name: 'alphabet', value: 'alphabet' },
    ]);
  });

  it('still answers after the gateway drops and resumes', async () => {
    const a = await startAdapter();
    standIn.disconnectGateway();
    const { interactionId } = await invoke({ name: 'clip' });
    expect((await standIn.waitForResponse(interactionId)).type).toBe(5);
    expect(a.isConnected()).toBe(true);
  });
});
