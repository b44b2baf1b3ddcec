import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

/** The Redis the tests use; .ci/run and global-setup.ts make sure one answers. */
export function testRedisUrl(): string {
  return process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** Environment variable through which global-setup.ts hands this run's id to the workers. */
export const TEST_RUN_ENV = 'CLIPBOT_TEST_RUN';

/** Keys of every test run start with this; another run's keys are never touched. */
const RUN_KEY_ROOT = 'test-';

/**
 * This run's id. Set by global-setup.ts before the workers start; a process started some
 * other way (a file run by hand outside vitest) gets an id of its own.
 */
export function testRunId(): string {
  return (process.env[TEST_RUN_ENV] ??= `r${randomUUID().slice(0, 8)}`);
}

/** What every key this run creates starts with (global-setup.ts deletes them all at the end). */
export function runKeyPrefix(runId = testRunId()): string {
  return `${RUN_KEY_ROOT}${runId}-`;
}

/** A key prefix (and queue name) unique to one test, so tests can run in parallel. */
export function uniquePrefix(name = 't'): string {
  return `${runKeyPrefix()}${name}-${randomUUID().slice(0, 8)}`;
}

export function testRedis(): Redis {
  return new Redis(testRedisUrl(), { maxRetriesPerRequest: null, lazyConnect: false });
}

/** The keys under the prefix, a SCAN batch at a time (a shared Redis is never blocked). */
async function* scanBatches(redis: Redis, prefix: string): AsyncGenerator<string[]> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) yield keys;
  } while (cursor !== '0');
}

/** Every key under the prefix. */
export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  for await (const keys of scanBatches(redis, prefix)) found.push(...keys);
  return found;
}

/** Deletes every key under the prefix (BullMQ's keys included when its prefix is ours). */
export async function cleanupPrefix(redis: Redis, prefix: string): Promise<void> {
  for await (const keys of scanBatches(redis, prefix)) await redis.unlink(...keys);
}
