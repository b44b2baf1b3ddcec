import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { RedisConnections, redactRedisUrl } from '../../src/redis/connection.js';
import { EmbeddedRedis, RedisServerMissingError } from '../../src/redis/embedded-redis.js';
import { provideRedis } from '../../src/redis/provide-redis.js';
import { testRedisUrl } from '../helpers/redis.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'clipbot-redis-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function client(url: string): Promise<Redis> {
  const r = new Redis(url, { maxRetriesPerRequest: 1 });
  cleanups.push(() => r.disconnect());
  return r;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('EmbeddedRedis', () => {
  it('starts redis-server on localhost with the append-only file in the data dir', async () => {
    const dir = path.join(tempDir(), 'nested', 'data');
    const server = new EmbeddedRedis({ dataDir: dir, log: silentLogger() });
    const url = await server.start();
    cleanups.push(() => server.stop());

    expect(url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    const r = await client(url);
    expect(await r.ping()).toBe('PONG');
    expect(await r.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    expect(await r.config('GET', 'dir')).toEqual(['dir', dir]);
    expect(await r.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
  });

  it('keeps data across a stop and a start, and stops its process', async () => {
    const dir = tempDir();
    const server = new EmbeddedRedis({ dataDir: dir, log: silentLogger() });
    const url = await server.start();
    cleanups.push(() => server.stop());
    const pid = server.pid!;
    const r = await client(url);
    await r.set('kept', 'yes');
    r.disconnect();

    await server.stop();
    expect(alive(pid)).toBe(false);
    expect(await server.start()).toBe(url);
    const again = await client(url);
    expect(await again.get('kept')).toBe('yes');
    expect(readdirSync(dir).some((f) => f.startsWith('appendonly'))).toBe(true);
  });

  it('shuts down a server left running on the same data dir by a crashed bot', async () => {
    const dir = tempDir();
    const orphan = new EmbeddedRedis({ dataDir: dir, log: silentLogger() });
    await orphan.start();
    const orphanPid = orphan.pid!;
    cleanups.push(() => orphan.stop('SIGKILL'));

    const next = new EmbeddedRedis({ dataDir: dir, log: silentLogger() });
    await next.start();
    cleanups.push(() => next.stop());
    expect(alive(orphanPid)).toBe(false);
    expect(next.pid).not.toBe(orphanPid);
  });

  it('says how to install Redis or set REDIS_URL when redis-server is missing', async () => {
    const server = new EmbeddedRedis({
      dataDir: tempDir(),
      log: silentLogger(),
      binary: 'redis-server-that-does-not-exist',
    });
    const err = await server.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedisServerMissingError);
    expect((err as Error).message).toMatch(/REDIS_URL/);
    expect((err as Error).message).toMatch(/apt-get install redis-server/);
  });
});

describe('provideRedis', () => {
  it('uses REDIS_URL as given, starting nothing', async () => {
    const provided = await provideRedis({
      url: testRedisUrl(),
      dataDir: '/nonexistent',
      log: silentLogger(),
    });
    expect(provided.url).toBe(testRedisUrl());
    expect(provided.embedded).toBeUndefined();
    await provided.stop();
  });

  it('starts an embedded server when no REDIS_URL is set', async () => {
    const provided = await provideRedis({ dataDir: tempDir(), log: silentLogger() });
    cleanups.push(() => provided.stop());
    expect(provided.embedded).toBeDefined();
    const r = await client(provided.url);
    expect(await r.ping()).toBe('PONG');
  });
});

describe('RedisConnections', () => {
  it('opens named connections that wait out a Redis restart, and closes them all', async () => {
    const server = new EmbeddedRedis({ dataDir: tempDir(), log: silentLogger() });
    const url = await server.start();
    cleanups.push(() => server.stop());
    const connections = new RedisConnections({
      url,
      log: silentLogger(),
      redisOptions: { retryStrategy: () => 50 },
    });
    cleanups.push(() => connections.closeAll());
    const a = connections.create('a');
    expect(await a.ping()).toBe('PONG');
    expect(await a.client('GETNAME')).toBe('clipbot:a');

    await server.stop('SIGKILL');
    const pending = a.set('k', 'v');
    await new Promise((r) => setTimeout(r, 200));
    await server.start();
    // The command issued while Redis was down ran once it was back.
    expect(await pending).toBe('OK');
    expect(await a.get('k')).toBe('v');

    await connections.closeAll();
    expect(a.status).toBe('end');
  });

  it('never shows a password in the URL it logs', () => {
    expect(redactRedisUrl('redis://user:s3cret@host:6379/0')).not.toContain('s3cret');
    expect(redactRedisUrl('redis://host:6379')).toBe('redis://host:6379');
  });
});
