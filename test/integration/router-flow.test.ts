import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { allCommands, type AllCommandsOptions } from '../../commands/index.js';
import { MAX_LINKS_PER_GUILD } from '../../commands/clipbot.js';
import { clipChannelPolicy } from '../../commands/clip-policy.js';
import {
  UserError,
  type CommandDefinition,
  type CommandServices,
  type CommandUser,
  type IncomingCommand,
  type OptionValue,
  type RichReply,
} from '../../src/core/command.js';
import { CommandRouter, GENERIC_FAILURE } from '../../src/chat/router.js';
import { defaultConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { Metrics } from '../../src/ops/metrics.js';
import { RedisChannelDirectory } from '../../src/store/redis-channel-directory.js';
import { RedisChatChannels } from '../../src/store/redis-chat-channels.js';
import { RedisCooldownStore } from '../../src/store/redis-cooldown-store.js';
import { RedisDiscordLinks } from '../../src/store/redis-discord-links.js';
import { RedisSettingsStore } from '../../src/store/redis-settings-store.js';
import {
  startPipelineHarness,
  waitFor,
  type PipelineHarness,
} from '../helpers/pipeline-harness.js';
import { testRedis } from '../helpers/redis.js';

/**
 * The router with every real part: Redis stores, the clip pipeline (BullMQ) and Helix
 * against the Twitch stand-in. Answers given at once are recorded from reply(); clip
 * answers are read from the pipeline's reply stream.
 */

type Answer = string | RichReply;
const textOf = (a: Answer | undefined) => (typeof a === 'string' ? a : a?.text);

interface Fixture {
  harness: PipelineHarness;
  router: CommandRouter;
  services: Omit<CommandServices, 'commands'>;
  metrics: Metrics;
  logs: string[];
  streamer: { id: string; login: string; displayName: string };
  /** Every immediate answer, in order. */
  said: Answer[];
  twitch(
    text: string,
    user?: Partial<CommandUser>,
  ): Promise<{ requestId: string; answers: Answer[] }>;
  discord(
    command: string,
    subcommand: string | undefined,
    options: Record<string, OptionValue | undefined>,
    user?: Partial<CommandUser>,
    guildId?: string,
  ): Promise<Answer[]>;
  newRouter(
    config?: Partial<Config>,
    extra?: CommandDefinition[],
    commands?: AllCommandsOptions,
  ): CommandRouter;
  close(): Promise<void>;
}

const open: Fixture[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((f) => f.close()));
});

const viewer: CommandUser = {
  id: 'u-viewer',
  login: 'viewer',
  displayName: 'Viewer',
  role: 'everyone',
};

async function fixture(
  opts: { config?: Partial<Config>; extra?: CommandDefinition[] } = {},
): Promise<Fixture> {
  const harness = await startPipelineHarness({ channels: ['streamer'] });
  const { redis, prefix, helix } = harness;
  const streamer = harness.channel('streamer');
  const logs: string[] = [];
  const log = createLogger({
    level: 'info',
    format: 'json',
    destination: new Writable({
      write(chunk: Buffer, _enc, done) {
        logs.push(chunk.toString());
        done();
      },
    }),
  });
  const baseConfig = defaultConfig({ TWITCH_CHANNELS: ['streamer'], COALESCE_WINDOW_S: 2 });
  const subscribers: ReturnType<typeof testRedis>[] = [];
  const chatChannels = new RedisChatChannels({
    redis,
    prefix,
    configured: baseConfig.TWITCH_CHANNELS,
    subscriber: () => {
      const s = testRedis();
      subscribers.push(s);
      return s;
    },
  });
  const services: Omit<CommandServices, 'commands'> = {
    config: baseConfig,
    log,
    helix,
    clips: harness.pipeline.service,
    settings: new RedisSettingsStore({ redis, prefix }),
    cooldowns: new RedisCooldownStore({ redis, prefix }),
    links: new RedisDiscordLinks({ redis, prefix }),
    channels: new RedisChannelDirectory({ redis, prefix, helix }),
    chatChannels,
  };
  const metrics = new Metrics();
  const newRouter = (
    config: Partial<Config> = {},
    extra: CommandDefinition[] = [],
    commands: AllCommandsOptions = {},
  ) =>
    new CommandRouter({
      commands: [...allCommands(commands), ...extra],
      services: { ...services, config: { ...baseConfig, ...config } },
      log,
      metrics,
    });
  const said: Answer[] = [];
  let n = 0;
  const f: Fixture = {
    harness,
    router: newRouter(opts.config, opts.extra),
    services,
    metrics,
    logs,
    streamer,
    said,
    async twitch(text, user = {}) {
      const requestId = `msg-${++n}`;
      const answers: Answer[] = [];
      const input: IncomingCommand = {
        platform: 'twitch',
        requestId,
        receivedAt: Date.now(),
        user: { ...viewer, ...user },
        twitchChannel: streamer,
        replyTarget: { platform: 'twitch', channel: 'streamer', parentMessageId: requestId },
        reply: async (a) => {
          answers.push(a);
          said.push(a);
        },
        chatText: text,
      };
      await f.router.handle(input);
      return { requestId, answers };
    },
    async discord(command, subcommand, options, user = {}, guildId = 'g1') {
      const answers: Answer[] = [];
      const id = `int-${++n}`;
      await f.router.handle({
        platform: 'discord',
        requestId: id,
        receivedAt: Date.now(),
        user: { ...viewer, id: 'd-viewer', ...user },
        guildId,
        discordChannelId: '5550000000000009',
        replyTarget: {
          platform: 'discord',
          interactionId: id,
          guildId,
          channelId: '5550000000000009',
        },
        reply: async (a) => {
          answers.push(a);
          said.push(a);
        },
        structured: { command, subcommand, options },
      });
      return answers;
    },
    newRouter,
    async close() {
      await chatChannels.close();
      await Promise.all(subscribers.map((s) => s.quit().catch(() => undefined)));
      await harness.close();
    },
  };
  open.push(f);
  return f;
}

