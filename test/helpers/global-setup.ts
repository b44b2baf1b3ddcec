import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';

/**
 * Makes sure the tests have a Redis: TEST_REDIS_URL, else the local default, else a
 * throwaway redis-server on a free port (so `npm test` works on a fresh clone).
 */
let child: ChildProcess | undefined;
let dir: string | undefined;

async function answers(url: string): Promise<boolean> {
  const r = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() =>
        typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port')),
      );
    });
  });
}

export async function setup(): Promise<void> {
  const candidates = [process.env.TEST_REDIS_URL, 'redis://127.0.0.1:6379'].filter(
    (u): u is string => !!u,
  );
  for (const url of candidates) {
    if (await answers(url)) {
      process.env.TEST_REDIS_URL = url;
      return;
    }
  }
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
  await new Promise<void>((resolve, reject) => {
    child?.once('error', (err) =>
      reject(
        new Error(
          `No Redis answers and redis-server could not start (${err.message}). Install redis-server or set TEST_REDIS_URL.`,
        ),
      ),
    );
    const url = `redis://127.0.0.1:${port}`;
    const poll = async (tries: number): Promise<void> => {
      if (await answers(url)) {
        process.env.TEST_REDIS_URL = url;
        resolve();
      } else if (tries <= 0) reject(new Error('redis-server did not answer'));
      else setTimeout(() => void poll(tries - 1), 100);
    };
    void poll(50);
  });
}

export async function teardown(): Promise<void> {
  child?.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
}
