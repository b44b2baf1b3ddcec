import type { HelixApi } from '../twitch/helix-api.js';
import type { HelixStream } from '../twitch/types.js';
import {
  LIVE_TRUST_DEFAULTS,
  liveEntry,
  type LiveStatus,
  type LiveStatusTable,
} from './live-status-table.js';

export interface LiveCheckerOptions {
  helix: HelixApi;
  /**
   * On: checks arriving within `batchWindowMs` share one Get Streams (up to 100 ids), and
   * a 'live' answer is reused for `cacheS`. Off: one Get Streams per check, no cache.
   */
  batching: boolean;
  /** LIVE_CACHE_S. Only 'live' is cached: a stream that just started must not wait. */
  cacheS: number;
  batchWindowMs?: number;
  /**
   * Batching: under sustained load, Get Streams is paced to one call per this (default
   * 750 ms), each carrying every check that waited (up to 100). Checks arriving one every
   * few tens of milliseconds (one `!clip` in each of many channels) would otherwise each
   * get a call of their own.
   */
  minIntervalMs?: number;
  /** Calls allowed back to back after a quiet spell before pacing starts (default 4). */
  burstCalls?: number;
  /**
   * Batching: the live table shared by every worker (kept by LiveStatusRefresher). A check
   * it can answer costs no call; the answers of the checker's own calls are written back.
   */
  table?: LiveStatusTable;
  /** How long the checker's own answers are trusted in the table (LIVE_TRUST_DEFAULTS). */
  liveTrustMs?: number;
  offlineTrustMs?: number;
}

export const LIVE_CHECKER_DEFAULTS = {
  batchWindowMs: 20,
  minIntervalMs: 750,
  burstCalls: 4,
} as const satisfies Partial<LiveCheckerOptions>;

interface Deferred {
  resolve(live: boolean): void;
  reject(err: unknown): void;
}

const MAX_IDS = 100;

/** Answers "is this channel live?" for the worker, spending as few Helix points as it can. */
export class LiveChecker {
  private readonly liveUntil = new Map<string, number>();
  private pending = new Map<string, Deferred[]>();
  /** Logins of the pending ids, for writing the answers to the table. */
  private logins = new Map<string, string>();
  private timer?: NodeJS.Timeout;
  /** Token bucket of the pacing: a quiet checker answers at once, a busy one every interval. */
  private tokens: number;
  private tokensAt = Date.now();
  /** Checks answered from the live table (for tests and metrics). */
  tablesUsed = 0;

  constructor(private readonly opts: LiveCheckerOptions) {
    this.tokens = this.burst;
  }

  private get burst(): number {
    return Math.max(1, this.opts.burstCalls ?? LIVE_CHECKER_DEFAULTS.burstCalls);
  }

  private get minIntervalMs(): number {
    return this.opts.minIntervalMs ?? LIVE_CHECKER_DEFAULTS.minIntervalMs;
  }

  /**
   * Whether the channel is live: from this process's few-second cache, else from the
   * shared live table when it may be trusted, else from Get Streams (batched). `login`
   * names the channel in the table; without it the table is not used.
   */
  async isLive(broadcasterId: string, login?: string): Promise<boolean> {
    if (!this.opts.batching)
      return this.fetch([broadcasterId]).then((live) => live.has(broadcasterId));
    const until = this.liveUntil.get(broadcasterId);
    if (until !== undefined) {
      if (until > Date.now()) return true;
      this.liveUntil.delete(broadcasterId);
    }
    const table = this.opts.table;
    if (table && login) {
      const known = await table.trusted(login).catch(() => undefined);
      // Only "live" saves the call. A false "offline" would refuse a stream that just
      // started, so an offline channel is always asked about (at once, one batched call);
      // a false "live" costs nothing extra: Create Clip's 404 answers "offline".
      // A renamed login now naming another channel is not this broadcaster's status.
      if (known?.live && (known.userId === undefined || known.userId === broadcasterId)) {
        this.tablesUsed++;
        return true;
      }
      this.logins.set(broadcasterId, login.toLowerCase());
    }
    return this.ask(broadcasterId);
  }

  /**
   * Create Clip answered 404 (not live): Twitch is the authority. Forgets the cached "live"
   * and corrects the table, so the next check does not trust it.
   */
  async markOffline(broadcasterId: string, login?: string): Promise<void> {
    this.liveUntil.delete(broadcasterId);
    if (this.opts.table && login)
      await this.opts.table.markOffline(login, {
        offlineMs: this.opts.offlineTrustMs ?? LIVE_TRUST_DEFAULTS.offlineMs,
      });
  }

  private ask(broadcasterId: string): Promise<boolean> {
    return new Promise((resolve, reject) => {
      const waiting = this.pending.get(broadcasterId);
      if (waiting) waiting.push({ resolve, reject });
      else this.pending.set(broadcasterId, [{ resolve, reject }]);
      if (this.pending.size >= MAX_IDS) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.delayMs());
    });
  }

  /** The batch window, stretched until the bucket holds a call again. */
  private delayMs(): number {
    const window = this.opts.batchWindowMs ?? LIVE_CHECKER_DEFAULTS.batchWindowMs;
    this.refill();
    if (this.tokens >= 1) return window;
    return Math.max(window, Math.ceil((1 - this.tokens) * this.minIntervalMs));
  }

  private refill(): void {
    const now = Date.now();
    const interval = this.minIntervalMs;
    if (interval > 0) {
      this.tokens = Math.min(this.burst, this.tokens + (now - this.tokensAt) / interval);
    } else {
      this.tokens = this.burst;
    }
    this.tokensAt = now;
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    const logins = this.logins;
    this.pending = new Map();
    this.logins = new Map();
    if (batch.size === 0) return;
    // A full batch goes regardless of the pacing: it is as cheap as a call gets.
    this.refill();
    this.tokens = Math.max(0, this.tokens - 1);
    const ids = [...batch.keys()];
    this.fetch(ids).then(
      (live) => {
        const now = Date.now();
        const until = now + this.opts.cacheS * 1000;
        for (const [id, waiters] of batch) {
          const isLive = live.has(id);
          if (isLive && this.opts.cacheS > 0) this.liveUntil.set(id, until);
          for (const w of waiters) w.resolve(isLive);
        }
        void this.writeBack(live, logins, now);
      },
      (err: unknown) => {
        for (const waiters of batch.values()) for (const w of waiters) w.reject(err);
      },
    );
  }

  /** The checker's own answers go to the table, so other workers need not ask again. */
  private async writeBack(
    live: Map<string, HelixStream>,
    logins: Map<string, string>,
    now: number,
  ): Promise<void> {
    const table = this.opts.table;
    if (!table || logins.size === 0) return;
    const liveMs = this.opts.liveTrustMs ?? LIVE_TRUST_DEFAULTS.liveMs;
    const offlineMs = this.opts.offlineTrustMs ?? LIVE_TRUST_DEFAULTS.offlineMs;
    const entries: Record<string, LiveStatus> = {};
    for (const [id, login] of logins) {
      const stream = live.get(id);
      // The same answer's title and game go along: a clip title reads them from the table.
      entries[login] = stream
        ? liveEntry(stream, now, liveMs)
        : { live: false, checkedAt: now, trustUntil: now + offlineMs };
    }
    // Not fatal: the table only saves calls.
    await table.put(entries).catch(() => undefined);
  }

  /** The live ones of `ids`, with their streams. */
  private async fetch(ids: string[]): Promise<Map<string, HelixStream>> {
    const streams = await this.opts.helix.getStreams({ userIds: ids });
    return new Map(streams.map((s) => [s.user_id, s]));
  }
}