/** The clip answer for one request, from the pipeline's Twitch reply stream. */
async function clipAnswer(
  f: Fixture,
  requestId: string,
  platform: 'twitch' | 'discord' = 'twitch',
) {
  const sender = f.harness.senders[platform];
  await waitFor(() => sender.answersFor(requestId).length > 0, { what: `answer to ${requestId}` });
  return sender.answersFor(requestId)[0]!;
}

describe('router: !clip reaches the pipeline', () => {
  it('queues the clip with duration, title and requester, and says nothing at once', async () => {
    const f = await fixture();
    const { requestId, answers } = await f.twitch('clip 20 what a   play');
    expect(answers).toEqual([]);
    const envelope = await clipAnswer(f, requestId);
    expect(envelope.result.outcome.status).toBe('created');
    const [req] = envelope.requests;
    expect(req).toMatchObject({
      requestId,
      broadcasterId: f.streamer.id,
      broadcasterLogin: 'streamer',
      title: 'what a play',
      duration: 20,
      requester: { platform: 'twitch', userId: viewer.id, displayName: viewer.displayName },
      replyTo: { platform: 'twitch', channel: 'streamer', parentMessageId: requestId },
    });
    expect(f.harness.standIn.createdClips()).toMatchObject([
      { title: 'what a play', duration: 20 },
    ]);
    expect(await f.metrics.registry.getSingleMetricAsString('clipbot_commands_total')).toContain(
      'clipbot_commands_total{platform="twitch",command="clip"} 1',
    );
  });

  it('leaves the title to Twitch when none is given and the template is plain', async () => {
    const f = await fixture();
    const { requestId } = await f.twitch('clip');
    const envelope = await clipAnswer(f, requestId);
    expect(envelope.requests[0]?.title).toBeUndefined();
    expect(envelope.requests[0]?.duration).toBe(30);
  });
});

