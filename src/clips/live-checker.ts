import type { HelixApi } from '../twitch/helix-api.js';

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
}

interface Deferred {
  resolve(live: boolean): void;
  reject(err: unknown): void;
}

const MAX_IDS = 100;

/** Answers "is this channel live?" for the worker, spending as few Helix points as it can. */
export class LiveChecker {
  private readonly liveUntil = new Map<string, number>();
  private pending = new Map<string, Deferred[]>();
  private timer?: NodeJS.Timeout;
  /** Token bucket of the pacing: a quiet checker answers at once, a busy one every interval. */
  private tokens: number;
  private tokensAt = Date.now();

  constructor(private readonly opts: LiveCheckerOptions) {
    this.tokens = this.burst;
  }

  private get burst(): number {
    return Math.max(1, this.opts.burstCalls ?? 4);
  }

  private get minIntervalMs(): number {
    return this.opts.minIntervalMs ?? 750;
  }

  isLive(broadcasterId: string): Promise<boolean> {
    if (!this.opts.batching)
      return this.fetch([broadcasterId]).then((live) => live.has(broadcasterId));
    const until = this.liveUntil.get(broadcasterId);
    if (until !== undefined) {
      if (until > Date.now()) return Promise.resolve(true);
      this.liveUntil.delete(broadcasterId);
    }
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
    const window = this.opts.batchWindowMs ?? 20;
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
    this.pending = new Map();
    if (batch.size === 0) return;
    // A full batch goes regardless of the pacing: it is as cheap as a call gets.
    this.refill();
    this.tokens = Math.max(0, this.tokens - 1);
    const ids = [...batch.keys()];
    this.fetch(ids).then(
      (live) => {
        const until = Date.now() + this.opts.cacheS * 1000;
        for (const [id, waiters] of batch) {
          const isLive = live.has(id);
          if (isLive && this.opts.cacheS > 0) this.liveUntil.set(id, until);
          for (const w of waiters) w.resolve(isLive);
        }
      },
      (err: unknown) => {
        for (const waiters of batch.values()) for (const w of waiters) w.reject(err);
      },
    );
  }

  private async fetch(ids: string[]): Promise<Set<string>> {
    const streams = await this.opts.helix.getStreams({ userIds: ids });
    return new Set(streams.map((s) => s.user_id));
  }
}
