import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { allCommands } from '../../commands/index.js';
import { broadcasterScopesFrom } from '../../commands/vod/delete.js';
import type { CommandServices } from '../core/command.js';
import { ClipPipeline, pipelineSettings, type ClipPipelineTuning } from './clip-pipeline.js';
import { RecentClips } from '../clips/recent-clips.js';
import { createRescueLink } from '../clips/rescue-link.js';
import type { RescueLink } from '../clips/result-publisher.js';
import { VodLocator } from '../core/vod-locator.js';
import { CommandRouter } from '../chat/router.js';
import { DiscordAdapter, DiscordLoginError } from '../chat/discord/index.js';
import { TwitchChatAdapter, type TwitchChatLimits } from '../chat/twitch/index.js';
import type { Config } from '../config.js';
import type { HealthCheck, HealthCheckResult } from '../ops/health.js';
import { OpsServer } from '../ops/http-server.js';
import { Metrics } from '../ops/metrics.js';
import { RedisConnections } from '../redis/connection.js';
import { provideRedis, type ProvidedRedis } from '../redis/provide-redis.js';
import { waitForRedis } from '../redis/reach-redis.js';
import { RedisChannelDirectory } from '../store/redis-channel-directory.js';
import { RedisChatChannels } from '../store/redis-chat-channels.js';
import { RedisCooldownStore } from '../store/redis-cooldown-store.js';
import { RedisDiscordLinks } from '../store/redis-discord-links.js';
import { RedisPendingVodDeletions } from '../store/redis-pending-vod-deletions.js';
import { RedisSettingsStore } from '../store/redis-settings-store.js';
import { channelDefaults } from '../core/channel-settings.js';
import type { HelixClient } from '../twitch/helix-client.js';
import { helixClientFromConfig, tokenManagerFromConfig } from '../twitch/from-config.js';
import type { TokenManager } from '../twitch/token-manager.js';
import { RedisTokenStore } from '../twitch/token-store.js';

export type Role = 'all' | 'bot' | 'worker';

/** Twitch's chat limits for a verified bot account (TWITCH_BOT_VERIFIED). */
const VERIFIED_BOT_LIMITS: Partial<TwitchChatLimits> = {
  normalLimit: 7500,
  moderatorLimit: 7500,
  joinLimit: 2000,
};

/** How often to look again for a usable bot token while Twitch chat is off. */
const CHAT_RETRY_MS = 60_000;

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
}

/** Thrown when the bot cannot start as configured; the message says what to do. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/**
 * The composition root: the only place that picks concrete classes and wires them.
 * One App is one process's bot: role 'all' runs everything, 'bot' the chat side (router,
 * chat connections, reply delivery), 'worker' only the clip worker.
 */
export class App {
  readonly metrics: Metrics;
  readonly log: Logger;
  redisUrl?: string;
  tokens?: TokenManager;
  helix?: HelixClient;
  pipeline?: ClipPipeline;
  router?: CommandRouter;
  twitchChat?: TwitchChatAdapter;
  discord?: DiscordAdapter;
  services?: CommandServices;
  opsUrl?: string;

  private redisServer?: ProvidedRedis;
  private connections?: RedisConnections;
  private redis?: Redis;
  private chatChannels?: RedisChatChannels;
  private ops?: OpsServer;
  private unsubscribeToken?: () => void;
  private chatRetryTimer?: NodeJS.Timeout;
  private discordRetryTimer?: NodeJS.Timeout;
  private discordProblem?: string;
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

  async start(): Promise<void> {
    const { config, role } = this.opts;
    const log = this.log;
    if (!config.TWITCH_CLIENT_ID) {
      throw new StartupError(
        'TWITCH_CLIENT_ID is not set: clipbot needs a Twitch application to make clips. ' +
          'Create one at https://dev.twitch.tv/console/apps, put its ID and secret in .env, then run `clipbot auth`. ' +
          'To try the bot without Twitch, run `npm run demo`.',
      );
    }
    try {
      this.redisServer = await provideRedis({
        url: config.REDIS_URL,
        dataDir: config.REDIS_DATA_DIR,
        log: log.child({ component: 'redis-server' }),
      });
      this.redisUrl = this.redisServer.url;
      this.connections = new RedisConnections({ url: this.redisServer.url, log });
      const redis = this.connections.create(`app-${role}`);
      this.redis = redis;
      // /healthz answers while the bot waits for Redis, so an orchestrator sees why.
      if (this.opts.opsServer !== false) await this.startOps();
      await waitForRedis(redis, {
        url: this.redisServer.url,
        log: log.child({ component: 'redis' }),
        onWaiting: (detail) => (this.redisWaiting = detail),
      });

      const prefix = config.REDIS_KEY_PREFIX;
      const clientConfig = { ...config, TWITCH_CLIENT_ID: config.TWITCH_CLIENT_ID };
      const tokens = tokenManagerFromConfig(
        clientConfig,
        redis,
        log.child({ component: 'tokens' }),
      );
      this.tokens = tokens;
      await tokens.start();

      const helix = helixClientFromConfig(clientConfig, tokens, log.child({ component: 'helix' }), {
        metrics: this.metrics,
      });
      this.helix = helix;

      const links = new RedisDiscordLinks({ redis, prefix });
      this.pipeline = new ClipPipeline({
        role,
        connections: this.connections,
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
      });

      if (role !== 'worker') await this.startChatSide(redis, links);
      await this.pipeline.start();
      log.info({ role, ops: this.opsUrl }, 'clipbot started');
    } catch (err) {
      // Stopped while starting (a signal while waiting for Redis): not a failure.
      if (this.stopping) return;
      await this.stop().catch(() => undefined);
      throw err;
    }
  }