describe('router: gates', () => {
  it('ignores unknown commands on Twitch and answers them briefly on Discord', async () => {
    const f = await fixture();
    expect((await f.twitch('uptime')).answers).toEqual([]);
    expect((await f.twitch('clipbot settings')).answers).toEqual([]);
    expect(await f.discord('nope', undefined, {})).toEqual(['Unknown command.']);
    expect(await f.discord('clipconfig', 'on', {}, { role: 'broadcaster' })).toEqual([
      '/clipconfig is not available on Discord.',
    ]);
    expect(
      await f.metrics.registry.getSingleMetricAsString('clipbot_commands_total'),
    ).not.toContain('command="clipbot"');
  });

  it('answers a disabled channel once per user on Twitch, always on Discord, and clips nothing', async () => {
    const f = await fixture();
    await f.services.settings.update(f.streamer.id, { enabled: false });
    const first = await f.twitch('clip');
    expect(first.answers).toEqual([
      'Clipping is off for streamer; the broadcaster or a moderator can turn it on with !clipconfig on.',
    ]);
    expect((await f.twitch('clip')).answers).toEqual([]);
    expect((await f.twitch('clip', { id: 'someone-else' })).answers).toHaveLength(1);

    await f.services.links.link('g1', f.streamer);
    const d1 = await f.discord('clip', undefined, {});
    const d2 = await f.discord('clip', undefined, {});
    expect(textOf(d1[0])).toMatch(
      /^Clipping is off for streamer; .*!clipconfig on in its Twitch chat\.$/,
    );
    expect(d2).toEqual(d1);
    expect(f.harness.standIn.createdClips()).toEqual([]);
  });

  it('checks enabled before permission, permission before arguments, arguments before cooldown', async () => {
    const f = await fixture();
    await f.services.settings.update(f.streamer.id, { enabled: false, permission: 'moderator' });
    expect(textOf((await f.twitch('clip')).answers[0])).toMatch(/^Clipping is off/);

    expect((await f.twitch('clipconfig who admins')).answers).toEqual([
      'Only moderators and the broadcaster can use !clipconfig.',
    ]);

    await f.services.settings.update(f.streamer.id, { enabled: true, permission: 'everyone' });
    expect((await f.twitch('clip 99')).answers).toEqual(['duration must be between 5 and 60.']);
    // The mistake took no cooldown: the next request goes through.
    const ok = await f.twitch('clip 10');
    expect(ok.answers).toEqual([]);
    expect((await clipAnswer(f, ok.requestId)).requests[0]?.duration).toBe(10);
  });

  it('reads a leading number as the title unless it could mean seconds', async () => {
    const f = await fixture();
    const year = await f.twitch('clip 2024 was the year', { id: 'u-year' });
    expect(year.answers).toEqual([]);
    expect((await clipAnswer(f, year.requestId)).requests[0]).toMatchObject({
      duration: 30,
      title: '2024 was the year',
    });
    expect((await f.twitch('clip 90', { id: 'u-long' })).answers).toEqual([
      'duration must be between 5 and 60.',
    ]);
    const play = await f.twitch('clip 45 what a play', { id: 'u-play' });
    expect((await clipAnswer(f, play.requestId)).requests[0]).toMatchObject({
      duration: 45,
      title: 'what a play',
    });
  });

  it('checks permission on every call, not once per user', async () => {
    const f = await fixture();
    const same = { id: 'u-flip', login: 'flip', displayName: 'Flip' };
    expect((await f.twitch('clipconfig off', { ...same, role: 'moderator' })).answers).toEqual([
      'Clipping is now off; !clipconfig on turns it back on.',
    ]);
    const refused = await f.twitch('clipconfig on', { ...same, role: 'everyone' });
    expect(refused.answers).toEqual(['Only moderators and the broadcaster can use !clipconfig.']);
    expect((await f.services.settings.get(f.streamer.id)).enabled).toBe(false);
    // Refusals do not flood chat: the same user is not told again within the window.
    expect((await f.twitch('clipconfig on', { ...same, role: 'vip' })).answers).toEqual([]);
    expect((await f.twitch('clipconfig on', { ...same, role: 'broadcaster' })).answers).toEqual([
      'Clipping is now on.',
    ]);
  });

  it("applies the channel's clip permission setting", async () => {
    const f = await fixture();
    await f.services.settings.update(f.streamer.id, { permission: 'subscriber' });
    expect((await f.twitch('clip')).answers).toEqual([
      'Only subscribers, VIPs and moderators can clip in this channel.',
    ]);
    const sub = await f.twitch('clip', { id: 'u-sub', role: 'subscriber' });
    expect(sub.answers).toEqual([]);
    await clipAnswer(f, sub.requestId);

    // Discord cannot prove a Twitch role, so the channel cannot be clipped from there; the
    // answer says so, every time (each interaction waits), even to a server's manager.
    await f.services.links.link('g1', f.streamer);
    const why =
      'streamer only lets subscribers and up clip (set by its moderators in Twitch chat), so clipping from Discord is off for it.';
    expect(await f.discord('clip', undefined, {})).toEqual([why]);
    expect(await f.discord('clip', undefined, {}, { canManageServer: true })).toEqual([why]);
    await f.services.settings.update(f.streamer.id, { permission: 'moderator' });
    expect(await f.discord('clip', undefined, { channel: 'streamer' })).toEqual([
      'streamer only lets moderators and up clip (set by its moderators in Twitch chat), so clipping from Discord is off for it.',
    ]);
    expect(f.harness.standIn.createdClips()).toHaveLength(1);
  });

  it('refuses inside the user cooldown with one notice, then silence; moderators pass', async () => {
    const f = await fixture();
    const first = await f.twitch('clip');
    const again = [];
    for (let i = 0; i < 5; i++) again.push(await f.twitch('clip'));
    const notices = again.flatMap((r) => r.answers);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/^Wait 1[45]s before your next clip\.$/);
    await clipAnswer(f, first.requestId);
    expect(f.harness.senders.twitch.answeredRequests.map((r) => r.requestId)).toEqual([
      first.requestId,
    ]);

    const mod = { id: 'u-mod', role: 'moderator' as const };
    const m1 = await f.twitch('clip', mod);
    const m2 = await f.twitch('clip', mod);
    expect([...m1.answers, ...m2.answers]).toEqual([]);
    await clipAnswer(f, m2.requestId);
  });

  it('lets requests join the clip in progress but refuses after the coalescing window', async () => {
    const f = await fixture();
    await f.services.settings.update(f.streamer.id, { channelCooldownS: 60, userCooldownS: 0 });
    const a = await f.twitch('clip', { id: 'u-a' });
    const b = await f.twitch('clip', { id: 'u-b' });
    expect([...a.answers, ...b.answers]).toEqual([]);
    const envelope = await clipAnswer(f, b.requestId);
    expect(envelope.requests.map((r) => r.requestId).sort()).toEqual(
      [a.requestId, b.requestId].sort(),
    );

    f.router = f.newRouter({ COALESCE_WINDOW_S: 0 });
    const c = await f.twitch('clip', { id: 'u-c' });
    expect(c.answers).toHaveLength(1);
    expect(c.answers[0]).toMatch(/^The next clip in this channel is possible in \d+s\.$/);
    expect((await f.twitch('clip', { id: 'u-c' })).answers).toEqual([]);
  });

  it('answers every refusal on Discord, where the deferred interaction waits', async () => {
    const f = await fixture();
    await f.services.links.link('g1', f.streamer);
    expect(await f.discord('clip', undefined, {})).toEqual([]);
    const r1 = await f.discord('clip', undefined, {});
    const r2 = await f.discord('clip', undefined, {});
    expect(textOf(r1[0])).toMatch(/^Wait \d+s before your next clip\.$/);
    expect(textOf(r2[0])).toMatch(/^Wait \d+s before your next clip\.$/);
  });

  it("takes no cooldown for a clip the channel's settings refuse", async () => {
    const f = await fixture();
    f.router = f.newRouter({ COALESCE_WINDOW_S: 0 });
    await f.services.settings.update(f.streamer.id, {
      maxDuration: 30,
      channelCooldownS: 60,
      userCooldownS: 15,
    });
    const me = { id: 'u-long' };
    expect((await f.twitch('clip 40', me)).answers).toEqual([
      'Clips here are 5 to 30 seconds long.',
    ]);
    expect((await f.twitch('clip -49h', me)).answers).toEqual([
      'Clips of the past reach back at most 48 hours.',
    ]);
    // Neither the asker's cooldown nor the channel's was started: both clip at once.
    const mine = await f.twitch('clip 30', me);
    expect(mine.answers).toEqual([]);
    expect((await clipAnswer(f, mine.requestId)).requests[0]?.duration).toBe(30);
    expect(f.harness.standIn.createdClips()).toHaveLength(1);
  });

  it("keeps a user's own cooldown when the channel's cooldown refuses them (both or neither)", async () => {
    const f = await fixture();
    f.router = f.newRouter({ COALESCE_WINDOW_S: 0 });
    await f.services.settings.update(f.streamer.id, { channelCooldownS: 60, userCooldownS: 30 });
    const first = await f.twitch('clip', { id: 'u-first' });
    expect(first.answers).toEqual([]);
    const refused = await f.twitch('clip', { id: 'u-late' });
    expect(refused.answers[0]).toMatch(/^The next clip in this channel is possible in \d+s\.$/);

    // Once the channel may clip again, the refused viewer is not held back by a cooldown
    // their refused request never used.
    await f.services.settings.update(f.streamer.id, { channelCooldownS: 0 });
    const again = await f.twitch('clip', { id: 'u-late' });
    expect(again.answers).toEqual([]);
    await clipAnswer(f, again.requestId);
    // The first viewer's cooldown was taken with their clip.
    expect((await f.twitch('clip', { id: 'u-first' })).answers[0]).toMatch(
      /^Wait \d+s before your next clip\.$/,
    );
  });

  it('gives back the clip cooldowns of a request the command refuses', async () => {
    let calls = 0;
    const picky: CommandDefinition = {
      name: 'picky',
      description: 'refuses its first call',
      usage: 'picky',
      permission: 'everyone',
      channelPolicy: clipChannelPolicy,
      async execute(ctx) {
        calls += 1;
        if (calls === 1) throw new UserError('Not now.');
        await ctx.reply('done');
      },
    };
    const f = await fixture({ extra: [picky], config: { COALESCE_WINDOW_S: 0 } });
    await f.services.settings.update(f.streamer.id, { channelCooldownS: 60, userCooldownS: 30 });
    expect((await f.twitch('picky', { id: 'u-p' })).answers).toEqual(['Not now.']);
    expect((await f.twitch('picky', { id: 'u-p' })).answers).toEqual(['done']);
    expect((await f.twitch('picky', { id: 'u-q' })).answers[0]).toMatch(
      /^The next clip in this channel is possible in \d+s\.$/,
    );
  });

  it('turns a UserError into its message and a bug into a logged generic answer', async () => {
    const boom: CommandDefinition = {
      name: 'boom',
      description: 'fails',
      usage: 'boom',
      permission: 'everyone',
      options: [{ name: 'kind', description: 'kind', type: 'string' }],
      async execute(ctx) {
        if (ctx.options.kind === 'user') throw new UserError('You did it wrong.');
        throw new Error('database on fire');
      },
    };
    const f = await fixture({ extra: [boom] });
    expect((await f.twitch('boom user')).answers).toEqual(['You did it wrong.']);
    expect((await f.twitch('boom')).answers).toEqual([GENERIC_FAILURE]);
    const line = f.logs.find((l) => l.includes('database on fire'));
    expect(line).toBeDefined();
    expect(JSON.parse(line!)).toMatchObject({ command: 'boom', msg: 'command failed' });

    // An adapter whose reply fails does not make handle() throw.
    await expect(
      f.router.handle({
        platform: 'twitch',
        requestId: 'r',
        receivedAt: Date.now(),
        user: viewer,
        twitchChannel: f.streamer,
        replyTarget: { platform: 'twitch', channel: 'streamer' },
        reply: () => Promise.reject(new Error('socket closed')),
        chatText: 'boom',
      }),
    ).resolves.toBeUndefined();
  });

  it('handles a 10,000-character line and control characters with one short answer', async () => {
    const f = await fixture();
    const long = await f.twitch(`clip ${'x'.repeat(10_000)}`);
    expect(long.answers).toEqual(['title is too long (at most 100 characters).']);
    // The same mistake again is not answered again for a while; a moderator's always is.
    expect((await f.twitch(`clip ${'y'.repeat(10_000)}`)).answers).toEqual([]);
    const mod = { id: 'u-mod', role: 'moderator' as const };
    expect((await f.twitch('clipconfig delay 99', mod)).answers).toHaveLength(1);
    expect((await f.twitch('clipconfig delay 99', mod)).answers).toHaveLength(1);
    const odd = await f.twitch('clip\u0000\u0007 12 nice\r\n\u0085one\u{E0000}', { id: 'u-odd' });
    expect(odd.answers).toEqual([]);
    expect((await clipAnswer(f, odd.requestId)).requests[0]).toMatchObject({
      duration: 12,
      title: 'nice one',
    });
  });
});

