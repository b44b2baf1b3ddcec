import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { DataDirLock, parseLock, type LockInfo } from './data-dir-lock.js';
import { freePort } from './free-port.js';
import { configDir, isAlive, probeClient, serverDirAt } from './server-probe.js';

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

export const EMBEDDED_REDIS_DEFAULTS = {
  host: '127.0.0.1',
  startTimeoutMs: 10_000,
} as const satisfies Partial<EmbeddedRedisOptions>;

const READY_LINE = /Ready to accept connections/i;
/** How often a server being started by another process is asked whether it is up. */
const PROBE_EVERY_MS = 50;

/**
 * A redis-server child process for machines without a Redis: bound to localhost, the
 * append-only file on, stopped when this process exits. When another live clipbot process
 * already runs one on the same data dir, start() uses that one instead (and stop() leaves
 * it running).
 */
export class EmbeddedRedis {
  private child?: ChildProcess;
  private port?: number;
  /** Set while using the server of another clipbot process: that process's pid. */
  private sharedWith?: number;
  private sharedHost?: string;
  private readonly dataDir: string;
  private readonly lock: DataDirLock;
  private readonly host: string;
  private readonly killOnExit = (): void => {
    const child = this.child;
    if (!child) return;
    child.kill('SIGTERM');
    this.lock.release(child.pid);
  };

  constructor(private readonly opts: EmbeddedRedisOptions) {
    this.dataDir = path.resolve(opts.dataDir);
    this.lock = new DataDirLock(this.dataDir);
    this.host = opts.host ?? EMBEDDED_REDIS_DEFAULTS.host;
  }

  get url(): string {
    if (this.port === undefined) throw new Error('EmbeddedRedis is not started');
    return `redis://${this.sharedHost ?? this.host}:${this.port}`;
  }

  /** The redis-server this process started (undefined when it uses another's). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The clipbot process whose server this one uses, when start() found one. */
  get sharedOwnerPid(): number | undefined {
    return this.sharedWith;
  }

  /**
   * Resolves with the URL of the data dir's server: the one a live clipbot process already
   * runs there, or a new one (reusing the port of a previous start) after shutting down a
   * server whose owner died.
   */
  async start(): Promise<string> {
    if (this.child || this.sharedWith !== undefined) return this.url;
    mkdirSync(this.dataDir, { recursive: true });
    for (let round = 0; ; round++) {
      const raw = this.lock.readRaw();
      if (raw !== undefined) {
        const lock = parseLock(raw);
        if (await this.useRunning(lock)) return this.url;
        await this.shutDownOrphan(lock);
        this.lock.removeIf(raw);
      }
      this.port ??= this.opts.port || (await freePort(this.host));
      // Claimed before the server starts: a process starting at the same moment waits for
      // this one's server instead of starting a second on the same files.
      if (this.lock.claim({ ownerPid: process.pid, host: this.host, port: this.port })) break;
      if (round >= 3) {
        throw new RedisStartError(`could not take ${this.lock.path}: it keeps changing`, []);
      }
    }
    try {
      return await this.spawnServer(this.port);
    } catch (err) {
      this.lock.release(undefined);
      throw err;
    }
  }

  private async spawnServer(port: number): Promise<string> {
    const binary = this.opts.binary ?? 'redis-server';
    const args = [
      '--port',
      String(port),
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

    const timeoutMs = this.opts.startTimeoutMs ?? EMBEDDED_REDIS_DEFAULTS.startTimeoutMs;
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
    const lock: LockInfo = { ownerPid: process.pid, pid: child.pid, host: this.host, port };
    this.lock.write(lock);
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
    if (this.sharedWith !== undefined) {
      // Another process's server: it keeps running for its owner.
      this.opts.log.debug({ ownerPid: this.sharedWith }, 'left the shared redis-server running');
      this.sharedWith = undefined;
      this.sharedHost = undefined;
      this.port = undefined;
      return;
    }
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
    this.lock.release(child.pid);
    this.opts.log.info({ signal }, 'stopped embedded redis-server');
  }

  /**
   * The lock names a live clipbot process (possibly this one) and its server answers for
   * this data dir: use it. Waits while that process is still starting the server.
   */
  private async useRunning(lock: LockInfo): Promise<boolean> {
    const { ownerPid, port } = lock;
    if (!ownerPid || !port || !isAlive(ownerPid)) return false;
    const host = lock.host ?? this.host;
    const until = Date.now() + (this.opts.startTimeoutMs ?? EMBEDDED_REDIS_DEFAULTS.startTimeoutMs);
    for (;;) {
      const dir = await serverDirAt(host, port);
      if (dir !== undefined) {
        // Some other Redis on that port (the lock is stale, the port reused): not ours.
        if (!this.isOurDir(dir)) return false;
        this.port = port;
        this.sharedHost = host;
        this.sharedWith = ownerPid;
        this.opts.log.info(
          { url: this.url, ownerPid, pid: lock.pid },
          'using the redis-server another clipbot process runs on this data dir',
        );
        return true;
      }
      // Its server died (it started none, or that one is gone): the lock is stale.
      if (!isAlive(ownerPid) || (lock.pid !== undefined && !isAlive(lock.pid))) return false;
      if (Date.now() >= until) {
        throw new RedisStartError(
          `clipbot process ${ownerPid} holds ${this.dataDir} but its redis-server at ` +
            `${host}:${port} does not answer; stop that process (or delete ${this.lock.path} if it is not clipbot)`,
          [],
        );
      }
      await new Promise((r) => setTimeout(r, PROBE_EVERY_MS));
    }
  }

  /**
   * A bot killed without its exit hook leaves its redis-server running on the same data
   * dir; two servers appending to one file would corrupt it. Ask the old one to shut down,
   * but only when its owner is dead and it really serves this data dir.
   */
  private async shutDownOrphan(lock: LockInfo): Promise<void> {
    const { pid, port } = lock;
    if (!pid || !port || !isAlive(pid)) return;
    if (lock.ownerPid && isAlive(lock.ownerPid)) return;
    const client = probeClient(lock.host ?? this.host, port);
    try {
      await client.connect();
      const dir = await configDir(client);
      // Not a Redis of this data dir (the pid and the port were reused): leave it alone.
      if (dir === undefined || !this.isOurDir(dir)) return;
      this.opts.log.warn(
        { pid, port, ownerPid: lock.ownerPid },
        'shutting down orphaned redis-server',
      );
      // SHUTDOWN closes the connection instead of replying.
      await client.shutdown().catch(() => undefined);
      for (let i = 0; i < 100 && isAlive(pid); i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
    } catch {
      // Nothing answers there: nothing to shut down.
    } finally {
      client.disconnect();
    }
  }

  private isOurDir(dir: string): boolean {
    if (dir === this.dataDir) return true;
    try {
      return realpathSync(dir) === realpathSync(this.dataDir);
    } catch {
      return false;
    }
  }
}
