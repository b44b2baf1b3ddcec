import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { EmbeddedRedis } from '../../src/redis/embedded-redis.js';
import { removeRunKeys } from '../helpers/global-setup.js';
import {
  cleanupPrefix,
  keysUnder,
  runKeyPrefix,
  testRedis,
  testRedisUrl,
  testRunId,
  uniquePrefix,
} from '../helpers/redis.js';

/**
 * What the global teardown does at the end of every run, passing or failing: it deletes
 * the run's keys and nothing else (other runs may share the Redis), and on a Redis of its
 * own it fails the run when any key at all is left.
 */

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('test keys in Redis', () => {
  it("every test prefix carries this run's id", () => {
    expect(uniquePrefix('x').startsWith(runKeyPrefix(testRunId()))).toBe(true);
    expect(uniquePrefix('x')).not.toBe(uniquePrefix('x'));
  });

  it("the teardown deletes one run's keys and leaves another run's alone", async () => {
    const redis = testRedis();
    // Both "runs" live under this run's prefix, so the real teardown removes whatever is left.
    const run = `${testRunId()}-a${randomUUID().slice(0, 6)}`;
    const otherRun = `${testRunId()}-b${randomUUID().slice(0, 6)}`;
    cleanups.push(() => redis.quit());
    cleanups.push(() => cleanupPrefix(redis, runKeyPrefix(otherRun)));
    const mine = [`${runKeyPrefix(run)}lib-1:tokens`, `${runKeyPrefix(run)}pipe-2:clips:meta`];
    const theirs = `${runKeyPrefix(otherRun)}lib-1:tokens`;
    for (const key of [...mine, theirs]) await redis.set(key, '1');
    await redis.hset(`${runKeyPrefix(run)}settings:7`, 'cooldown', '5');

    await removeRunKeys(testRedisUrl(), run);

    expect(await keysUnder(redis, runKeyPrefix(run))).toEqual([]);
    expect(await redis.get(theirs)).toBe('1');
  });

  it('on a Redis of its own, any key left at all fails the run, named', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'clipbot-hygiene-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const server = new EmbeddedRedis({ dataDir: dir, log: silentLogger() });
    const url = await server.start();
    cleanups.push(() => server.stop());
    const redis = new Redis(url, { maxRetriesPerRequest: 1 });
    cleanups.push(() => redis.quit());
    await redis.set(`${runKeyPrefix('r1')}e2e-1:settings`, '1');
    await redis.select(3);
    await redis.set('clipbot:tokens', 'stray');

    await expect(removeRunKeys(url, 'r1', { wholeKeyspace: true })).rejects.toThrow(
      /left 1 key\(s\) not named by uniquePrefix\(\): db3:clipbot:tokens/,
    );
    await redis.del('clipbot:tokens');
    await expect(removeRunKeys(url, 'r1', { wholeKeyspace: true })).resolves.toBeUndefined();
  });
});