describe('router: Discord channel resolution', () => {
  it('helps a server that linked nothing, and refuses channels it did not link', async () => {
    const f = await fixture();
    expect(await f.discord('clip', undefined, {})).toEqual([
      'This server has no Twitch channel linked yet; someone with Manage Server can link one with /clipbot link.',
    ]);
    expect(await f.discord('clip', undefined, { channel: 'streamer' })).toEqual([
      'streamer is not linked to this server; someone with Manage Server can link it with /clipbot link.',
    ]);
    expect(await f.discord('clip', undefined, { channel: 'no_such_user' })).toEqual([
      'Twitch has no channel named "no_such_user".',
    ]);
  });

  it('clips the linked channel with the Discord requester and reply target', async () => {
    const f = await fixture();
    await f.services.links.link('g1', f.streamer);
    expect(await f.discord('clip', undefined, { title: '  ace\u0000 ', duration: 15 })).toEqual([]);
    const envelope = await clipAnswer(f, 'int-1', 'discord');
    expect(envelope.requests[0]).toMatchObject({
      title: 'ace',
      duration: 15,
      requester: { platform: 'discord', userId: 'd-viewer' },
      replyTo: { platform: 'discord', interactionId: 'int-1', guildId: 'g1' },
    });
  });

  it('asks which channel when a server linked several', async () => {
    const f = await fixture();
    await f.services.links.link('g1', f.streamer);
    await f.services.links.link('g1', f.harness.channel('other'));
    expect(await f.discord('clip', undefined, {})).toEqual([
      'This server links several channels; pick one: other, streamer.',
    ]);
    const choices = await f.router.autocomplete(
      {
        platform: 'discord',
        requestId: 'ac',
        receivedAt: Date.now(),
        user: viewer,
        guildId: 'g1',
        replyTarget: { platform: 'discord', interactionId: 'ac', guildId: 'g1', channelId: 'c' },
        reply: async () => undefined,
        structured: { command: 'clip', options: { channel: 'str' } },
      },
      { name: 'channel', value: 'str' },
    );
    expect(choices).toEqual([{ name: 'streamer', value: 'streamer' }]);
  });
});

