import type { Logger } from 'pino';
import type { TwitchChatLimits } from '../chat/twitch/index.js';
import { createRescueLink } from '../clips/rescue-link.js';
import type { RescueLink } from '../clips/result-publisher.js';
import { VodLocator } from '../core/vod-locator.js';
import type { Config } from '../config.js';
import type { HealthCheck, HealthCheckResult } from '../ops/health.js';
import { Metrics } from '../ops/metrics.js';
import { RedisDiscordLinks } from '../store/redis-discord-links.js';
import { RedisChatChannels } from '../store/redis-chat-channels.js';
import type { AutoClipTuning } from './build-autoclip.js';
import { buildChat, type ChatSide } from './build-chat.js';
import { buildOps, type OpsParts } from './build-ops.js';
import { buildPipeline, pipelineSettings } from './build-pipeline.js';
import { buildRedis, type RedisParts } from './build-redis.js';
import { buildTwitch, type TwitchParts } from './build-twitch.js';
import type { ClipPipeline, ClipPipelineTuning } from './clip-pipeline.js';

export type Role = 'all' | 'bot' | 'worker';

export interface AppOptions {
  config: Config;
  role: Role;
  log: Logger;
  metrics?: Metrics;
  /** Serve /healthz and /metrics (default true; tests that do not need it turn it off). */
  opsServer?: boolean;
  /** Pipeline knobs tests and the demo shorten (retry backoff, dispatcher polling). */
  tuning?: ClipPipelineTuning;
  /** Replaces the VOD rescue link (default: the moment in the stream's current VOD). */
  rescueLink?: RescueLink;
  /** Twitch chat limits other than a normal account's (a verified bot's; the benchmark's). */
  twitchChatLimits?: Partial<TwitchChatLimits>;
  /** While Twitch chat is off for want of a token, how often to look again (default 60 s). */
  chatRetryMs?: number;
  /** Automatic clips' knobs (tests shorten the detectors' warm-up). */
  autoclip?: AutoClipTuning;
}

/** What a started App is made of, as the build functions returned it. */
export interface AppParts {
  readonly redis: RedisParts;
  readonly twitch: TwitchParts;
  readonly pipeline: ClipPipeline;
  /** The router, Twitch chat and Discord; not in the worker role. */
  readonly chat?: ChatSide;
}

/** Thrown when the bot cannot start as configured; the message says what to do. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/**
 * The composition root: one process's bot, put together from the build functions
 * (build-*.ts) that the tests use too. Role 'all' runs everything, 'bot' the chat side
 * (router, chat connections, reply delivery), 'worker' only the clip worker.
 */
export class App {
  readonly metrics: Metrics;
  readonly log: Logger;

  // Set as start() builds them, so that a stop() during start closes what exists.
  private redis?: RedisParts;
  private ops?: OpsParts;
  private twitch?: TwitchParts;
  private pipeline?: ClipPipeline;
  private chat?: ChatSide;
  private started?: AppParts;
  /** Set while start() waits for Redis: what is wrong, for /healthz. */
  private redisWaiting?: string;
  private stopping?: Promise<void>;

  constructor(private readonly opts: AppOptions) {
    this.metrics = opts.metrics ?? new Metrics({ defaultMetrics: true });
    this.log = opts.log;
  }

  get config(): Config {
    return this.opts.config;
  }

  /** Where /healthz and /metrics are served, once started (undefined with opsServer off). */
  get opsUrl(): string | undefined {
    return this.ops?.url;
  }

  /** The started bot's parts; throws before start() has finished. */
  get parts(): AppParts {
    if (!this.started) throw new Error('the App has not started');
    return this.started;
  }

