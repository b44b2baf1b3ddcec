import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../../src/redis/free-port.js';
import { cleanupPrefix, keysUnder, runKeyPrefix, TEST_RUN_ENV } from './redis.js';

/**
 * Makes sure the tests have a Redis: TEST_REDIS_URL, else the local default, else a
 * throwaway redis-server on a free port (so `npm test` works on a fresh clone).
 * TEST_REDIS_OWN=1 always starts the throwaway one.
 *
 * The Redis may be the user's own, shared with other runs: each run gets an id (handed to
 * the workers in CLIPBOT_TEST_RUN), every key a test creates starts with it
 * (helpers/redis.ts uniquePrefix), and the teardown, which runs whether tests passed or
 * failed, deletes that run's keys and nothing else, then checks that none remain. On a
 * throwaway Redis it also checks that the whole keyspace is empty, which catches a key
 * created outside uniquePrefix.
 */
let child: ChildProcess | undefined;
let dir: string | undefined;
let runId: string | undefined;

function connect(url: string): Redis {
  const r = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 3000,
    retryStrategy: () => null,
  });
  r.on('error', () => undefined);
  return r;
}

async function answers(url: string): Promise<boolean> {
  const r = connect(url);
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

async function startOwnRedis(): Promise<string> {
  const port = await freePort();
  dir = mkdtempSync(path.join(tmpdir(), 'clipbot-test-redis-'));
  child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  await new Promise<void>((resolve, reject) => {
    child?.once('error', (err) =>
      reject(
        new Error(
          `No Redis answers and redis-server could not start (${err.message}). Install redis-server or set TEST_REDIS_URL.`,
        ),
      ),
    );
    const poll = async (tries: number): Promise<void> => {
      if (await answers(url)) resolve();
      else if (tries <= 0) reject(new Error('redis-server did not answer'));
      else setTimeout(() => void poll(tries - 1), 100);
    };
    void poll(50);
  });
  return url;
}

export async function setup(): Promise<void> {
  runId = `r${Date.now().toString(36)}${randomUUID().slice(0, 4)}`;
  process.env[TEST_RUN_ENV] = runId;
  const candidates =
    process.env.TEST_REDIS_OWN === '1'
      ? []
      : [process.env.TEST_REDIS_URL, 'redis://127.0.0.1:6379'].filter((u): u is string => !!u);
  for (const url of candidates) {
    if (await answers(url)) {
      process.env.TEST_REDIS_URL = url;
      return;
    }
  }
  process.env.TEST_REDIS_URL = await startOwnRedis();
}

/** Every key in every database of a Redis (only used on the throwaway one). */
async function allKeys(redis: Redis): Promise<string[]> {
  const info = await redis.info('keyspace');
  const found: string[] = [];
  for (const [, db] of info.matchAll(/^db(\d+):/gm)) {
    await redis.select(Number(db));
    found.push(...(await keysUnder(redis, '')).map((k) => `db${db}:${k}`));
  }
  return found;
}

/**
 * Deletes the keys of run `id`; throws if any remain, or with `wholeKeyspace` (a Redis only
 * this run used) if any key at all remains.
 */
export async function removeRunKeys(
  url: string,
  id: string,
  opts: { wholeKeyspace?: boolean } = {},
): Promise<void> {
  const redis = connect(url);
  try {
    await redis.connect();
  } catch (err) {
    console.warn(
      `test teardown: Redis at ${url} did not answer (${String(err)}); keys not checked`,
    );
    redis.disconnect();
    return;
  }
  try {
    const prefix = runKeyPrefix(id);
    await cleanupPrefix(redis, prefix);
    // On the throwaway Redis every key is ours, so any key left was named outside uniquePrefix.
    const left = opts.wholeKeyspace ? await allKeys(redis) : await keysUnder(redis, prefix);
    if (left.length > 0)
      throw new Error(
        opts.wholeKeyspace
          ? `the tests left ${left.length} key(s) not named by uniquePrefix(): ${left.slice(0, 20).join(', ')}`
          : `${left.length} key(s) of this run were written after cleanup (a process still running?): ${left.slice(0, 20).join(', ')}`,
      );
  } finally {
    redis.disconnect();
  }
}

export async function teardown(): Promise<void> {
  try {
    if (runId && process.env.TEST_REDIS_URL)
      await removeRunKeys(process.env.TEST_REDIS_URL, runId, { wholeKeyspace: !!child });
  } catch (err) {
    // Vitest reports a teardown error but still exits 0; a dirty Redis must fail the run.
    console.error(`test teardown: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  } finally {
    child?.kill('SIGTERM');
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}