describe('commands: !clipconfig', () => {
  const mod = { id: 'u-mod', role: 'moderator' as const };

  it('shows the settings in one line', async () => {
    const f = await fixture();
    expect((await f.twitch('clipconfig', mod)).answers).toEqual([
      'streamer: clipping on · who: everyone · cooldown: channel 0s, user 15s · duration 30s (5-60) · title: {title} · delay 0s · auto clips off (normal, cooldown 120s, chat quiet, raids off)',
    ]);
  });

  it('turns automatic clips on and off and changes their settings, moderators only', async () => {
    const f = await fixture();
    const run = async (text: string, user: Partial<CommandUser> = mod) =>
      (await f.twitch(text, user)).answers;
    expect(await run('clipconfig auto on', { id: 'u-v', role: 'everyone' })).toEqual([
      'Only moderators and the broadcaster can use !clipconfig.',
    ]);
    expect((await f.services.settings.get(f.streamer.id)).autoEnabled).toBe(false);
    expect(await run('clipconfig auto on')).toEqual([
      'Automatic clips are now on (sensitivity normal, at most one every 120s; quiet in chat, posted to the linked Discord channel).',
    ]);
    expect(await run('clipconfig auto sensitivity high')).toEqual([
      'Automatic clip sensitivity is now high.',
    ]);
    expect(await run('clipconfig auto sensitivity extreme')).toEqual([
      'Usage: !clipconfig auto sensitivity low|normal|high',
    ]);
    expect(await run('clipconfig auto cooldown 90')).toEqual([
      'Automatic clips now come at most one every 90s.',
    ]);
    expect(await run('clipconfig auto cooldown 5')).toEqual([
      'The automatic clip cooldown is 30 to 3600 seconds.',
    ]);
    expect(await run('clipconfig auto chat on')).toEqual([
      'Automatic clips are now announced in chat.',
    ]);
    expect(await run('clipconfig auto raids on')).toEqual([
      'Raid greetings can now make an automatic clip.',
    ]);
    expect(await run('clipconfig auto raids maybe')).toEqual([
      'Usage: !clipconfig auto raids on|off',
    ]);
    expect(await run('clipconfig auto')).toEqual([
      'Usage: !clipconfig auto <on|off|sensitivity|cooldown|chat|raids> [value] (setting is missing)',
    ]);
    expect(await f.services.settings.get(f.streamer.id)).toMatchObject({
      autoEnabled: true,
      autoSensitivity: 'high',
      autoCooldownS: 90,
      autoChat: true,
      autoRaids: true,
    });
    expect(textOf((await f.twitch('clipconfig', mod)).answers[0])).toMatch(
      / · auto clips on \(high, cooldown 90s, chat on, raids on\)$/,
    );
    expect(await run('clipconfig auto off')).toEqual(['Automatic clips are now off.']);
    expect((await f.services.settings.get(f.streamer.id)).autoEnabled).toBe(false);
  });

  it('answers, stores and applies every change at once', async () => {
    const f = await fixture();
    const run = async (text: string) => (await f.twitch(text, mod)).answers;
    expect(await run('clipconfig who vips')).toEqual([
      'Now VIPs and up can clip, in Twitch chat only (Discord cannot show Twitch roles).',
    ]);
    expect(await run('clipconfig who everyone')).toEqual(['Now everyone can clip.']);
    expect(await run('clipconfig cooldown channel 0')).toEqual(['Channel cooldown is now 0s.']);
    expect(await run('clipconfig cooldown user 0')).toEqual(['Per-user cooldown is now 0s.']);
    expect(await run('clipconfig duration 12 6 40')).toEqual([
      'Clips are now 12s by default, 6-40s allowed.',
    ]);
    expect(await run('clipconfig duration 50')).toEqual([
      'Durations need min <= default <= max (now 6 <= 50 <= 40).',
    ]);
    expect(await run('clipconfig title {title} (clipped by {user})')).toEqual([
      'Title template is now: {title} (clipped by {user})',
    ]);
    expect(await run('clipconfig delay 1')).toEqual(['Clips now capture 1s after the request.']);
    expect(await f.services.settings.get(f.streamer.id)).toMatchObject({
      permission: 'everyone',
      userCooldownS: 0,
      defaultDuration: 12,
      minDuration: 6,
      maxDuration: 40,
      titleTemplate: '{title} (clipped by {user})',
      delayS: 1,
    });

    expect((await f.twitch('clip 45 x')).answers).toEqual(['Clips here are 6 to 40 seconds long.']);
    const req = await f.twitch('clip big moment');
    const envelope = await clipAnswer(f, req.requestId);
    expect(envelope.requests[0]).toMatchObject({
      duration: 12,
      delayS: 1,
      title: 'big moment (clipped by Viewer)',
    });

    expect(await run('clipconfig title reset')).toEqual([
      "Title template reset: the viewer's title, else Twitch's default.",
    ]);
    expect(await run('clipconfig delay 0')).toEqual(['Clips now capture at once.']);
    expect(await run('clipconfig off')).toEqual([
      'Clipping is now off; !clipconfig on turns it back on.',
    ]);
    expect(textOf((await f.twitch('clip', { id: 'u-late' })).answers[0])).toMatch(
      /^Clipping is off/,
    );
  });

  it("fills the stream's title into a template when the viewer gave none", async () => {
    const f = await fixture();
    f.harness.standIn.setLive('streamer', true, { title: 'Any% attempts' });
    await f.services.settings.update(f.streamer.id, { titleTemplate: '{title} by {user}' });
    const req = await f.twitch('clip');
    expect((await clipAnswer(f, req.requestId)).requests[0]?.title).toBe('Any% attempts by Viewer');
  });
});

