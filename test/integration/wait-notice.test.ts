import type { Job } from 'bullmq';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ClipKeys } from '../../src/clips/keys.js';
import { WaitNotices } from '../../src/clips/wait-notice.js';
import type { ClipJobData } from '../../src/clips/job-data.js';
import type { ClipRequest } from '../../src/core/clip.js';
import { decodeReplyEntry } from '../../src/core/reply-envelope.js';
import { judgeFreshness } from '../../src/replies/reply-staleness.js';
import { mergeKey } from '../../src/replies/reply-targets.js';
import { silentLogger } from '../../src/logger.js';
import { cleanupPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';

/** The "on its way" notice against a real Redis: said once per job, to every requester. */

const redis = testRedis();
const prefixes: string[] = [];
afterEach(async () => {
  for (const p of prefixes.splice(0)) await cleanupPrefix(redis, p);
});
afterAll(() => redis.disconnect());

function request(id: string, platform: 'twitch' | 'discord', requestedAt: number): ClipRequest {
  return {
    requestId: id,
    broadcasterId: '1',
    broadcasterLogin: 'streamer',
    broadcasterName: 'Streamer',
    requester: { platform, userId: `u-${id}`, displayName: id },
    replyTo:
      platform === 'twitch'
        ? { platform: 'twitch', channel: 'streamer', parentMessageId: id }
        : { platform: 'discord', interactionId: id, guildId: 'g', channelId: 'c' },
    requestedAt,
  };
}

async function scene() {
  const prefix = uniquePrefix('notice');
  prefixes.push(prefix);
  const keys = new ClipKeys(prefix, 'clips');
  const notices = new WaitNotices({ redis, keys, log: silentLogger(), streamMaxLen: 0 });
  const asked = Date.now() - 10_000;
  const reqs = [
    request('a', 'twitch', asked),
    request('b', 'twitch', asked + 100),
    request('c', 'discord', asked + 200),
  ];
  await redis.rpush(keys.requesters('j1'), ...reqs.map((r) => JSON.stringify(r)));
  const read = async (platform: 'twitch' | 'discord') =>
    (await redis.xrange(keys.replies(platform), '-', '+')).map(([, f]) => decodeReplyEntry(f)!);
  return { keys, notices, reqs, read };
}

describe('WaitNotices', () => {
  it('tells every requester once: one Twitch entry naming both, one per interaction', async () => {
    const { notices, reqs, read } = await scene();
    const data: ClipJobData = { request: reqs[0]! };
    expect(await notices.publish('j1', data, 'twitch_slow')).toBe(true);
    // Another reason, a retry, another worker: never a second notice for the job.
    expect(await notices.publish('j1', data, 'rate_limited')).toBe(false);
    expect(await notices.publish('j1', data, 'twitch_slow')).toBe(false);
    const twitch = await read('twitch');
    expect(twitch).toHaveLength(1);
    expect(twitch[0]!.result.outcome).toEqual({ status: 'on_its_way', reason: 'twitch_slow' });
    expect(twitch[0]!.requests.map((r) => r.requestId)).toEqual(['a', 'b']);
    const discord = await read('discord');
    expect(discord.map((e) => e.requests.map((r) => r.requestId))).toEqual([['c']]);
  });

  it('keeps quiet for a wait too short to notice, and for a job of its own', async () => {
    const { notices, keys, reqs, read } = await scene();
    const job = (requestedAt: number) =>
      ({ id: 'j1', data: { request: { ...reqs[0]!, requestedAt } } }) as Job<ClipJobData>;
    await notices.tell(job(Date.now()), 'rate_limited', 1000);
    expect(await redis.exists(keys.waitNotice('j1'))).toBe(0);
    await notices.tell(job(Date.now()), 'rate_limited', 5000);
    expect(await read('twitch')).toHaveLength(1);
  });

  it('says nothing for a job that has already answered', async () => {
    const { notices, keys, reqs, read } = await scene();
    await redis.set(keys.result('j1'), '{}');
    expect(await notices.publish('j1', { request: reqs[0]! }, 'recovering')).toBe(false);
    expect(await read('twitch')).toHaveLength(0);
  });

  it('is never merged with the result, and dropped on Twitch once it is old', async () => {
    const { notices, reqs, read } = await scene();
    await notices.publish('j1', { request: reqs[0]! }, 'recovering', 1_000_000);
    const [envelope] = await read('twitch');
    expect(mergeKey(envelope!)).toBeUndefined();
    expect(judgeFreshness(envelope!, 1_000_000 + 5_000).action).toBe('send');
    expect(judgeFreshness(envelope!, 1_000_000 + 60_000).action).toBe('drop');
  });
});
