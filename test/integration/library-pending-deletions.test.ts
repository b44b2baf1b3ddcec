import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PendingVodDeletion } from '../../src/core/stores.js';
import {
  CODE_LENGTH,
  RedisPendingVodDeletions,
} from '../../src/store/redis-pending-vod-deletions.js';
import { cleanupPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';

/** The store behind `!vod confirm CODE`, against a real Redis. */

let redis: Redis;
let prefix: string;
beforeEach(() => {
  redis = testRedis();
  prefix = uniquePrefix('voddel');
});
afterEach(async () => {
  await cleanupPrefix(redis, prefix);
  await redis.quit();
});

const deletion = (broadcasterId = '1001'): PendingVodDeletion => ({
  broadcasterId,
  broadcasterName: 'Streamer',
  videos: [{ id: '42', title: 'old stream' }],
  requestedBy: { platform: 'discord', userId: 'd1', displayName: 'Dana', guildId: 'g1' },
  requestedAt: 1_700_000_000_000,
});

describe('RedisPendingVodDeletions', () => {
  it('keeps a deletion for its time under a short code, unambiguous to type', async () => {
    const store = new RedisPendingVodDeletions({ redis, prefix });
    const code = await store.create(deletion(), 300);
    expect(code).toMatch(new RegExp(`^[A-HJ-NP-Z2-9]{${CODE_LENGTH}}$`));
    const [key] = await redis.keys(`${prefix}:*`);
    const ttl = await redis.pttl(key ?? '');
    expect(ttl).toBeGreaterThan(299_000);
    expect(ttl).toBeLessThanOrEqual(300_000);
  });

  it('gives a deletion once, in its own channel only, whatever the case typed', async () => {
    const store = new RedisPendingVodDeletions({ redis, prefix });
    const code = await store.create(deletion(), 300);
    expect(await store.take('2002', code)).toBeUndefined();
    expect(await store.take('1001', 'NOPE')).toBeUndefined();
    expect(
      await store.take('1001', ` ${code.slice(0, 3).toLowerCase()}-${code.slice(3)} `),
    ).toEqual(deletion());
    expect(await store.take('1001', code)).toBeUndefined();
  });

  it('lets exactly one of many simultaneous confirmations through', async () => {
    const store = new RedisPendingVodDeletions({ redis, prefix });
    const second = testRedis();
    const other = new RedisPendingVodDeletions({ redis: second, prefix });
    try {
      const code = await store.create(deletion(), 300);
      const takes = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? store : other).take('1001', code)),
      );
      expect(takes.filter((t) => t !== undefined)).toHaveLength(1);
    } finally {
      await second.quit();
    }
  });
});