describe('commands: !cliphelp', () => {
  it('shows what this user may use, in one line, per platform', async () => {
    const f = await fixture();
    expect((await f.twitch('cliphelp')).answers).toEqual([
      '!clip [-2m] [seconds] [title] · !clips [day|week|month|all] · !vod · !cliphelp [command] · !clipinfo <clip>',
    ]);
    expect(
      textOf((await f.twitch('cliphelp', { id: 'm', role: 'moderator' })).answers[0]),
    ).toContain('!clipconfig [on|off|who|cooldown|duration|title|delay|auto] (moderators)');
    expect((await f.twitch('cliphelp clipconfig', { id: 'm2' })).answers).toEqual([
      '!clipconfig show | on | off | who <everyone|subscribers|vips|mods> | cooldown <channel|user> <seconds> | duration <default> [min] [max] | title <template> | delay <seconds> | auto <on|off|sensitivity|cooldown|chat|raids> [value]',
    ]);
    expect((await f.twitch('cliphelp clipinfo', { id: 'm3' })).answers[0]).toMatch(
      /^!clipinfo <clip>: /,
    );
    expect(await f.discord('cliphelp', undefined, {}, { canManageServer: true })).toEqual([
      '/clip [channel] [ago] [duration] [title] · /clips [top|recent|game|info] · /vod [now|delete] · /cliphelp [command] · /clipbot <link|unlink|settings>',
    ]);
  });

  it('shows the deleting of videos to those who may: Manage Server, and the broadcaster in chat', async () => {
    const f = await fixture();
    const broadcaster = { id: f.streamer.id, role: 'broadcaster' as const };
    expect(textOf((await f.twitch('cliphelp', broadcaster)).answers[0])).toContain(
      '!vod [now|delete|confirm]',
    );
    expect(
      textOf((await f.twitch('cliphelp', { id: 'm3', role: 'moderator' })).answers[0]),
    ).toContain(' · !vod · ');
    expect((await f.twitch('cliphelp vod', { id: 'v2' })).answers).toEqual([
      '!vod now | delete <ids> (broadcaster) | confirm <code> (broadcaster)',
    ]);
    expect(textOf((await f.discord('cliphelp', undefined, {}))[0])).toContain(' · /vod [now] · ');
    expect(await f.discord('cliphelp', undefined, { command: 'vod' }, { id: 'd-2' })).toEqual([
      '/vod now [channel] | delete <ids> [channel] (Manage Server)',
    ]);
  });
});

