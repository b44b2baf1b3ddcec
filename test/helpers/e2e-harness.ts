import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { allCommands } from '../../commands/index.js';
import { App } from '../../src/app/app.js';
import { registerCommands } from '../../src/chat/discord/index.js';
import type { TwitchChatAdapter } from '../../src/chat/twitch/index.js';
import type { CommandServices } from '../../src/core/command.js';
import type { AutoClipTuning } from '../../src/app/build-autoclip.js';
import type { ClipPipelineTuning } from '../../src/app/clip-pipeline.js';
import { loadConfig, type Config } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { Metrics } from '../../src/ops/metrics.js';
import type { TokenManager } from '../../src/twitch/token-manager.js';
import type { BotMessage, ChatRole } from '../../standins/chat/index.js';
import type { StandInGuild } from '../../standins/discord/index.js';
import { LocalWorld } from '../../standins/local-world.js';
import { cleanupPrefix, testRedis, testRedisUrl, uniquePrefix } from './redis.js';

/**
 * One end-to-end scene: a LocalWorld (Twitch Helix/OAuth, Twitch chat, Discord stand-ins)
 * and the real App (real Redis, BullMQ, tmi.js, discord.js, axios) pointed at it, with
 * timings short enough for tests. Assertions read what crossed the wire from the stand-ins.
 */

export interface E2EOptions {
  /** Twitch channels that exist and are live (default ['streamer']). */
  channels?: string[];
  /** Channels the bot joins at start (TWITCH_CHANNELS; default every channel). */
  joinChannels?: string[];
  /** How long a new clip takes to appear in Get Clips (default 150 ms). */
  clipVisibleAfterMs?: number | 'never';
  /** Run the Discord stand-in and the Discord side of the bot (default false). */
  discord?: boolean;
  /** Extra settings (environment names), applied last. */
  env?: Record<string, string>;
  /** Default: a silent logger. */
  log?: Logger;
  metrics?: Metrics;
  /** Serve /healthz and /metrics on a free port (default false). */
  opsServer?: boolean;
  /** Automatic clips' knobs (e.g. a detector warm-up short enough for a test). */
  autoclip?: AutoClipTuning;
}

/** Pipeline knobs: fast retries and reply polling, no background gauge refresh. */
/**
 * How long a test waits for the bot's answer: a whole clip (chat, queue, Twitch, the send
 * queue) takes a second or two idle, many more on a busy 2-core machine (CI runs the suite
 * twice). Waiting longer costs nothing when the answer comes.
 */
export const ANSWER_WAIT_MS = 30_000;

export const E2E_TUNING: ClipPipelineTuning = {
  backoffMs: 50,
  lockDurationMs: 3000,
  stalledIntervalMs: 1000,
  queueDepthIntervalMs: 0,
  dispatcher: { blockMs: 200, retryMs: 100, readyPollMs: 20, claimIdleMs: 2000 },
};

export interface SayOptions {
  login?: string;
  role?: ChatRole;
  channel?: string;
  displayName?: string;
}

export class E2E {
  readonly prefix: string;
  readonly metrics: Metrics;
  /** A connection of the test's own, for inspecting and cleaning the prefix. */
  readonly redis: Redis;
  app!: App;
  config!: Config;
  private stopped = false;

  constructor(
    readonly world: LocalWorld,
    private readonly opts: E2EOptions,
  ) {
    this.prefix = uniquePrefix('e2e');
    this.metrics = opts.metrics ?? new Metrics();
    this.redis = testRedis();
  }

  /** The first channel: the one most tests talk in. */
  get channel(): string {
    return this.world.channels[0] ?? 'streamer';
  }

  get guild(): StandInGuild {
    if (!this.world.guild) throw new Error('this scene runs without Discord');
    return this.world.guild;
  }

  get discord() {
    if (!this.world.discord) throw new Error('this scene runs without Discord');
    return this.world.discord;
  }

  /** Builds the config and starts a (new) App on the same world and Redis prefix. */
  async startApp(): Promise<App> {
    const env: Record<string, string> = {
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: this.prefix,
      CLIP_FIRST_POLL_MS: '50',
      CLIP_POLL_INTERVAL_MS: '50',
      CLIP_VISIBLE_DEADLINE_S: '3',
      COALESCE_WINDOW_S: '2',
      SHUTDOWN_GRACE_S: '2',
      HELIX_RETRY_BASE_MS: '20',
      HELIX_TIMEOUT_MS: '3000',
      LOG_LEVEL: 'silent',
      HTTP_PORT: '0',
      OPS_HOST: '127.0.0.1',
      // A restarted App (after a crash a test stages) finds its channels free within 2 s.
      CHANNEL_LEASE_MS: '1500',
    };
    if (this.opts.joinChannels) env.TWITCH_CHANNELS = this.opts.joinChannels.join(',');
    this.config = loadConfig(this.world.env({ ...env, ...this.opts.env }));
    this.app = new App({
      config: this.config,
      role: 'all',
      log: this.opts.log ?? silentLogger(),
      metrics: this.metrics,
      opsServer: this.opts.opsServer ?? false,
      tuning: E2E_TUNING,
      ...(this.opts.autoclip ? { autoclip: this.opts.autoclip } : {}),
    });
    // Joins by this App's connection (not one of a stopped App still closing).
    const joined = new Set<string>();
    const onJoin = (e: { channel: string }) => joined.add(e.channel);
    this.world.chat.events.on('join', onJoin);
    try {
      await this.app.start();
      // The bot is usable once it sits in every configured chat.
      for (const login of this.config.TWITCH_CHANNELS) {
        await waitFor(() => joined.has(login) && this.world.chat.joined(login), {
          what: `the bot to join #${login}`,
        });
      }
    } finally {
      this.world.chat.events.off('join', onJoin);
    }
    return this.app;
  }

