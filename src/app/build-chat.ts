import type { Logger } from 'pino';
import type { DiscordAdapter } from '../chat/discord/adapter.js';
import { DiscordLoginError } from '../chat/discord/login-error.js';
import { TwitchChatAdapter, type TwitchChatLimits } from '../chat/twitch/index.js';
import { ChannelLeases } from '../chat/twitch/channel-leases.js';
import { AnswerMarks } from '../chat/twitch/answer-marks.js';
import { TwitchReplySender } from '../chat/twitch/reply-sender.js';
import type { Config } from '../config.js';
import type { HealthCheckResult } from '../ops/health.js';
import type { Metrics } from '../ops/metrics.js';
import { RedisChatChannels } from '../store/redis-chat-channels.js';
import type { RedisDiscordLinks } from '../store/redis-discord-links.js';
import { buildAutoClip, type AutoClipParts, type AutoClipTuning } from './build-autoclip.js';
import { buildCommands, type CommandParts } from './build-commands.js';
import type { RedisParts } from './build-redis.js';
import type { TwitchParts } from './build-twitch.js';
import type { ClipPipeline } from './clip-pipeline.js';

/** Twitch's chat limits for a verified bot account (TWITCH_BOT_VERIFIED). */
const VERIFIED_BOT_LIMITS: Partial<TwitchChatLimits> = {
  normalLimit: 7500,
  moderatorLimit: 7500,
  joinLimit: 2000,
};

/** How often to look again for a usable bot token while Twitch chat is off. */
const CHAT_RETRY_MS = 60_000;

export interface ChatOptions {
  config: Config;
  redis: RedisParts;
  twitch: TwitchParts;
  pipeline: ClipPipeline;
  links: RedisDiscordLinks;
  log: Logger;
  metrics: Metrics;
  /** Twitch chat limits other than a normal account's (a verified bot's; the benchmark's). */
  twitchChatLimits?: Partial<TwitchChatLimits>;
  /** While Twitch chat is off for want of a token, how often to look again (default 60 s). */
  chatRetryMs?: number;
  /** Automatic clips' knobs (tests shorten the detectors' warm-up). */
  autoclip?: AutoClipTuning;
}

/**
 * The chat side of the bot: the router with every command, the Twitch chat connection
 * (started once the bot has a user token) and Discord (when configured), both delivering
 * the pipeline's answers.
 */
export async function buildChat(opts: ChatOptions): Promise<ChatSide> {
  const { config, redis, log } = opts;
  const chatChannels = new RedisChatChannels({
    redis: redis.redis,
    subscriber: () => redis.connections.create('chat-channels-sub'),
    prefix: config.REDIS_KEY_PREFIX,
    configured: config.TWITCH_CHANNELS,
    log: log.child({ component: 'chat-channels' }),
  });
  const commands = buildCommands({
    config,
    redis: redis.redis,
    helix: opts.twitch.helix,
    pipeline: opts.pipeline,
    links: opts.links,
    chatChannels,
    log,
    metrics: opts.metrics,
    // Called only once a command runs, after `autoclip` below exists.
    onSettingsChange: (id, settings) => autoclip.sync.changed(id, settings),
  });
  // One per bot process: every channel's detector, fed by this process's Twitch chat.
  const autoclip = buildAutoClip({
    redis: redis.redis,
    pipeline: opts.pipeline,
    settings: commands.services.settings,
    bot: () => opts.twitch.tokens.botIdentity(),
    log,
    metrics: opts.metrics,
    tuning: opts.autoclip,
  });
  const { router } = commands;
  // discord.js (about 40 MB resident) is loaded only when Discord is configured.
  const discord =
    config.DISCORD_TOKEN && config.DISCORD_APPLICATION_ID
      ? new (await import('../chat/discord/adapter.js')).DiscordAdapter({
          token: config.DISCORD_TOKEN,
          applicationId: config.DISCORD_APPLICATION_ID,
          apiUrl: config.DISCORD_API_URL,
          redis: redis.redis,
          prefix: config.REDIS_KEY_PREFIX,
          onCommand: (input) => router.handle(input),
          onAutocomplete: (input, focused) => router.autocomplete(input, focused),
          claim: (input) => router.claim(input),
          log: log.child({ component: 'discord' }),
          metrics: opts.metrics,
        })
      : undefined;
  return new ChatSide(opts, chatChannels, commands, discord, autoclip);
}

export class ChatSide implements CommandParts {
  readonly services: CommandParts['services'];
  readonly router: CommandParts['router'];
  private chat?: TwitchChatAdapter;
  private leases?: ChannelLeases;
  private unsubscribeToken?: () => void;
  private chatRetryTimer?: NodeJS.Timeout;
  private discordRetryTimer?: NodeJS.Timeout;
  private discordProblem?: string;
  private stopped = false;

  constructor(
    private readonly opts: ChatOptions,
    private readonly chatChannels: RedisChatChannels,
    commands: CommandParts,
    readonly discord: DiscordAdapter | undefined,
    readonly autoclip: AutoClipParts,
  ) {
    this.services = commands.services;
    this.router = commands.router;
  }

  /** The Twitch chat connection; undefined while the bot has no usable user token. */
  get twitchChat(): TwitchChatAdapter | undefined {
    return this.chat;
  }

  async start(): Promise<void> {
    const { tokens } = this.opts.twitch;
    const log = this.opts.log;
    this.autoclip.sync.start();
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
    if (this.discord) {
      this.opts.pipeline.registerSender(this.discord);
      await this.startDiscord(this.discord, 0);
    }
  }

