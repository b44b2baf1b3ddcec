import { describe, expect, it } from 'vitest';
import { outcomeOfAbandonedJob } from '../../src/clips/clip-worker.js';
import { UndeliverableError, isUndeliverable } from '../../src/replies/delivery-errors.js';
import { ClipFailure, createOutcomeUnknown, decide } from '../../src/clips/failure-mapping.js';
import { FAILURE_TEXT } from '../../src/clips/reasons.js';
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
    ['title_rejected', 'internal'],
  ] as const)('%s fails at once with %s', (kind, reason) => {
    expect(decide(helix(kind))).toMatchObject({ action: 'fail', reason });
  });

  it.each(['forbidden', 'bad_request'] as const)(
    "an unrecognised %s from Create Clip quotes Twitch's words, made safe for chat",
    (kind) => {
      const err = new HelixError(
        kind,
        403,
        'POST /clips',
        '  Clipping\u0007 is paused\n\n here.\u{E0001} ',
      );
      expect(decide(err)).toMatchObject({
        action: 'fail',
        reason: 'twitch_refused',
        twitchText: 'Clipping is paused here.',
      });
    },
  );

  it('an unrecognised refusal without words, or off Create Clip, is ours to log', () => {
    expect(decide(new HelixError('forbidden', 403, 'POST /clips', ' \u0000 '))).toMatchObject({
      action: 'fail',
      reason: 'internal',
    });
    expect(decide(new HelixError('forbidden', 403, 'GET /users', 'Forbidden'))).toMatchObject({
      action: 'fail',
      reason: 'internal',
    });
  });

  it("a 429 from Create Clip's own bucket pauses clip creation", () => {
    expect(decide(helix('clip_creation_limited', 429))).toMatchObject({ action: 'clip_paused' });
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

describe('createOutcomeUnknown: may a failed Create Clip have made a clip?', () => {
  const post = (kind: HelixErrorKind, status: number, ambiguous?: boolean) =>
    new HelixError(kind, status, 'POST /clips', 'x', undefined, ambiguous);

  it('yes after a timeout, a reset, a 5xx, or a 2xx without the clip id', () => {
    expect(createOutcomeUnknown(post('timeout', 0, true))).toBe(true);
    expect(createOutcomeUnknown(post('network', 0, true))).toBe(true);
    expect(createOutcomeUnknown(post('server_error', 503, true))).toBe(true);
    expect(createOutcomeUnknown(post('server_error', 202))).toBe(true);
    // A thrower that did not say: assume the worst.
    expect(createOutcomeUnknown(post('server_error', 500))).toBe(true);
    expect(
      createOutcomeUnknown(
        new HelixError('timeout', 0, 'POST /videos/clips', 'x', undefined, true),
      ),
    ).toBe(true);
  });

  it('no when Twitch refused before acting, or the request never left', () => {
    expect(createOutcomeUnknown(post('rate_limited', 429, false))).toBe(false);
    expect(createOutcomeUnknown(post('not_live', 404))).toBe(false);
    expect(createOutcomeUnknown(post('title_rejected', 400))).toBe(false);
    expect(createOutcomeUnknown(post('network', 0, false))).toBe(false);
  });

  it('no for other endpoints (the VOD lookups) and for errors that are not Helix errors', () => {
    expect(createOutcomeUnknown(new HelixError('timeout', 0, 'GET /videos', 'x'))).toBe(false);
    expect(createOutcomeUnknown(new Error('boom'))).toBe(false);
  });

  it('has words for the requesters', () => {
    expect(FAILURE_TEXT.uncertain).toMatch(/may still appear/);
  });
});

describe('outcomeOfAbandonedJob', () => {
  it('says a made clip may still appear, an unconfirmed one is uncertain, else internal', () => {
    expect(
      outcomeOfAbandonedJob({ stage: 'wait_visible', clipId: 'c1', editUrl: 'e', createdAt: 1 }),
    ).toEqual({ status: 'not_visible', clipId: 'c1', editUrl: 'e' });
    expect(outcomeOfAbandonedJob({ stage: 'create', createAttemptedAt: 5 }, 'stalled')).toEqual({
      status: 'failed',
      reason: 'uncertain',
      detail: 'stalled',
    });
    expect(outcomeOfAbandonedJob(undefined)).toMatchObject({
      status: 'failed',
      reason: 'internal',
    });
  });
});

describe('UndeliverableError', () => {
  it('is recognised, also by name from another copy of the module', () => {
    expect(isUndeliverable(new UndeliverableError('gone', 'not_in_channel'))).toBe(true);
    const foreign = Object.assign(new Error('gone'), { name: 'UndeliverableError' });
    expect(isUndeliverable(foreign)).toBe(true);
    expect(isUndeliverable(new Error('timeout'))).toBe(false);
  });
});