  /** Registers the slash commands in the world's server, as `register-commands` would. */
  async registerCommands(): Promise<void> {
    await registerCommands({
      token: this.discord.botToken,
      applicationId: this.discord.applicationId,
      apiUrl: this.config.DISCORD_API_URL,
      guildId: this.guild.id,
      defs: allCommands(),
    });
  }

  /** The running App's command services (settings, links, channel directory). */
  get services(): CommandServices {
    const chat = this.app.parts.chat;
    if (!chat) throw new Error('the App runs no chat side');
    return chat.services;
  }

  /** The App's Twitch chat connection; undefined while it has no bot user token. */
  get twitchChat(): TwitchChatAdapter | undefined {
    return this.app.parts.chat?.twitchChat;
  }

  /** The App's Twitch tokens. */
  get tokens(): TokenManager {
    return this.app.parts.twitch.tokens;
  }

  /** Links the world's server to a Twitch channel directly (no slash command). */
  async link(login = this.channel, postChannel?: 'general' | 'clips'): Promise<void> {
    const services = this.services;
    const ref = await services.channels.byLogin(login);
    if (!ref) throw new Error(`the Twitch stand-in has no channel ${login}`);
    await services.links.link(this.guild.id, ref, postChannel && this.channelId(postChannel));
  }

  channelId(name: string): string {
    const found = this.guild.channels.find((c) => c.name === name);
    if (!found) throw new Error(`the server has no #${name}`);
    return found.id;
  }

  /** A chatter speaks in Twitch chat; returns the message id. */
  say(text: string, who: SayOptions = {}): string {
    return this.world.chat.say(who.channel ?? this.channel, {
      login: who.login ?? 'viewer',
      role: who.role ?? 'viewer',
      text,
      ...(who.displayName ? { displayName: who.displayName } : {}),
    });
  }

  /** The first bot message in Twitch chat (sent since `after`) that matches. */
  waitForBot(
    match: (m: BotMessage) => boolean,
    opts: { timeoutMs?: number; after?: number } = {},
  ): Promise<BotMessage> {
    return this.world.chat.waitForMessage(match, { timeoutMs: ANSWER_WAIT_MS, ...opts });
  }

  /** The bot's threaded reply to one chat message. */
  replyTo(messageId: string, timeoutMs = ANSWER_WAIT_MS): Promise<BotMessage> {
    return this.waitForBot((m) => m.replyParentMsgId === messageId, { timeoutMs });
  }

  /** Bot messages in Twitch chat so far. */
  botMessages(channel = this.channel): BotMessage[] {
    return this.world.chat.sent.filter((m) => m.channel === channel);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.app?.stop().catch(() => undefined);
    await this.world.stop().catch(() => undefined);
    await cleanupPrefix(this.redis, this.prefix).catch(() => undefined);
    this.redis.disconnect();
  }
}

/** Starts a world and the App against it. Call stop() in afterEach. */
export async function startE2E(opts: E2EOptions = {}): Promise<E2E> {
  const world = new LocalWorld({
    channels: opts.channels ?? ['streamer'],
    clipVisibleAfterMs: opts.clipVisibleAfterMs ?? 150,
    discord: opts.discord ?? false,
  });
  const scene = new E2E(world, opts);
  try {
    await world.start();
    await scene.startApp();
    if (opts.discord) await scene.registerCommands();
  } catch (err) {
    await scene.stop();
    throw err;
  }
  return scene;
}

/** Polls until cond holds; throws naming what never happened. */
export async function waitFor(
  cond: () => boolean | Promise<boolean>,
  opts: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 8000);
  while (!(await cond())) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${opts.what ?? 'a condition'}`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 20));
  }
}

/** The clip links the Twitch stand-in made for one clip (edit: the edit_url it answered). */
export function clipLinks(clip: { id: string; editUrl?: string }): {
  watch: string;
  edit: string;
} {
  return { watch: `https://clips.twitch.tv/${clip.id}`, edit: clip.editUrl ?? '' };
}