describe('commands: /clipbot', () => {
  const manager = { id: 'd-admin', canManageServer: true };

  it('is refused to members without Manage Server, on every call', async () => {
    const f = await fixture();
    expect(await f.discord('clipbot', 'link', { twitch_channel: 'streamer' })).toEqual([
      'You need the Manage Server permission to use /clipbot.',
    ]);
    expect(await f.services.links.forGuild('g1')).toEqual([]);
  });

  it('links a channel, joins its chat, shows settings, and unlinks', async () => {
    const f = await fixture();
    const other = f.harness.channel('OtherStreamer');
    const heard: string[] = [];
    const listener = new RedisChatChannels({
      redis: f.harness.redis,
      prefix: f.harness.prefix,
      configured: ['streamer'],
      subscriber: () => testRedis(),
    });
    listener.onChange((c) => heard.push(`${c.op}:${c.login}`));
    await listener.ready();
    try {
      expect(
        await f.discord(
          'clipbot',
          'link',
          { twitch_channel: 'twitch.tv/OtherStreamer', post_channel: '5550000000000001' },
          manager,
        ),
      ).toEqual([
        `Linked ${other.displayName}: /clip here clips it, and the bot joins its chat. Clips made in its Twitch chat are also posted in <#5550000000000001>.`,
      ]);
      expect(await f.discord('clipbot', 'link', { twitch_channel: 'ghost_user' }, manager)).toEqual(
        ['Twitch has no channel named "ghost_user".'],
      );
      expect(
        await f.discord(
          'clipbot',
          'link',
          { twitch_channel: 'streamer', post_channel: 'general' },
          manager,
        ),
      ).toEqual(['post_channel must be a channel of this server.']);
      await f.discord('clipbot', 'link', { twitch_channel: 'streamer' }, manager);
      expect(await f.services.links.postTargets(other.id)).toEqual([
        { guildId: 'g1', channelId: '5550000000000001' },
      ]);
      expect(await f.services.chatChannels.list()).toEqual(['streamer', 'otherstreamer']);

      const [settings] = await f.discord('clipbot', 'settings', {}, manager);
      expect(typeof settings === 'object' && settings.embed?.fields).toEqual([
        {
          name: other.displayName,
          value: expect.stringMatching(
            /^posts to <#5550000000000001> · clipping on · who: everyone/,
          ),
        },
        { name: 'streamer', value: expect.stringMatching(/^no post channel · clipping on/) },
      ]);

      expect(await f.discord('clipbot', 'unlink', { twitch_channel: 'nope' }, manager)).toEqual([
        'nope is not linked to this server.',
      ]);
      expect(await f.discord('clipbot', 'unlink', {}, manager)).toEqual([
        `Unlinked ${other.displayName}, streamer.`,
      ]);
      await waitFor(() => heard.includes('remove:otherstreamer'), {
        what: 'the chat channel removal',
      });
      // The configured channel stays joined, so no change was announced for it.
      expect(heard).toEqual(['add:otherstreamer', 'remove:otherstreamer']);
      expect(await f.services.chatChannels.list()).toEqual(['streamer']);
    } finally {
      await listener.close();
    }
  });
});

