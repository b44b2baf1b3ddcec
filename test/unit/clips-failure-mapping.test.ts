import { describe, expect, it } from 'vitest';
import { ClipFailure, decide } from '../../src/clips/failure-mapping.js';
import { HelixError, type HelixErrorKind } from '../../src/twitch/errors.js';

const helix = (kind: HelixErrorKind, status = 400, resetAt?: number) =>
  new HelixError(kind, status, 'POST /clips', 'twitch says no', resetAt);

describe('decide: Helix errors to what the worker does', () => {
  it.each([
    ['not_live', 'offline'],
    ['clips_disabled', 'clips_disabled'],
    ['clips_restricted', 'clips_restricted'],
    ['banned', 'banned'],
    ['not_clippable', 'not_clippable'],
    ['unknown_broadcaster', 'unknown_channel'],
    ['unauthorized', 'unauthorized'],
    ['missing_scope', 'unauthorized'],
    ['forbidden', 'internal'],
    ['bad_request', 'internal'],
    ['title_rejected', 'internal'],
  ] as const)('%s fails at once with %s', (kind, reason) => {
    expect(decide(helix(kind))).toMatchObject({ action: 'fail', reason });
  });

  it.each(['server_error', 'timeout', 'network'] as const)('%s is retried', (kind) => {
    expect(decide(helix(kind, 503))).toMatchObject({
      action: 'retry',
      reason: 'twitch_unavailable',
    });
  });

  it('pauses until Ratelimit-Reset on 429, at least a second', () => {
    const now = 1_000_000_000_000;
    expect(decide(helix('rate_limited', 429, now / 1000 + 7), now)).toMatchObject({
      action: 'rate_limited',
      retryInMs: 7000,
    });
    expect(decide(helix('rate_limited', 429, now / 1000 - 5), now)).toMatchObject({
      retryInMs: 1000,
    });
    expect(decide(helix('rate_limited', 429), now)).toMatchObject({ retryInMs: 10_000 });
  });

  it('keeps the reason of a ClipFailure and retries unknown errors as internal', () => {
    expect(decide(new ClipFailure('offline', 'not live'))).toMatchObject({
      action: 'fail',
      reason: 'offline',
    });
    expect(decide(new TypeError('x is undefined'))).toMatchObject({
      action: 'retry',
      reason: 'internal',
    });
  });

  it('keeps the endpoint and Twitch message for logs', () => {
    const d = decide(helix('banned', 403));
    expect(d.detail).toContain('POST /clips');
    expect(d.detail).toContain('twitch says no');
  });
});
