import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

/** The Redis the tests use; .ci/run and global-setup.ts make sure one answers. */
export function testRedisUrl(): string {
  return process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** A key prefix (and queue name) unique to one test, so tests can run in parallel. */
export function uniquePrefix(name = 't'): string {
  return `test-${name}-${randomUUID().slice(0, 8)}`;
}

export function testRedis(): Redis {
  return new Redis(testRedisUrl(), { maxRetriesPerRequest: null, lazyConnect: false });
}

/** Deletes every key under the prefix (BullMQ's keys included when its prefix is ours). */
export async function cleanupPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
}
