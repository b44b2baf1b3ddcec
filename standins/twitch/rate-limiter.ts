/** What the Ratelimit-* headers say after a request. */
export interface RateVerdict {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** epoch seconds when the bucket is full again (Twitch's Ratelimit-Reset) */
  resetS: number;
}

interface Bucket {
  points: number;
  at: number;
}

/**
 * Twitch's token bucket: `limit` points, refilled continuously at `refillPerMinute`, one
 * point per request. Buckets are keyed by the caller's identity (the app, or one user of the
 * app), as Twitch does, so a refreshed user token keeps its bucket.
 */
export class RateLimiter {
  private limit = 800;
  private refillPerMinute = 800;
  private readonly buckets = new Map<string, Bucket>();

  constructor(opts?: { limit: number; refillPerMinute?: number }) {
    if (opts) this.configure(opts);
  }

  configure(opts: { limit: number; refillPerMinute?: number }): void {
    if (!Number.isFinite(opts.limit) || opts.limit < 1) throw new RangeError('limit must be >= 1');
    const refill = opts.refillPerMinute ?? opts.limit;
    if (!Number.isFinite(refill) || refill < 0)
      throw new RangeError('refillPerMinute must be >= 0');
    this.limit = opts.limit;
    this.refillPerMinute = refill;
    this.buckets.clear();
  }

  /** Spends one point if there is one. */
  take(key: string, now: number): RateVerdict {
    const bucket = this.refill(key, now);
    const allowed = bucket.points >= 1;
    if (allowed) bucket.points -= 1;
    return this.verdict(bucket, allowed, now);
  }

  /** Headers for a request that spends nothing (one rejected before it reached a bucket). */
  peek(key: string, now: number): RateVerdict {
    const bucket = this.buckets.get(key) ?? { points: this.limit, at: now };
    return this.verdict(this.refilled(bucket, now), true, now);
  }

  private refill(key: string, now: number): Bucket {
    const bucket = this.refilled(this.buckets.get(key) ?? { points: this.limit, at: now }, now);
    this.buckets.set(key, bucket);
    return bucket;
  }

  private refilled(bucket: Bucket, now: number): Bucket {
    const gained = ((now - bucket.at) * this.refillPerMinute) / 60_000;
    return { points: Math.min(this.limit, bucket.points + Math.max(0, gained)), at: now };
  }

  private verdict(bucket: Bucket, allowed: boolean, now: number): RateVerdict {
    const missing = this.limit - bucket.points;
    const fullInMs =
      missing <= 0
        ? 0
        : this.refillPerMinute > 0
          ? (missing * 60_000) / this.refillPerMinute
          : 3_600_000;
    return {
      allowed,
      limit: this.limit,
      remaining: Math.floor(bucket.points),
      resetS: Math.ceil((now + fullInMs) / 1000),
    };
  }
}
