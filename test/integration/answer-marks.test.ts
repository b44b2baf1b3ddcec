import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { AnswerMarks } from '../../src/chat/twitch/answer-marks.js';
import type { ClipRequest, ReplyEnvelope } from '../../src/core/clip.js';
import { cleanupPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';

/** The "answer has left" marks, on the real Redis. */

let redis: Redis;
let prefix: string;
beforeEach(() => {
  redis = testRedis();
  prefix = uniquePrefix('marks');
});
afterEach(async () => {
  await cleanupPrefix(redis, prefix);
  redis.disconnect();
});

function request(id: string): ClipRequest {
  return {
    requestId: id,
    broadcasterId: '1',
    broadcasterLogin: 'streamer',
    broadcasterName: 'Streamer',
    requester: { platform: 'twitch', userId: `u-${id}`, displayName: `Viewer ${id}` },
    replyTo: { platform: 'twitch', channel: 'streamer', parentMessageId: id },
    requestedAt: Date.now(),
  };
}

function envelope(ids: string[], reason: 'offline' | 'clips_disabled' = 'offline'): ReplyEnvelope {
  return {
    platform: 'twitch',
    result: {
      jobId: 'job-1',
      broadcasterId: '1',
      broadcasterLogin: 'streamer',
      broadcasterName: 'Streamer',
      outcome: { status: 'failed', reason },
      finishedAt: Date.now(),
    },
    requests: ids.map(request),
  };
}

describe('AnswerMarks', () => {
  it('an answer marked as sent is not sent again to the same requesters; others still are', async () => {
    const marks = new AnswerMarks({ redis, prefix });
    expect((await marks.unanswered(envelope(['a', 'b']))).map((r) => r.requestId)).toEqual([
      'a',
      'b',
    ]);
    await marks.mark(envelope(['a']));
    // A second process that took the entry over finds the mark.
    const other = new AnswerMarks({ redis, prefix });
    expect((await other.unanswered(envelope(['a', 'b']))).map((r) => r.requestId)).toEqual(['b']);
    // A different answer to the same request is not taken for the one that left.
    expect(
      (await other.unanswered(envelope(['a'], 'clips_disabled'))).map((r) => r.requestId),
    ).toEqual(['a']);
  });

  it('marks expire with the Twitch answer age limit', async () => {
    const marks = new AnswerMarks({ redis, prefix, ttlMs: 60_000 });
    await marks.mark(envelope(['a']));
    const [key] = await redis.keys(`${prefix}:answered:a:*`);
    expect(key).toBeDefined();
    const ttl = await redis.pttl(key!);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });
});
