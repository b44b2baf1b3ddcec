import type { HelixErrorKind } from './errors.js';

export interface RetryPolicyOptions {
  /** Retries after the first attempt (so maxRetries + 1 attempts at most). */
  maxRetries: number;
  /** First backoff step; doubles per retry, full jitter. */
  baseMs: number;
  /** Cap on one backoff delay. */
  maxDelayMs?: number;
  /** Total time one call may spend waiting for Ratelimit-Reset. */
  maxRateLimitWaitS: number;
  /** Added to the wait for Ratelimit-Reset: the header has whole-second resolution. */
  rateLimitSlackMs?: number;
  random?: () => number;
  now?: () => number;
}

/** The state of one call's retries, kept by the caller and handed back on each failure. */
export interface RetryState {
  /** Retries done so far. */
  retries: number;
  /** Milliseconds spent waiting for rate-limit resets so far. */
  rateLimitWaitedMs: number;
}

export interface RetryFailure {
  kind: HelixErrorKind;
  /** Ratelimit-Reset, epoch seconds, when the response carried it. */
  resetAt?: number;
  /** False for requests that must not be sent twice (POST /clips makes a clip each time). */
  idempotent: boolean;
  /**
   * Whether the request may have reached Twitch although no definite answer came back.
   * False only when it certainly never left (connection refused, no DNS). A non-idempotent
   * request is repeated ONLY then: after a timeout, a reset or a 5xx Twitch may have made
   * the clip, and a second clip is worse than an answer that says we do not know. Undefined
   * counts as ambiguous.
   */
  ambiguous?: boolean;
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false };

export function newRetryState(): RetryState {
  return { retries: 0, rateLimitWaitedMs: 0 };
}

export const RETRY_POLICY_DEFAULTS = {
  maxDelayMs: 30_000,
  rateLimitSlackMs: 50,
} as const satisfies Partial<RetryPolicyOptions>;

/**
 * The one place that decides whether a failed Helix request is tried again and after how
 * long: exponential backoff with full jitter for 5xx, timeouts and network errors (for a
 * non-idempotent request such as POST /clips, only when it never left), and a wait until
 * Ratelimit-Reset for 429 (Twitch refuses before acting, so that is safe for any request). Pure apart from the injected clock and random source.
 */
export class RetryPolicy {
  private readonly maxDelayMs: number;
  private readonly slackMs: number;
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(private readonly opts: RetryPolicyOptions) {
    this.maxDelayMs = opts.maxDelayMs ?? RETRY_POLICY_DEFAULTS.maxDelayMs;
    this.slackMs = opts.rateLimitSlackMs ?? RETRY_POLICY_DEFAULTS.rateLimitSlackMs;
    this.random = opts.random ?? Math.random;
    this.now = opts.now ?? Date.now;
  }

  /** Full-jitter backoff for the given retry number (0 for the first retry). */
  backoffMs(retry: number): number {
    const ceiling = Math.min(this.maxDelayMs, this.opts.baseMs * 2 ** retry);
    return Math.floor(this.random() * ceiling);
  }

  /** Milliseconds until the bucket refills, never negative. */
  untilResetMs(resetAt: number): number {
    return Math.max(0, Math.ceil(resetAt * 1000 - this.now())) + this.slackMs;
  }

  decide(state: RetryState, failure: RetryFailure): RetryDecision {
    if (state.retries >= this.opts.maxRetries) return { retry: false };
    switch (failure.kind) {
      case 'rate_limited': {
        if (failure.resetAt === undefined)
          return { retry: true, delayMs: this.backoffMs(state.retries) };
        const wait = this.untilResetMs(failure.resetAt);
        if (state.rateLimitWaitedMs + wait > this.opts.maxRateLimitWaitS * 1000)
          return { retry: false };
        return { retry: true, delayMs: wait };
      }
      case 'timeout':
      case 'network':
      case 'server_error':
        if (!failure.idempotent && failure.ambiguous !== false) return { retry: false };
        return { retry: true, delayMs: this.backoffMs(state.retries) };
      default:
        return { retry: false };
    }
  }

  /** Records a retry that is about to happen. */
  record(state: RetryState, failure: RetryFailure, delayMs: number): void {
    state.retries += 1;
    if (failure.kind === 'rate_limited' && failure.resetAt !== undefined)
      state.rateLimitWaitedMs += delayMs;
  }
}