  private async startChatSide(redis: Redis, links: RedisDiscordLinks): Promise<void> {
    const { config } = this.opts;
    const log = this.log;
    const connections = this.connections as RedisConnections;
    const pipeline = this.pipeline as ClipPipeline;
    const tokens = this.tokens as TokenManager;
    const helix = this.helix as HelixClient;
    const prefix = config.REDIS_KEY_PREFIX;

    this.chatChannels = new RedisChatChannels({
      redis,
      subscriber: () => connections.create('chat-channels-sub'),
      prefix,
      configured: config.TWITCH_CHANNELS,
      log: log.child({ component: 'chat-channels' }),
    });
    const services: CommandServices = {
      config,
      log: log.child({ component: 'commands' }),
      helix,
      clips: pipeline.service,
      settings: new RedisSettingsStore({
        redis,
        prefix,
        defaults: channelDefaults(config.CLIP_DEFAULT_DURATION),
      }),
      cooldowns: new RedisCooldownStore({ redis, prefix }),
      links,
      channels: new RedisChannelDirectory({ redis, prefix, helix }),
      chatChannels: this.chatChannels,
      commands: new Map(),
    };
    const router = new CommandRouter({
      commands: allCommands({
        clips: { recent: { recent: new RecentClips(redis, pipeline.keys) } },
        vod: {
          pending: new RedisPendingVodDeletions({ redis, prefix }),
          broadcasterScopes: broadcasterScopesFrom(new RedisTokenStore(redis, prefix)),
        },
      }),
      services,
      log: log.child({ component: 'router' }),
      metrics: this.metrics,
    });
    this.router = router;
    this.services = services;

    if (!(await this.startTwitchChat())) {
      log.warn(
        { reason: tokens.state('user').message },
        'Twitch chat is off until the bot has a valid user token (run `clipbot auth`); checking every minute',
      );
      // A token stored later (`clipbot auth` in another shell) or a Twitch OAuth outage that
      // ends must not leave chat off until the next restart.
      this.chatRetryTimer = setInterval(() => {
        void tokens
          .validate()
          .catch(() => undefined)
          .then(() => this.startTwitchChat())
          .then((started) => {
            if (started) clearInterval(this.chatRetryTimer);
          })
          .catch((err: unknown) => log.error({ err }, 'could not start Twitch chat'));
      }, this.opts.chatRetryMs ?? CHAT_RETRY_MS);
      this.chatRetryTimer.unref();
    }

    if (config.DISCORD_TOKEN && config.DISCORD_APPLICATION_ID) {
      const discord = new DiscordAdapter({
        token: config.DISCORD_TOKEN,
        applicationId: config.DISCORD_APPLICATION_ID,
        apiUrl: config.DISCORD_API_URL,
        redis,
        prefix,
        onCommand: (input) => router.handle(input),
        onAutocomplete: (input, focused) => router.autocomplete(input, focused),
        log: log.child({ component: 'discord' }),
        metrics: this.metrics,
      });
      this.discord = discord;
      pipeline.registerSender(discord);
      await this.startDiscord(discord, 0);
    }
  }

  /** Starts the Twitch chat connection once the bot's identity is known. */
  private async startTwitchChat(): Promise<boolean> {
    const tokens = this.tokens;
    const router = this.router;
    const identity = tokens?.botIdentity();
    if (!tokens || !router || !identity || !this.chatChannels || !this.pipeline) return false;
    if (this.twitchChat || this.stopping) return true;
    const { config } = this.opts;
    const chatLimits =
      this.opts.twitchChatLimits ?? (config.TWITCH_BOT_VERIFIED ? VERIFIED_BOT_LIMITS : undefined);
    let chatLogins = 0;
    const chat = new TwitchChatAdapter({
      chatUrl: config.TWITCH_CHAT_URL,
      botLogin: identity.login,
      // Every chat login after the first is a reconnect: validate first, so a token Twitch
      // revoked meanwhile is refreshed rather than refused again and again (start() has
      // just validated for the first one).
      getToken: async () => {
        if (chatLogins++ > 0) await tokens.validate();
        return tokens.getToken('user');
      },
      channels: this.chatChannels,
      onCommand: (input) => router.handle(input),
      log: this.log.child({ component: 'twitch-chat' }),
      metrics: this.metrics,
      commandPrefix: config.CHAT_COMMAND_PREFIX,
      ...(chatLimits ? { limits: chatLimits } : {}),
    });
    this.twitchChat = chat;
    this.pipeline.registerSender(chat);
    // A refreshed token is read at the next login; a connection that is down because
    // its token was refused logs in again at once.
    this.unsubscribeToken = tokens.onUserToken(() => void chat.updateToken());
    await chat.start();
    return true;
  }