describe('commands: /clipbot link caps', () => {
  const manager = { id: 'd-admin', canManageServer: true };

  it('caps the Twitch chats all servers together make the bot join, and says so', async () => {
    const f = await fixture();
    f.router = f.newRouter({}, [], { clipbot: { maxLinkedChannels: 2 } });
    const [a, b, c] = ['chan_a', 'chan_b', 'chan_c'].map((l) => f.harness.channel(l));
    expect(
      textOf((await f.discord('clipbot', 'link', { twitch_channel: a!.login }, manager, 'g1'))[0]),
    ).toMatch(/^Linked/);
    expect(
      textOf((await f.discord('clipbot', 'link', { twitch_channel: b!.login }, manager, 'g2'))[0]),
    ).toMatch(/^Linked/);
    expect(await f.discord('clipbot', 'link', { twitch_channel: c!.login }, manager, 'g3')).toEqual(
      [
        `The bot is in as many linked Twitch chats as it may be (2), so it cannot link ${c!.displayName} now; its operator can add channels with TWITCH_CHANNELS.`,
      ],
    );
    expect(await f.services.links.forGuild('g3')).toEqual([]);
    expect(await f.services.chatChannels.list()).not.toContain(c!.login);
    // A channel already joined costs nothing more: another server may link it.
    expect(
      textOf((await f.discord('clipbot', 'link', { twitch_channel: a!.login }, manager, 'g3'))[0]),
    ).toMatch(/^Linked/);
    // So may a configured channel, which the bot is in anyway.
    expect(
      textOf(
        (await f.discord('clipbot', 'link', { twitch_channel: 'streamer' }, manager, 'g3'))[0],
      ),
    ).toMatch(/^Linked/);
  });

  it(`keeps one server to ${MAX_LINKS_PER_GUILD} links`, async () => {
    const f = await fixture();
    for (let i = 0; i < MAX_LINKS_PER_GUILD; i++) {
      await f.services.links.link('g1', {
        id: `9${i}`,
        login: `filler_${i}`,
        displayName: `filler_${i}`,
      });
    }
    const extra = f.harness.channel('one_more');
    expect(await f.discord('clipbot', 'link', { twitch_channel: extra.login }, manager)).toEqual([
      `A server can link at most ${MAX_LINKS_PER_GUILD} channels.`,
    ]);
    expect(await f.services.chatChannels.list()).not.toContain(extra.login);
  });
});

describe('commands: clips top', () => {
  it("lists a window's most viewed clips with views and links", async () => {
    const f = await fixture();
    const day = 86_400_000;
    f.harness.standIn.seedClips('streamer', 6, {
      viewCount: (i) => [5, 900, 40, 7000, 12, 300][i]!,
      createdAt: (i) => new Date(Date.now() - (i < 3 ? 2 * day : 20 * day)),
      title: (i) => `moment ${i}`,
    });
    const week = textOf((await f.twitch('clips')).answers[0]) ?? '';
    expect(week).toMatch(
      /^Top clips of streamer in the last 7 days: 1\. moment 1 \(900 views\) \S+ 2\. moment 2 \(40 views\) \S+ 3\. moment 0 \(5 views\) \S+$/,
    );

    const all = textOf((await f.twitch('clips all', { id: 'u2' })).answers[0]) ?? '';
    expect(all).toMatch(/^Top clips of streamer of all time: 1\. moment 3 \(7,000 views\)/);

    await f.services.links.link('g1', f.streamer);
    const [answer] = await f.discord('clips', 'top', { period: 'month' });
    expect(typeof answer === 'object' && answer.embed?.fields?.map((x) => x.name)).toEqual([
      '1. moment 3',
      '2. moment 1',
      '3. moment 5',
      '4. moment 2',
      '5. moment 4',
    ]);
    expect(await f.discord('clips', 'top', { period: 'day' }, { id: 'd2' })).toEqual([
      'No clips of streamer in the last 24 hours.',
    ]);
  });
});
