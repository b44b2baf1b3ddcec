import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ChatChannels } from '../core/stores.js';
import { normalizeLogin } from '../core/twitch-login.js';
import { UserError } from '../core/command.js';

type Change = { op: 'add' | 'remove'; login: string };
type Listener = (change: Change) => void;

export interface RedisChatChannelsOptions {
  redis: Redis;
  /**
   * A connection for SUBSCRIBE (a subscribed connection can do nothing else). Given as a
   * connection, the caller owns it; given as a factory, it is made on first onChange() and
   * closed by close().
   */
  subscriber: Redis | (() => Redis);
  prefix: string;
  /** TWITCH_CHANNELS: always joined, never removed. */
  configured: readonly string[];
  log?: Logger;
}

/**
 * The Twitch channels the chat connection should be in: the configured ones plus a Redis
 * set of added ones. Changes are published on `<prefix>:chat-channels:changes`, so the chat
 * adapter hears them in whatever process it runs.
 */
export class RedisChatChannels implements ChatChannels {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly configured: string[];
  private readonly log: Logger | undefined;
  private readonly subscriberSource: Redis | (() => Redis);
  private subscriber: Redis | undefined;
  private subscribing: Promise<void> | undefined;
  private readonly listeners = new Set<Listener>();
  private readonly onMessage = (channel: string, message: string): void => {
    if (channel !== this.topic) return;
    let change: Change;
    try {
      change = JSON.parse(message) as Change;
    } catch {
      return;
    }
    if ((change.op !== 'add' && change.op !== 'remove') || typeof change.login !== 'string') return;
    for (const l of [...this.listeners]) {
      try {
        l(change);
      } catch (err) {
        this.log?.error({ err }, 'chat channel listener failed');
      }
    }
  };

  constructor(opts: RedisChatChannelsOptions) {
    this.redis = opts.redis;
    this.prefix = opts.prefix;
    this.configured = [...opts.configured].map((c) => c.toLowerCase());
    this.log = opts.log;
    this.subscriberSource = opts.subscriber;
  }

  private get setKey(): string {
    return `${this.prefix}:chat-channels`;
  }
  private get topic(): string {
    return `${this.prefix}:chat-channels:changes`;
  }

  async list(): Promise<string[]> {
    const added = (await this.redis.smembers(this.setKey)).sort();
    return [...new Set([...this.configured, ...added])];
  }

  async add(login: string): Promise<void> {
    const normal = this.normal(login);
    const added = await this.redis.sadd(this.setKey, normal);
    if (added > 0 && !this.configured.includes(normal))
      await this.publish({ op: 'add', login: normal });
  }

  async remove(login: string): Promise<void> {
    const normal = this.normal(login);
    const removed = await this.redis.srem(this.setKey, normal);
    if (removed > 0 && !this.configured.includes(normal)) {
      await this.publish({ op: 'remove', login: normal });
    }
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    void this.ready().catch((err: unknown) =>
      this.log?.error({ err }, 'could not subscribe to chat channel changes'),
    );
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Resolves once this instance hears changes (the SUBSCRIBE has been acknowledged). */
  ready(): Promise<void> {
    if (!this.subscribing) {
      const sub =
        typeof this.subscriberSource === 'function'
          ? this.subscriberSource()
          : this.subscriberSource;
      this.subscriber = sub;
      sub.on('message', this.onMessage);
      this.subscribing = sub.subscribe(this.topic).then(() => undefined);
    }
    return this.subscribing;
  }

  /** Stops listening; closes the subscriber connection when this instance made it. */
  async close(): Promise<void> {
    this.listeners.clear();
    const sub = this.subscriber;
    if (!sub) return;
    this.subscriber = undefined;
    this.subscribing = undefined;
    sub.off('message', this.onMessage);
    if (typeof this.subscriberSource === 'function') {
      await sub.quit().catch(() => sub.disconnect());
    } else {
      await sub.unsubscribe(this.topic).catch(() => undefined);
    }
  }

  private normal(login: string): string {
    const normal = normalizeLogin(login);
    if (!normal) throw new UserError(`"${login.slice(0, 30)}" is not a Twitch channel name.`);
    return normal;
  }

  private async publish(change: Change): Promise<void> {
    await this.redis.publish(this.topic, JSON.stringify(change));
  }
}