  /** Starts the Twitch chat connection once the bot's identity is known. */
  private async startTwitchChat(): Promise<boolean> {
    const { config, twitch, pipeline } = this.opts;
    const { tokens } = twitch;
    const identity = tokens.botIdentity();
    if (!identity) return false;
    if (this.chat || this.stopped) return true;
    const chatLimits =
      this.opts.twitchChatLimits ?? (config.TWITCH_BOT_VERIFIED ? VERIFIED_BOT_LIMITS : undefined);
    let chatLogins = 0;
    const router = this.router;
    const leases = this.channelLeases();
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
      channels: leases ?? this.chatChannels,
      onCommand: (input) => router.handle(input),
      log: this.opts.log.child({ component: 'twitch-chat' }),
      metrics: this.opts.metrics,
      commandPrefix: config.CHAT_COMMAND_PREFIX,
      autoclip: this.autoclip.hooks,
      ...(chatLimits ? { limits: chatLimits } : {}),
    });
    this.chat = chat;
    // The first share of the channels is taken before the chat connection joins any.
    await leases?.start();
    pipeline.registerSender(
      new TwitchReplySender({
        chat,
        ...(leases ? { leases } : {}),
        marks: new AnswerMarks({ redis: this.opts.redis.redis, prefix: config.REDIS_KEY_PREFIX }),
        log: this.opts.log.child({ component: 'twitch-replies' }),
      }),
    );
    // A refreshed token is read at the next login; a connection that is down because
    // its token was refused logs in again at once.
    this.unsubscribeToken = tokens.onUserToken(() => void chat.updateToken());
    await chat.start();
    return true;
  }

  /**
   * With CHANNEL_LEASE_MS, this process reads only the channels it holds a lease on
   * (src/chat/twitch/channel-leases.ts); its reply consumer name is its lease owner name.
   */
  private channelLeases(): ChannelLeases | undefined {
    const { config, redis, pipeline, log } = this.opts;
    const owner = pipeline.dispatcher?.consumer;
    if (config.CHANNEL_LEASE_MS <= 0 || !owner) return undefined;
    this.leases = new ChannelLeases({
      redis: redis.redis,
      prefix: config.REDIS_KEY_PREFIX,
      source: this.chatChannels,
      owner,
      leaseMs: config.CHANNEL_LEASE_MS,
      log: log.child({ component: 'channel-leases' }),
    });
    return this.leases;
  }

  /**
   * Discord is optional: a refused token is reported and Twitch keeps working; a network
   * failure at start is retried with backoff (up to every 5 minutes).
   */
  private async startDiscord(discord: DiscordAdapter, attempt: number): Promise<void> {
    const log = this.opts.log;
    try {
      await discord.start();
      this.discordProblem = undefined;
    } catch (err) {
      if (this.stopped) return;
      const message = (err as Error).message;
      this.discordProblem = message;
      if (
        err instanceof DiscordLoginError &&
        /401|refused the bot token|invalid token/i.test(message)
      ) {
        log.error({ err }, 'Discord is off: it refused the bot token (check DISCORD_TOKEN)');
        return;
      }
      const delay = Math.min(5 * 60_000, 5_000 * 2 ** attempt);
      log.error({ err, retryInMs: delay }, 'Discord did not start; retrying');
      this.discordRetryTimer = setTimeout(
        () => void this.startDiscord(discord, attempt + 1),
        delay,
      );
      this.discordRetryTimer.unref();
    }
  }

  /** /healthz: a chat connection that is down degrades the bot, it does not fail it. */
  twitchChatHealth(): HealthCheckResult {
    const chat = this.chat;
    if (!chat) return { status: 'degraded', detail: 'off (no bot user token)' };
    const joined = chat.joinedChannels().length;
    const refused = chat.refusedChannels().map((r) => `#${r.channel} (${r.reason})`);
    const detail = `${joined} channel(s) joined${refused.length > 0 ? `; Twitch refused ${refused.join(', ')}` : ''}`;
    return chat.isConnected()
      ? { status: 'ok', detail }
      : { status: 'degraded', detail: 'reconnecting' };
  }

  discordHealth(): HealthCheckResult {
    const discord = this.discord;
    if (!discord) return { status: 'ok', detail: 'not configured' };
    if (this.discordProblem) return { status: 'degraded', detail: this.discordProblem };
    return discord.isConnected()
      ? { status: 'ok' }
      : { status: 'degraded', detail: 'reconnecting' };
  }

  /** No more (re)starts: called first in a shutdown, while the connections still deliver. */
  stopRetrying(): void {
    this.stopped = true;
    this.autoclip.stop();
    clearInterval(this.chatRetryTimer);
    clearTimeout(this.discordRetryTimer);
  }

  /** Closes the chat connections (after the pipeline's answers have left). */
  async stop(): Promise<void> {
    this.stopRetrying();
    this.unsubscribeToken?.();
    const log = this.opts.log;
    await Promise.all([
      this.chat?.stop().catch((err: unknown) => log.warn({ err }, 'chat stop')),
      this.discord?.stop().catch((err: unknown) => log.warn({ err }, 'discord stop')),
    ]);
    // Given back once this process no longer reads them: another takes them at its next scan.
    await this.leases?.stop();
  }

  /** The channel list's subscription; after the pipeline is closed. */
  async close(): Promise<void> {
    await this.chatChannels.close().catch(() => undefined);
  }
}
