import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { openCliRuntime } from '../../src/cli/runtime.js';
import { defaultConfig } from '../../src/config.js';
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

/** Running, and not an exited process waiting to be reaped. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

const OWNER_SCRIPT = fileURLToPath(new URL('./redis-owner-process.ts', import.meta.url));
const tsx = import.meta.resolve('tsx');

interface Owner {
  url: string;
  /** Its redis-server. */
  pid: number;
  /** The owning process. */
  ownerPid: number;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Another clipbot process running the embedded Redis of `dir`. */
async function ownerProcess(dir: string): Promise<Owner> {
  const child = spawn(process.execPath, ['--import', tsx, OWNER_SCRIPT, dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const info = await new Promise<Omit<Owner, 'kill'>>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as Omit<Owner, 'kill'>);
    });
    child.once('exit', (code) => reject(new Error(`owner process exited (${code}): ${err}`)));
  });
  const kill = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      await exited;
    }
  };
  cleanups.push(async () => {
    await kill('SIGTERM');
    // Left behind on purpose by a test (or by a failure): not ours to keep.
    if (alive(info.pid)) process.kill(info.pid, 'SIGKILL');
  });
  return { ...info, kill };
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

  it('uses, and leaves running, the server of a live clipbot process on the same data dir', async () => {
    const dir = tempDir();
    const owner = await ownerProcess(dir);
    const ownerClient = await client(owner.url);
    await ownerClient.set('from-owner', '1');

    // What `clipbot doctor` / `auth` / a second `start` do without REDIS_URL.
    const second = await provideRedis({ dataDir: dir, log: silentLogger() });
    cleanups.push(() => second.stop());
    expect(second.url).toBe(owner.url);
    expect(second.embedded?.pid).toBeUndefined();
    expect(second.embedded?.sharedOwnerPid).toBe(owner.ownerPid);
    const r = await client(second.url);
    expect(await r.get('from-owner')).toBe('1');
    r.disconnect();

    await second.stop();
    expect(alive(owner.pid)).toBe(true);
    expect(await ownerClient.ping()).toBe('PONG');
    // The lock still names the owner, so its server stays recognised as in use.
    const lock = JSON.parse(readFileSync(path.join(dir, 'clipbot-redis.json'), 'utf8')) as {
      ownerPid: number;
      port: number;
    };
    expect(lock.ownerPid).toBe(owner.ownerPid);
    expect(`redis://127.0.0.1:${lock.port}`).toBe(owner.url);
  });

  it('the CLI runtime (doctor, auth) connects to the running bot and does not stop it', async () => {
    const dir = tempDir();
    const owner = await ownerProcess(dir);
    const runtime = await openCliRuntime(
      defaultConfig({ REDIS_URL: undefined, REDIS_DATA_DIR: dir, TWITCH_CLIENT_ID: '' }),
      { log: silentLogger() },
    );
    await runtime.redis.set('from-cli', '1');
    await runtime.close();
    expect(alive(owner.pid)).toBe(true);
    const r = await client(owner.url);
    expect(await r.get('from-cli')).toBe('1');
  });

  it('two instances in one process share one server; only the starter stops it', async () => {
    const dir = tempDir();
    const first = new EmbeddedRedis({ dataDir: dir, log: silentLogger() });
    const url = await first.start();
    cleanups.push(() => first.stop());
    const pid = first.pid!;

    const second = new EmbeddedRedis({ dataDir: dir, log: silentLogger() });
    expect(await second.start()).toBe(url);
    await second.stop();
    expect(alive(pid)).toBe(true);
    expect(await (await client(url)).ping()).toBe('PONG');

    await first.stop();
    expect(alive(pid)).toBe(false);
  });

  it('two starting at the same moment end up with one server', async () => {
    const dir = tempDir();
    const a = new EmbeddedRedis({ dataDir: dir, log: silentLogger() });
    const b = new EmbeddedRedis({ dataDir: dir, log: silentLogger() });
    cleanups.push(
      () => a.stop(),
      () => b.stop(),
    );
    const [urlA, urlB] = await Promise.all([a.start(), b.start()]);
    expect(urlA).toBe(urlB);
    expect([a.pid, b.pid].filter((p) => p !== undefined)).toHaveLength(1);
  });

  it('shuts down a server left running on the same data dir by a crashed bot', async () => {
    const dir = tempDir();
    const owner = await ownerProcess(dir);
    const before = await client(owner.url);
    await before.set('kept', 'yes');
    before.disconnect();
    // Killed without its exit hook: its redis-server lives on, an orphan.
    await owner.kill('SIGKILL');
    expect(alive(owner.pid)).toBe(true);

    const next = new EmbeddedRedis({ dataDir: dir, log: silentLogger() });
    const url = await next.start();
    cleanups.push(() => next.stop());
    expect(alive(owner.pid)).toBe(false);
    expect(next.pid).not.toBe(owner.pid);
    expect(next.sharedOwnerPid).toBeUndefined();
    expect(await (await client(url)).get('kept')).toBe('yes');
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