  /**
   * Discord is optional: a refused token is reported and Twitch keeps working; a network
   * failure at start is retried with backoff (up to every 5 minutes).
   */
  private async startDiscord(discord: DiscordAdapter, attempt: number): Promise<void> {
    try {
      await discord.start();
      this.discordProblem = undefined;
    } catch (err) {
      if (this.stopping) return;
      const message = (err as Error).message;
      this.discordProblem = message;
      if (
        err instanceof DiscordLoginError &&
        /401|refused the bot token|invalid token/i.test(message)
      ) {
        this.log.error({ err }, 'Discord is off: it refused the bot token (check DISCORD_TOKEN)');
        return;
      }
      const delay = Math.min(5 * 60_000, 5_000 * 2 ** attempt);
      this.log.error({ err, retryInMs: delay }, 'Discord did not start; retrying');
      this.discordRetryTimer = setTimeout(
        () => void this.startDiscord(discord, attempt + 1),
        delay,
      );
      this.discordRetryTimer.unref();
    }
  }

  private async startOps(): Promise<void> {
    const { config } = this.opts;
    this.ops = new OpsServer({
      host: config.HTTP_HOST,
      port: config.HTTP_PORT,
      metrics: this.metrics,
      checks: this.healthChecks(),
      log: this.log.child({ component: 'ops' }),
    });
    this.opsUrl = (await this.ops.start()).url;
    this.log.info({ ops: this.opsUrl }, 'serving /healthz and /metrics');
  }

  /** What /healthz reports. Chat connections and tokens degrade; Redis down is down. */
  healthChecks(): Record<string, HealthCheck> {
    const checks: Record<string, HealthCheck> = {
      redis: async () => {
        const redis = this.redis;
        if (!redis) return { status: 'down', detail: 'not connected' };
        if (this.redisWaiting) return { status: 'down', detail: this.redisWaiting };
        if (redis.status !== 'ready')
          return { status: 'down', detail: `connection ${redis.status}` };
        return (await redis.ping()) === 'PONG'
          ? { status: 'ok' }
          : { status: 'down', detail: 'no PONG' };
      },
      twitchToken: (): HealthCheckResult => {
        const s = this.tokens?.state('user');
        if (!s) return { status: 'down', detail: 'not started' };
        return { status: s.state === 'ok' ? 'ok' : 'degraded', detail: s.message };
      },
    };
    if (this.opts.role !== 'worker') {
      checks.twitchChat = (): HealthCheckResult => {
        const chat = this.twitchChat;
        if (!chat) return { status: 'degraded', detail: 'off (no bot user token)' };
        const joined = chat.joinedChannels().length;
        const refused = chat.refusedChannels().map((r) => `#${r.channel} (${r.reason})`);
        const detail = `${joined} channel(s) joined${refused.length > 0 ? `; Twitch refused ${refused.join(', ')}` : ''}`;
        return chat.isConnected()
          ? { status: 'ok', detail }
          : { status: 'degraded', detail: 'reconnecting' };
      };
      checks.discord = (): HealthCheckResult => {
        const discord = this.discord;
        if (!discord) return { status: 'ok', detail: 'not configured' };
        if (this.discordProblem) return { status: 'degraded', detail: this.discordProblem };
        return discord.isConnected()
          ? { status: 'ok' }
          : { status: 'degraded', detail: 'reconnecting' };
      };
    }
    return checks;
  }

  /**
   * Stops taking work, lets active clips finish (SHUTDOWN_GRACE_S) while chat still runs,
   * gives their answers a few seconds to leave, then stops chat and closes everything.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      clearInterval(this.chatRetryTimer);
      clearTimeout(this.discordRetryTimer);
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
      this.unsubscribeToken?.();
      await Promise.all([
        this.twitchChat?.stop().catch((err: unknown) => this.log.warn({ err }, 'chat stop')),
        this.discord?.stop().catch((err: unknown) => this.log.warn({ err }, 'discord stop')),
      ]);
      await this.pipeline?.close().catch((err: unknown) => this.log.warn({ err }, 'pipeline'));
      await this.chatChannels?.close().catch(() => undefined);
      this.tokens?.stop();
      await this.connections?.closeAll().catch(() => undefined);
      await this.redisServer?.stop().catch(() => undefined);
      this.log.info('clipbot stopped');
    })();
    return this.stopping;
  }
}
