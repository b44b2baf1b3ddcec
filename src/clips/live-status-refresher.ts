import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { errMessage } from '../core/err-message.js';
import { RedisLease } from '../redis/lease.js';
import type { HelixApi } from '../twitch/helix-api.js';
import type { ClipKeys } from './keys.js';
import { refreshPeriodMs, LIVE_RHYTHM_DEFAULTS, type LiveRhythmOptions } from './live-rhythm.js';
import {
  LIVE_TRUST_DEFAULTS,
  LiveStatusTable,
  liveEntry,
  type LiveStatus,
} from './live-status-table.js';

export interface LiveStatusRefresherOptions {
  redis: Redis;
  keys: ClipKeys;
  helix: HelixApi;
  log: Logger;
  /** The joined channels (logins): TWITCH_CHANNELS and those added since. */
  channels(): Promise<string[]>;
  rhythm?: Partial<LiveRhythmOptions>;
  /** How long the lease lasts unless renewed; the holder renews it at a third of that. */
  leaseMs?: number;
  refreshMarginMs?: number;
  offlineTrustMs?: number;
}

export const LIVE_REFRESHER_DEFAULTS = {
  leaseMs: 15_000,
} as const satisfies Partial<LiveStatusRefresherOptions>;

const IDS_PER_CALL = 100;

/**
 * Keeps the live table (LiveStatusTable) fresh for every joined channel with batched Get
 * Streams, on the rhythm of refreshPeriodMs. Every worker process runs one; only the one
 * holding the lease refreshes, the others stand by to take over when it goes away. The
 * time of the last round is kept in Redis, so a new holder keeps the rhythm.
 */
export class LiveStatusRefresher {
  readonly table: LiveStatusTable;
  private readonly lease: RedisLease;
  private readonly leaseMs: number;
  private readonly rhythm: LiveRhythmOptions;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = true;
  /** Set by stop(): a round under way ends after its current batch. */
  private closing = false;
  /** Rounds this process made (for tests and the log). */
  rounds = 0;

  constructor(private readonly opts: LiveStatusRefresherOptions) {
    this.table = new LiveStatusTable(opts.redis, opts.keys);
    this.leaseMs = opts.leaseMs ?? LIVE_REFRESHER_DEFAULTS.leaseMs;
    this.lease = new RedisLease(opts.redis, opts.keys.liveStatusLease(), this.leaseMs);
    this.rhythm = { ...LIVE_RHYTHM_DEFAULTS, ...opts.rhythm };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.closing = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.closing = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    await this.lease.release().catch(() => undefined);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => (this.running = undefined));
    }, ms);
    this.timer.unref();
  }

  /** One turn: hold (or try to take) the lease, refresh if a round is due, sleep. */
  private async tick(): Promise<void> {
    const renewEvery = Math.max(1, Math.floor(this.leaseMs / 3));
    let next = renewEvery;
    try {
      if (await this.lease.hold()) {
        const channels = await this.opts.channels();
        const period = refreshPeriodMs(channels.length, this.rhythm);
        const last = Number(await this.opts.redis.get(this.opts.keys.liveStatusRound()));
        const now = Date.now();
        const dueIn = Number.isFinite(last) && last > 0 ? last + period - now : 0;
        if (dueIn <= 0) {
          await this.opts.redis.set(
            this.opts.keys.liveStatusRound(),
            String(now),
            'PX',
            period * 2,
          );
          await this.refresh(channels, period);
          next = Math.min(renewEvery, period);
        } else {
          next = Math.min(renewEvery, dueIn);
        }
      }
    } catch (err) {
      this.opts.log.warn({ err: errMessage(err) }, 'live table refresh failed; trying again');
    }
    this.schedule(next);
  }

  /** One round: Get Streams per 100 channels, written to the table as each batch returns. */
  async refresh(channels: readonly string[], periodMs: number): Promise<void> {
    const logins = [...new Set(channels.map((c) => c.toLowerCase()))];
    const liveFor =
      2 * periodMs + (this.opts.refreshMarginMs ?? LIVE_TRUST_DEFAULTS.refreshMarginMs);
    const offlineFor = this.opts.offlineTrustMs ?? LIVE_TRUST_DEFAULTS.offlineMs;
    for (let i = 0; i < logins.length; i += IDS_PER_CALL) {
      if (this.closing) return;
      const batch = logins.slice(i, i + IDS_PER_CALL);
      const streams = await this.opts.helix.getStreams({ userLogins: batch });
      const now = Date.now();
      const byLogin = new Map(streams.map((s) => [s.user_login.toLowerCase(), s]));
      const entries: Record<string, LiveStatus> = {};
      for (const login of batch) {
        const s = byLogin.get(login);
        entries[login] = s
          ? liveEntry(s, now, liveFor)
          : { live: false, checkedAt: now, trustUntil: now + offlineFor };
      }
      await this.table.put(entries);
    }
    await this.table.prune(new Set(logins));
    this.rounds++;
  }
}
