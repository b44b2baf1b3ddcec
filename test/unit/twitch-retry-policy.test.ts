import { describe, expect, it } from 'vitest';
import { RetryPolicy, newRetryState } from '../../src/twitch/retry-policy.js';

function policy(over: Partial<ConstructorParameters<typeof RetryPolicy>[0]> = {}) {
  return new RetryPolicy({
    maxRetries: 3,
    baseMs: 100,
    maxRateLimitWaitS: 10,
    random: () => 0.999,
    now: () => 1_000_000,
    rateLimitSlackMs: 0,
    ...over,
  });
}

describe('RetryPolicy backoff', () => {
  it('doubles the ceiling per retry and caps it', () => {
    const p = policy({ maxDelayMs: 500 });
    expect([0, 1, 2, 3, 4].map((r) => p.backoffMs(r))).toEqual([99, 199, 399, 499, 499]);
  });

  it('uses full jitter: anywhere from 0 to the ceiling', () => {
    expect(policy({ random: () => 0 }).backoffMs(3)).toBe(0);
    expect(policy({ random: () => 0.5 }).backoffMs(2)).toBe(200);
  });
});

describe('RetryPolicy.decide', () => {
  it('retries 5xx, timeouts and network errors up to maxRetries', () => {
    const p = policy();
    for (const kind of ['server_error', 'timeout', 'network'] as const) {
      const s = newRetryState();
      const delays: number[] = [];
      for (;;) {
        const d = p.decide(s, { kind, idempotent: true });
        if (!d.retry) break;
        delays.push(d.delayMs);
        p.record(s, { kind, idempotent: true }, d.delayMs);
      }
      expect(delays).toEqual([99, 199, 399]);
    }
  });

  it('never retries permanent kinds', () => {
    const p = policy();
    for (const kind of ['not_live', 'unauthorized', 'bad_request', 'clips_disabled'] as const) {
      expect(p.decide(newRetryState(), { kind, idempotent: true })).toEqual({ retry: false });
    }
  });

  it('does not repeat a non-idempotent request that may have arrived', () => {
    const p = policy();
    const s = newRetryState();
    expect(p.decide(s, { kind: 'timeout', idempotent: false })).toEqual({ retry: false });
    expect(p.decide(s, { kind: 'network', idempotent: false, ambiguous: true })).toEqual({
      retry: false,
    });
    expect(p.decide(s, { kind: 'network', idempotent: false, ambiguous: false }).retry).toBe(true);
  });

  it('never repeats a non-idempotent request after a 5xx: the work may have been done', () => {
    const p = policy();
    const s = newRetryState();
    expect(p.decide(s, { kind: 'server_error', idempotent: false })).toEqual({ retry: false });
    expect(p.decide(s, { kind: 'server_error', idempotent: false, ambiguous: true })).toEqual({
      retry: false,
    });
    expect(p.decide(s, { kind: 'timeout', idempotent: false, ambiguous: true })).toEqual({
      retry: false,
    });
    // Idempotent requests (GETs) are retried as before.
    expect(p.decide(s, { kind: 'server_error', idempotent: true, ambiguous: true }).retry).toBe(
      true,
    );
    // A 429 is Twitch refusing before acting: safe to repeat even a POST.
    expect(
      p.decide(s, { kind: 'rate_limited', idempotent: false, resetAt: 1001, ambiguous: false })
        .retry,
    ).toBe(true);
  });

  it('waits until Ratelimit-Reset on 429', () => {
    const p = policy({ now: () => 1_000_000, rateLimitSlackMs: 25 });
    expect(
      p.decide(newRetryState(), { kind: 'rate_limited', resetAt: 1002, idempotent: true }),
    ).toEqual({
      retry: true,
      delayMs: 2025,
    });
    // A reset already past waits only the slack.
    expect(
      p.decide(newRetryState(), { kind: 'rate_limited', resetAt: 999, idempotent: true }),
    ).toEqual({
      retry: true,
      delayMs: 25,
    });
  });

  it('gives up on 429 when the total wait would exceed maxRateLimitWaitS', () => {
    const p = policy({ maxRateLimitWaitS: 3 });
    const s = newRetryState();
    const f = { kind: 'rate_limited' as const, resetAt: 1002, idempotent: true };
    const d = p.decide(s, f);
    expect(d).toEqual({ retry: true, delayMs: 2000 });
    p.record(s, f, 2000);
    expect(p.decide(s, f)).toEqual({ retry: false });
    expect(p.decide(newRetryState(), { ...f, resetAt: 1004 })).toEqual({ retry: false });
  });

  it('falls back to backoff for a 429 without Ratelimit-Reset', () => {
    expect(policy().decide(newRetryState(), { kind: 'rate_limited', idempotent: true })).toEqual({
      retry: true,
      delayMs: 99,
    });
  });

  it('counts 429 retries against maxRetries', () => {
    const p = policy({ maxRetries: 1 });
    const s = newRetryState();
    const f = { kind: 'rate_limited' as const, resetAt: 1000, idempotent: true };
    const d = p.decide(s, f);
    expect(d.retry).toBe(true);
    p.record(s, f, 0);
    expect(p.decide(s, f)).toEqual({ retry: false });
  });
});
