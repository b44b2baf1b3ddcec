import { Client, Events, GatewayIntentBits, Status } from 'discord.js';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { IncomingCommand } from '../../core/command.js';
import type { ReplyEnvelope, ReplySender } from '../../core/clip.js';
import type { Metrics } from '../../ops/metrics.js';
import { ChannelGuilds } from './channel-guilds.js';
import { DiscordLoginError, DiscordRequestError, errorFields, toRequestError } from './errors.js';
import { DiscordInteractionHandler, type AutocompleteChoice } from './interaction-handler.js';
import { InteractionTokenStore, INTERACTION_TOKEN_TTL_S } from './interaction-tokens.js';
import { DiscordResponder } from './responder.js';
import { rejectLateCallback } from './callback-rate-limit.js';
import { DiscordResultDelivery } from './result-delivery.js';

export type { AutocompleteChoice } from './interaction-handler.js';

export interface DiscordAdapterOptions {
  /** The bot token (DISCORD_TOKEN). */
  token: string;
  applicationId: string;
  /** DISCORD_API_URL, e.g. https://discord.com/api or the stand-in's. */
  apiUrl: string;
  redis: Redis;
  /** REDIS_KEY_PREFIX. */
  prefix: string;
  onCommand: (input: IncomingCommand) => Promise<void>;
  onAutocomplete: (
    input: IncomingCommand,
    focused: { name: string; value: string },
  ) => Promise<AutocompleteChoice[]>;
  /** Exactly-once across processes: false when another process claimed the interaction. */
  claim?: (input: IncomingCommand) => Promise<boolean>;
  log: Logger;
  metrics?: Metrics;
  /** How long login may take to reach READY and every guild. Default 30 s. */
  readyTimeoutMs?: number;
  /** Default 15 minutes, Discord's window for editing a deferred reply. */
  interactionTokenTtlS?: number;
}

export const DISCORD_ADAPTER_DEFAULTS = {
  readyTimeoutMs: 30_000,
} as const satisfies Partial<DiscordAdapterOptions>;

/**
 * Discord through discord.js: turns slash commands into IncomingCommands for the router,
 * acknowledges each at once (deferReply), and delivers clip results by editing the
 * deferred reply or posting in a linked channel. Nothing it sends can ping anyone.
 */
export class DiscordAdapter implements ReplySender {
  readonly platform = 'discord' as const;
  private client: Client | undefined;
  private guilds: ChannelGuilds | undefined;
  private readonly tokens: InteractionTokenStore;
  private readonly log: Logger;
  private readonly interactions: DiscordInteractionHandler;
  private readonly results: DiscordResultDelivery;

  constructor(private readonly opts: DiscordAdapterOptions) {
    this.tokens = new InteractionTokenStore(
      opts.redis,
      opts.prefix,
      opts.interactionTokenTtlS ?? INTERACTION_TOKEN_TTL_S,
    );
    this.log = opts.log.child({ component: 'discord' });
    const shared = {
      tokens: this.tokens,
      log: this.log,
      metrics: opts.metrics,
      responder: () => this.responder(),
      guilds: () => this.channelGuilds(),
    };
    this.interactions = new DiscordInteractionHandler({
      ...shared,
      onCommand: opts.onCommand,
      onAutocomplete: opts.onAutocomplete,
      ...(opts.claim ? { claim: opts.claim } : {}),
    });
    this.results = new DiscordResultDelivery(shared);
  }

  async start(): Promise<void> {
    if (this.client) return;
    const client = new Client({
      intents: [GatewayIntentBits.Guilds],
      // A 429 on an interaction callback is not waited out past Discord's 3 s deadline.
      rest: { api: this.opts.apiUrl, rejectOnRateLimit: rejectLateCallback },
      // For what discord.js sends itself (the deferred reply, autocomplete answers).
      allowedMentions: { parse: [] },
    });
    this.client = client;
    this.guilds = new ChannelGuilds(client.rest);
    client.on(Events.InteractionCreate, (i) => void this.interactions.onInteraction(i));
    client.on(Events.ShardDisconnect, (event, shardId) =>
      this.log.warn({ shardId, code: event.code }, 'Discord gateway closed and will not reconnect'),
    );
    client.on(Events.ShardReconnecting, (shardId) =>
      this.log.info({ shardId }, 'Discord gateway reconnecting'),
    );
    client.on(Events.ShardResume, (shardId, replayed) =>
      this.log.info({ shardId, replayed }, 'Discord gateway resumed'),
    );
    client.on(Events.ShardError, (err, shardId) =>
      this.log.warn(
        { shardId, ...errorFields(toRequestError('gateway', err, [this.opts.token])) },
        'Discord gateway error',
      ),
    );
    client.on(Events.Warn, (message) => this.log.warn({ message }, 'discord.js warning'));

    const timeoutMs = this.opts.readyTimeoutMs ?? DISCORD_ADAPTER_DEFAULTS.readyTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const ready = new Promise<void>((resolve, reject) => {
      client.once(Events.ClientReady, () => resolve());
      timer = setTimeout(
        () =>
          reject(
            new DiscordLoginError(
              `Discord did not become ready within ${timeoutMs} ms (${this.opts.apiUrl})`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      await client.login(this.opts.token);
      await ready;
    } catch (err) {
      this.client = undefined;
      await client.destroy().catch(() => undefined);
      throw this.loginError(err);
    } finally {
      clearTimeout(timer);
    }
    this.log.info(
      { user: client.user?.tag, guilds: client.guilds.cache.size },
      'Discord connected',
    );
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await client.destroy();
  }

  isConnected(): boolean {
    return this.client?.ws.status === Status.Ready;
  }

  ready(): boolean {
    return this.isConnected();
  }

  /**
   * Sends a finished clip's answer: edits each asker's deferred reply, or posts in a channel.
   * Throws UndeliverableError when it never can be sent, and DiscordRequestError, worth
   * retrying, when Discord could not be reached or answered 5xx / 429.
   */
  deliver(envelope: ReplyEnvelope): Promise<void> {
    return this.results.deliver(envelope);
  }

  private channelGuilds(): ChannelGuilds {
    if (!this.guilds) {
      throw new DiscordRequestError('channel lookup', 'the Discord adapter is not started');
    }
    return this.guilds;
  }

  private responder(): DiscordResponder {
    if (!this.client)
      throw new DiscordRequestError('delivery', 'the Discord adapter is not started');
    return new DiscordResponder(this.client.rest, this.opts.applicationId);
  }

  private loginError(err: unknown): DiscordLoginError {
    const code = (err as { code?: unknown } | null)?.code;
    if (code === 'TokenInvalid') {
      return new DiscordLoginError(
        `Discord refused the bot token (401 Unauthorized from ${this.opts.apiUrl}/v10/gateway/bot): check DISCORD_TOKEN (Developer Portal > your application > Bot > Reset Token).`,
      );
    }
    if (err instanceof DiscordLoginError) return err;
    const safe = toRequestError('login', err, [this.opts.token]);
    return new DiscordLoginError(
      `Could not log in to Discord at ${this.opts.apiUrl}: ${safe.message}`,
    );
  }
}
