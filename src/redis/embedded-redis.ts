import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { freePort } from './free-port.js';

/** redis-server is not installed (or not on PATH) and no REDIS_URL was given. */
export class RedisServerMissingError extends Error {
  override readonly name = 'RedisServerMissingError';
  constructor(binary: string) {
    super(
      `${binary} was not found on PATH, and REDIS_URL is not set. Either install Redis ` +
        '(Debian/Ubuntu: `sudo apt-get install redis-server`; macOS: `brew install redis`; ' +
        'or run `docker run -p 6379:6379 redis:7`) so clipbot can start its own, or set ' +
        'REDIS_URL=redis://host:6379 to use an existing Redis.',
    );
  }
}

/** redis-server exists but did not come up (port taken, data dir unwritable, bad AOF...). */
export class RedisStartError extends Error {
  override readonly name = 'RedisStartError';
  constructor(
    message: string,
    /** The server's last output lines, which usually say why. */
    readonly output: string[],
  ) {
    super(output.length > 0 ? `${message}:\n  ${output.join('\n  ')}` : message);
  }
}

export interface EmbeddedRedisOptions {
  /** Where the append-only file lives (REDIS_DATA_DIR). Created when missing. */
  dataDir: string;
  log: Logger;
  /** Default: `redis-server`, looked up on PATH. */
  binary?: string;
  host?: string;
  /** 0 (default): a free port. */
  port?: number;
  /** fsync policy of the append-only file; tests that kill the server use 'always'. */
  appendFsync?: 'always' | 'everysec' | 'no';
  startTimeoutMs?: number;
}

/** Written to the data dir so a server orphaned by a crashed bot is shut down, not doubled. */
const LOCK_FILE = 'clipbot-redis.json';
const READY_LINE = /Ready to accept connections/i;

/**
 * A redis-server child process for machines without a Redis: bound to localhost, the
 * append-only file on, stopped when this process exits.
 */
export class EmbeddedRedis {
  private child?: ChildProcess;
  private port?: number;
  private readonly dataDir: string;
  private readonly host: string;
  private readonly killOnExit = (): void => {
    this.child?.kill('SIGTERM');
  };

  constructor(private readonly opts: EmbeddedRedisOptions) {
    this.dataDir = path.resolve(opts.dataDir);
    this.host = opts.host ?? '127.0.0.1';
  }

  get url(): string {
    if (this.port === undefined) throw new Error('EmbeddedRedis is not started');
    return `redis://${this.host}:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the server (reusing the port of a previous start) and resolves with its URL. */
  async start(): Promise<string> {
    if (this.child) return this.url;
    mkdirSync(this.dataDir, { recursive: true });
    await this.shutDownOrphan();
    this.port ??= this.opts.port || (await freePort(this.host));
    const binary = this.opts.binary ?? 'redis-server';
    const args = [
      '--port',
      String(this.port),
      '--bind',
      this.host,
      '--dir',
      this.dataDir,
      '--appendonly',
      'yes',
      '--appendfsync',
      this.opts.appendFsync ?? 'everysec',
      // The append-only file is the durable copy; RDB snapshots would only add pauses.
      '--save',
      '',
      // Jobs and pending replies must never be evicted to make room.
      '--maxmemory-policy',
      'noeviction',
      '--daemonize',
      'no',
      '--logfile',
      '',
    ];
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const output: string[] = [];
    const keep = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim()) output.push(line.trim());
      }
      output.splice(0, Math.max(0, output.length - 20));
    };

    const timeoutMs = this.opts.startTimeoutMs ?? 10_000;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new RedisStartError(`redis-server did not start within ${timeoutMs} ms`, output));
      }, timeoutMs);
      const onData = (chunk: Buffer): void => {
        keep(chunk);
        if (output.some((l) => READY_LINE.test(l))) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', keep);
      child.once('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        this.child = undefined;
        reject(
          err.code === 'ENOENT'
            ? new RedisServerMissingError(binary)
            : new RedisStartError(`could not run ${binary}: ${err.message}`, output),
        );
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (this.child === child) this.child = undefined;
        reject(
          new RedisStartError(`redis-server exited (${signal ?? code}) while starting`, output),
        );
      });
    });

    // Once up, drop its chatter; keep watching for an unexpected exit.
    child.stdout?.removeAllListeners('data');
    child.stdout?.resume();
    child.stderr?.resume();
    child.removeAllListeners('exit');
    child.once('exit', (code, signal) => {
      if (this.child === child) {
        this.child = undefined;
        this.opts.log.error({ code, signal }, 'embedded redis-server exited');
      }
    });
    process.once('exit', this.killOnExit);
    writeFileSync(
      path.join(this.dataDir, LOCK_FILE),
      JSON.stringify({ pid: child.pid, host: this.host, port: this.port }),
    );
    this.opts.log.info(
      { url: this.url, dataDir: this.dataDir, pid: child.pid },
      'started embedded redis-server',
    );
    return this.url;
  }

  /**
   * Stops the server. SIGTERM lets Redis flush the append-only file; SIGKILL (tests)
   * simulates a crash.
   */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    process.removeListener('exit', this.killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        child.removeAllListeners('exit');
        child.once('exit', () => resolve());
        child.kill(signal);
      });
    }
    rmSync(path.join(this.dataDir, LOCK_FILE), { force: true });
    this.opts.log.info({ signal }, 'stopped embedded redis-server');
  }

  /**
   * A bot killed without its exit hook leaves its redis-server running on the same data
   * dir; two servers appending to one file would corrupt it. Ask the old one to shut down.
   */
  private async shutDownOrphan(): Promise<void> {
    let lock: { pid?: number; host?: string; port?: number };
    try {
      lock = JSON.parse(readFileSync(path.join(this.dataDir, LOCK_FILE), 'utf8')) as typeof lock;
    } catch {
      return;
    }
    if (!lock.pid || !lock.port || !isAlive(lock.pid)) return;
    const client = new Redis({
      host: lock.host ?? this.host,
      port: lock.port,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      this.opts.log.warn({ pid: lock.pid, port: lock.port }, 'shutting down orphaned redis-server');
      // SHUTDOWN closes the connection instead of replying.
      await client.shutdown().catch(() => undefined);
      for (let i = 0; i < 100 && isAlive(lock.pid); i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
    } catch {
      // Not a Redis on that port (the pid was reused): leave it alone.
    } finally {
      client.disconnect();
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
