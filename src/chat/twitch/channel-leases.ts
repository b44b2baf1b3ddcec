import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ChatChannels } from '../../core/stores.js';
import { prefixedKey } from '../../redis/connection.js';
import { script } from '../../redis/scripts.js';

const RENEW = script('lease-renew');
const RELEASE = script('lease-release');

type Change = { op: 'add' | 'remove'; login: string };
type Listener = (change: Change) => void;

export interface ChannelLeasesOptions {
  /** A fail-fast connection: a tick that cannot reach Redis fails and the next one tries. */
  redis: Redis;
  prefix: string;
  /** Every channel the bot serves (TWITCH_CHANNELS and the added ones), from any process. */
  source: ChatChannels;
  /** This process, as the reply streams know it (answers for its channels are handed to it). */
  owner: string;
  /** CHANNEL_LEASE_MS: a lease not renewed for this long is free. */
  leaseMs: number;
  /** Renewal and scan interval. Default a third of the lease. */
  renewMs?: number;
  /**
   * Channels a process may hold beyond ceil(channels / live processes) before it gives any
   * back: more means less moving when processes come and go, less an evener share.
   */
  slack?: number;
  log: Logger;
}

export const CHANNEL_LEASES_DEFAULTS = {
  slack: 0,
  /** renewMs = leaseMs / renewDivisor: two renewals may fail before a lease is lost. */
  renewDivisor: 3,
} as const;

/**
 * Shares the Twitch channels out among the running bot processes, so N processes each hold
 * the chat of about 1/N of them. One lease key per channel (`<prefix>:chat-lease:<login>`,
 * value: the holder, PX leaseMs); live processes are counted by a heartbeat sorted set
 * (`<prefix>:chat-leases:alive`, score: when the heartbeat runs out). Every renewMs a process
 * renews what it holds, gives back what exceeds its share (ceil(channels / live) + slack),
 * and takes free leases up to it. A process that dies stops renewing: its leases run out and are
 * taken within leaseMs + renewMs. One that stops gives its leases back at once.
 *
 * To the Twitch chat adapter this is its channel list (ChatChannels): `list()` and the
 * add/remove changes are the channels this process reads, so the adapter joins and parts
 * them as it would for a moderator's `!clipbot` change. A channel given back to balance
 * the share stays joined until another process holds it: the overlap is harmless (each
 * message is claimed once, message-claims.ts), a gap would lose lines.
 */
export class ChannelLeases implements ChatChannels {
  private readonly held = new Set<string>();
  /** Leases given back to balance the share, still joined until another process holds them. */
  private readonly handing = new Set<string>();
  private readonly listeners = new Set<Listener>();
  private readonly renewMs: number;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private unsubscribe: (() => void) | undefined;
  private stopped = false;
  private failing = false;

  constructor(private readonly opts: ChannelLeasesOptions) {
    this.renewMs =
      opts.renewMs ??
      Math.max(100, Math.floor(opts.leaseMs / CHANNEL_LEASES_DEFAULTS.renewDivisor));
  }

  key(login: string): string {
    return prefixedKey(this.opts.prefix, 'chat-lease', login);
  }

  private get aliveKey(): string {
    return prefixedKey(this.opts.prefix, 'chat-leases', 'alive');
  }

  /** Takes the first leases (best effort), then renews and rebalances every renewMs. */
  async start(): Promise<void> {
    this.unsubscribe = this.opts.source.onChange((change) => {
      if (change.op === 'remove') void this.drop(change.login.toLowerCase());
      else this.tickSoon();
    });
    await this.tick();
    this.timer = setInterval(() => this.tickSoon(), this.renewMs);
    this.timer.unref();
  }

  /** Gives every lease back (another process takes them at its next scan) and stops. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    this.unsubscribe?.();
    await this.ticking?.catch(() => undefined);
    const mine = [...this.held, ...this.handing];
    await Promise.all([
      mine.length > 0
        ? RELEASE.run(
            this.opts.redis,
            mine.map((c) => this.key(c)),
            [this.opts.owner],
          )
        : undefined,
      this.opts.redis.zrem(this.aliveKey, this.opts.owner),
    ]).catch((err: unknown) =>
      this.opts.log.warn({ err: String(err) }, 'could not give the channel leases back'),
    );
    this.held.clear();
    this.handing.clear();
    this.listeners.clear();
  }

  /** The channels this process reads (holds, or is handing over). */
  async list(): Promise<string[]> {
    return [...this.held, ...this.handing].sort();
  }

  /** Whether this process reads the channel's chat now. */
  reads(login: string): boolean {
    return this.held.has(login) || this.handing.has(login);
  }

  get owner(): string {
    return this.opts.owner;
  }

  /** Whether the channel is one the bot serves at all (whoever reads it). */
  async listed(login: string): Promise<boolean> {
    return (await this.opts.source.list()).some((c) => c.toLowerCase() === login);
  }

  /** The process holding the channel's lease, if any. */
  async holder(login: string): Promise<string | undefined> {
    return (await this.opts.redis.get(this.key(login))) ?? undefined;
  }

