import { afterEach, describe, expect, it } from 'vitest';
import type { ClipOutcome, ClipRequest, ReplyEnvelope } from '../../src/core/clip.js';
import { encodeReplyEntry } from '../../src/core/reply-envelope.js';
import { startPipelineHarness, waitFor } from '../helpers/pipeline-harness.js';

/**
 * Answers that waited in the reply stream (chat down, Redis down, no bot process) are judged
 * when they finally go out (src/replies/reply-staleness.ts): an old failure is dropped, an
 * old clip is posted rather than threaded, a fresh answer goes as it is.
 */

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const made: ClipOutcome = {
  status: 'created',
  clip: {
    id: 'c1',
    url: 'https://clips.twitch.tv/c1',
    editUrl: 'e',
    title: 't',
    broadcasterName: 'S',
  },
};
const failed: ClipOutcome = { status: 'failed', reason: 'twitch_unavailable' };

describe('stale Twitch answers after an outage', () => {
  it('drops an old failure, posts an old clip unthreaded, sends a fresh answer as it is', async () => {
    const h = await startPipelineHarness({ role: 'bot', channels: ['streamer'] });
    cleanups.push(() => h.close());
    const sender = h.senders.twitch;
    // Chat is down: the answers wait in the stream.
    sender.isReady = false;
    const envelope = (req: ClipRequest, outcome: ClipOutcome, ageMs: number): ReplyEnvelope => ({
      platform: 'twitch',
      requests: [req],
      result: {
        jobId: `clip-${req.requestId}`,
        broadcasterId: req.broadcasterId,
        broadcasterLogin: req.broadcasterLogin,
        broadcasterName: req.broadcasterName,
        outcome,
        finishedAt: Date.now() - ageMs,
      },
    });
    const oldFailure = h.clipRequest('streamer');
    const oldClip = h.clipRequest('streamer');
    const fresh = h.clipRequest('streamer');
    const stream = h.pipeline.keys.replies('twitch');
    for (const env of [
      envelope(oldFailure, failed, 45_000),
      envelope(oldClip, made, 45_000),
      envelope(fresh, failed, 1_000),
    ]) {
      await h.redis.xadd(stream, '*', ...encodeReplyEntry(env));
    }

    sender.isReady = true;
    await waitFor(async () => (await h.redis.xlen(stream)) === 0, {
      what: 'every waiting answer settled',
    });
    expect(sender.answersFor(oldFailure.requestId)).toHaveLength(0);
    const [clipAnswer] = sender.answersFor(oldClip.requestId);
    expect(clipAnswer?.result.outcome.status).toBe('created');
    expect(clipAnswer?.requests[0]?.replyTo).toEqual({ platform: 'twitch', channel: 'streamer' });
    const [freshAnswer] = sender.answersFor(fresh.requestId);
    expect(freshAnswer?.requests[0]?.replyTo).toEqual(fresh.replyTo);
    const m = await h.metrics.replyDeliveries.get();
    const expired = m.values.filter((v) => v.labels.result === 'expired');
    expect(expired.reduce((n, v) => n + v.value, 0)).toBe(1);
  });
});