  async start(): Promise<void> {
    const { config, role } = this.opts;
    const log = this.log;
    const clientId = config.TWITCH_CLIENT_ID;
    if (!clientId) {
      throw new StartupError(
        'TWITCH_CLIENT_ID is not set: clipbot needs a Twitch application to make clips. ' +
          'Create one at https://dev.twitch.tv/console/apps, put its ID and secret in .env, then run `clipbot auth`. ' +
          'To try the bot without Twitch, run `npm run demo`.',
      );
    }
    try {
      const redis = await buildRedis({ config, name: `app-${role}`, log });
      this.redis = redis;
      // /healthz answers while the bot waits for Redis, so an orchestrator sees why.
      if (this.opts.opsServer !== false) {
        this.ops = await buildOps({
          config,
          metrics: this.metrics,
          checks: this.healthChecks(),
          log,
        });
      }
      await redis.ready((detail) => (this.redisWaiting = detail));

      const twitch = await buildTwitch({
        config: { ...config, TWITCH_CLIENT_ID: clientId },
        redis: redis.redis,
        log,
        metrics: this.metrics,
      });
      this.twitch = twitch;
      const { tokens, helix } = twitch;
      const links = new RedisDiscordLinks({ redis: redis.redis, prefix: config.REDIS_KEY_PREFIX });
      // Only list() is used here (the live table's channels); it never subscribes.
      const joinedChannels = new RedisChatChannels({
        redis: redis.redis,
        subscriber: () => redis.connections.create('chat-channels-unused'),
        prefix: config.REDIS_KEY_PREFIX,
        configured: config.TWITCH_CHANNELS,
      });
      const pipeline = buildPipeline({
        role,
        connections: redis.connections,
        settings: pipelineSettings(config),
        log,
        metrics: this.metrics,
        helix,
        postTargets: (broadcasterId) => links.postTargets(broadcasterId),
        rescueLink:
          this.opts.rescueLink ??
          createRescueLink({
            locator: new VodLocator({ helix }),
            log: log.child({ component: 'rescue-link' }),
          }),
        // Clips of the past are made by the bot account, with its token's scopes.
        clipEditor: () => tokens.botIdentity(),
        tuning: this.opts.tuning,
        joinedChannels: () => joinedChannels.list(),
      });
      this.pipeline = pipeline;

      if (role !== 'worker') {
        this.chat = await buildChat({
          config,
          redis,
          twitch,
          pipeline,
          links,
          log,
          metrics: this.metrics,
          twitchChatLimits: this.opts.twitchChatLimits,
          chatRetryMs: this.opts.chatRetryMs,
          autoclip: this.opts.autoclip,
        });
        await this.chat.start();
      }
      await pipeline.start();
      this.started = { redis, twitch, pipeline, chat: this.chat };
      log.info({ role, ops: this.opsUrl }, 'clipbot started');
    } catch (err) {
      // Stopped while starting (a signal while waiting for Redis): not a failure.
      if (this.stopping) return;
      await this.stop().catch(() => undefined);
      throw err;
    }
  }

  /** What /healthz reports. Chat connections and tokens degrade; Redis down is down. */
  healthChecks(): Record<string, HealthCheck> {
    const checks: Record<string, HealthCheck> = {
      redis: async () => {
        const redis = this.redis?.redis;
        if (!redis) return { status: 'down', detail: 'not connected' };
        if (this.redisWaiting) return { status: 'down', detail: this.redisWaiting };
        if (redis.status !== 'ready')
          return { status: 'down', detail: `connection ${redis.status}` };
        return (await redis.ping()) === 'PONG'
          ? { status: 'ok' }
          : { status: 'down', detail: 'no PONG' };
      },
      twitchToken: (): HealthCheckResult => {
        const s = this.twitch?.tokens.state('user');
        if (!s) return { status: 'down', detail: 'not started' };
        return { status: s.state === 'ok' ? 'ok' : 'degraded', detail: s.message };
      },
    };
    if (this.opts.role !== 'worker') {
      checks.twitchChat = (): HealthCheckResult =>
        this.chat?.twitchChatHealth() ?? { status: 'degraded', detail: 'off (no bot user token)' };
      checks.discord = (): HealthCheckResult =>
        this.chat?.discordHealth() ?? { status: 'ok', detail: 'not configured' };
    }
    return checks;
  }

  /**
   * Stops taking work, lets active clips finish (SHUTDOWN_GRACE_S) while chat still runs,
   * gives their answers a few seconds to leave, then stops chat and closes everything.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.chat?.stopRetrying();
      await this.ops?.stop().catch(() => undefined);
      // Chat and the reply dispatcher keep running until the answers of the clips that
      // finish during the grace period have left: stopped first, they would wait in Redis
      // until the next start.
      await this.pipeline
        ?.closeWorker()
        .catch((err: unknown) => this.log.warn({ err }, 'clip worker stop'));
      await this.pipeline
        ?.drainReplies()
        .catch((err: unknown) => this.log.warn({ err }, 'reply drain'));
      await this.chat?.stop();
      await this.pipeline?.close().catch((err: unknown) => this.log.warn({ err }, 'pipeline'));
      await this.chat?.close();
      this.twitch?.tokens.stop();
      await this.redis?.close();
      this.log.info('clipbot stopped');
    })();
    return this.stopping;
  }
}