  add(login: string): Promise<void> {
    return this.opts.source.add(login);
  }

  remove(login: string): Promise<void> {
    return this.opts.source.remove(login);
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private tickSoon(): void {
    if (this.stopped || this.ticking) return;
    void this.tick();
  }

  private tick(): Promise<void> {
    const run = this.balance()
      .then(() => {
        if (this.failing) this.opts.log.info('channel leases renewed again');
        this.failing = false;
      })
      .catch((err: unknown) => {
        // Logged once per outage; the leases run out on their own if this goes on.
        if (!this.failing) this.opts.log.warn({ err: String(err) }, 'channel lease tick failed');
        this.failing = true;
      })
      .finally(() => {
        this.ticking = undefined;
      });
    this.ticking = run;
    return run;
  }

  private async balance(): Promise<void> {
    const { redis, owner, leaseMs } = this.opts;
    const now = Date.now();
    const [, , live] = (await redis
      .multi()
      .zadd(this.aliveKey, now + leaseMs, owner)
      .zremrangebyscore(this.aliveKey, '-inf', now)
      .zcard(this.aliveKey)
      .exec()) as [Error | null, unknown][];
    const processes = Math.max(1, Number(live?.[1] ?? 1));
    const wanted = (await this.opts.source.list()).map((c) => c.toLowerCase());
    const want = new Set(wanted);
    if (this.stopped) return;

    for (const c of [...this.held, ...this.handing]) if (!want.has(c)) await this.drop(c);
    await this.renew();

    const share = Math.min(
      wanted.length,
      Math.ceil(wanted.length / processes) + (this.opts.slack ?? CHANNEL_LEASES_DEFAULTS.slack),
    );
    if (this.held.size > share) await this.giveBack(this.held.size - share);
    await this.settleHanding();
    if (this.held.size < share) await this.take(wanted, share - this.held.size);
  }

  /** Renews every held lease in one round trip; those lost are parted. */
  private async renew(): Promise<void> {
    const held = [...this.held];
    if (held.length === 0) return;
    const kept = (await RENEW.run(
      this.opts.redis,
      held.map((c) => this.key(c)),
      [this.opts.owner, this.opts.leaseMs],
    )) as number[];
    held.forEach((c, i) => {
      if (kept[i] === 1) return;
      this.opts.log.warn({ channel: c }, 'channel lease lost to another process');
      this.held.delete(c);
      this.emit({ op: 'remove', login: c });
    });
  }

  /** Gives back leases beyond the share (a process joined); they stay read until taken. */
  private async giveBack(count: number): Promise<void> {
    const extra = [...this.held].slice(0, count);
    await RELEASE.run(
      this.opts.redis,
      extra.map((c) => this.key(c)),
      [this.opts.owner],
    );
    for (const c of extra) {
      this.held.delete(c);
      this.handing.add(c);
    }
    this.opts.log.info({ count: extra.length }, 'channel leases given back to balance the share');
  }

  /** Parts the channels given back that another process holds now. */
  private async settleHanding(): Promise<void> {
    const handing = [...this.handing];
    if (handing.length === 0) return;
    const holders = await this.opts.redis.mget(handing.map((c) => this.key(c)));
    handing.forEach((c, i) => {
      const holder = holders[i];
      if (!holder || holder === this.opts.owner) return;
      this.handing.delete(c);
      this.emit({ op: 'remove', login: c });
    });
  }

  /** Takes up to `count` free leases, in an order of its own so processes do not collide. */
  private async take(wanted: string[], count: number): Promise<void> {
    const { redis, owner, leaseMs } = this.opts;
    const candidates = wanted.filter((c) => !this.held.has(c));
    if (candidates.length === 0) return;
    const holders = await redis.mget(candidates.map((c) => this.key(c)));
    const free = shuffle(candidates.filter((_, i) => !holders[i]));
    // A channel being handed over is taken back first if nobody took it: no part, no join.
    free.sort((a, b) => Number(this.handing.has(b)) - Number(this.handing.has(a)));
    let taken = 0;
    for (const c of free) {
      if (taken >= count || this.stopped) break;
      if ((await redis.set(this.key(c), owner, 'PX', leaseMs, 'NX')) !== 'OK') continue;
      taken++;
      this.held.add(c);
      if (this.handing.delete(c)) continue;
      this.emit({ op: 'add', login: c });
    }
    if (taken > 0) this.opts.log.info({ taken, held: this.held.size }, 'channel leases taken');
  }

  /** The channel left the list (or its lease is given up): part it at once. */
  private async drop(login: string): Promise<void> {
    const was = this.held.delete(login) || this.handing.delete(login);
    if (!was) return;
    this.emit({ op: 'remove', login });
    await RELEASE.run(this.opts.redis, [this.key(login)], [this.opts.owner]).catch(() => undefined);
  }

  private emit(change: Change): void {
    for (const l of [...this.listeners]) {
      try {
        l(change);
      } catch (err) {
        this.opts.log.error({ err }, 'channel lease listener failed');
      }
    }
  }
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}
