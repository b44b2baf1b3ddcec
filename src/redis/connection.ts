import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';

/**
 * ioredis connections for the whole process, of two kinds:
 * - 'durable' (create): maxRetriesPerRequest null. BullMQ Workers require it (their blocking
 *   duplicate must retry for ever), and a clip job's command issued while Redis restarts
 *   waits for the reconnect instead of failing the clip half-way. Only a bounded number of
 *   commands ever waits on one (a worker's jobs, a reply lane's loop).
 * - 'command' (createCommand): the path a chat command takes (router, stores, adding a clip
 *   job). Fails fast while Redis is unreachable (no offline queue, one retry, a command
 *   timeout): a viewer is told the bot is having trouble, and a chat flood during an outage
 *   cannot pile up commands in memory (BullMQ's "failing fast when Redis is down" pattern).
 * Every connection:
 * - has an error listener (an EventEmitter error without one crashes the process), which
 *   logs once per outage rather than once per reconnect attempt;
 * - has NO ioredis keyPrefix: BullMQ refuses it. Keys are prefixed by hand with
 *   `prefixedKey(prefix, ...)`, and BullMQ gets the same prefix through its own option.
 */
export interface RedisConnectionsOptions {
  url: string;
  log: Logger;
  /** Extra ioredis options (tests shorten reconnect delays). */
  redisOptions?: RedisOptions;
}

/** What makes a 'command' connection fail fast (see RedisConnections). */
export const COMMAND_CONNECTION_DEFAULTS = {
  enableOfflineQueue: false,
  /** A command in flight when the connection drops fails after one reconnect attempt. */
  maxRetriesPerRequest: 1,
  /** A Redis that accepts connections but does not answer (paused, overloaded). */
  commandTimeout: 2000,
} as const satisfies RedisOptions;

export class RedisConnections {
  private readonly open = new Set<Redis>();

  constructor(private readonly opts: RedisConnectionsOptions) {}

  /** The URL without its password, for logs. */
  get safeUrl(): string {
    return redactRedisUrl(this.opts.url);
  }

  /** A new durable connection, named for CLIENT LIST and logs; closed by closeAll(). */
  create(name: string, extra: RedisOptions = {}): Redis {
    return this.connect(name, { maxRetriesPerRequest: null }, extra);
  }

  /** A new connection for the command path: fails fast while Redis is unreachable. */
  createCommand(name: string, extra: RedisOptions = {}): Redis {
    return this.connect(name, COMMAND_CONNECTION_DEFAULTS, extra);
  }

  private connect(name: string, kind: RedisOptions, extra: RedisOptions): Redis {
    const log = this.opts.log.child({ redis: name });
    const redis = new Redis(this.opts.url, {
      ...kind,
      connectionName: `clipbot:${name}`,
      // Reconnect quickly at first, then every 2 s while Redis is down.
      retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2000),
      ...this.opts.redisOptions,
      ...extra,
    });
    attachErrorLogging(redis, log);
    this.open.add(redis);
    redis.once('end', () => this.open.delete(redis));
    return redis;
  }

  /** QUIT every connection still open (disconnect when QUIT cannot complete). */
  async closeAll(): Promise<void> {
    const all = [...this.open];
    this.open.clear();
    await Promise.all(all.map((r) => closeRedis(r)));
  }
}

/**
 * Resolves true once the connection is ready, false after `timeoutMs` or when it ended. A
 * fail-fast connection refuses commands until then: wait for it before taking work.
 */
export function whenReady(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  if (redis.status === 'end') return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      redis.off('end', onEnd);
      resolve(ok);
    };
    const onReady = () => done(true);
    const onEnd = () => done(false);
    const timer = setTimeout(() => done(false), timeoutMs);
    redis.once('ready', onReady);
    redis.once('end', onEnd);
  });
}

/** Closes one connection politely, falling back to a hard disconnect after a short wait. */
export async function closeRedis(redis: Redis, timeoutMs = 1000): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  // QUIT's reply comes before the socket closes; 'end' is when it really is closed.
  const ended = new Promise<void>((resolve) => redis.once('end', () => resolve()));
  redis.quit().catch(() => redis.disconnect());
  await Promise.race([
    ended,
    new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        redis.disconnect();
        resolve();
      }, timeoutMs);
    }),
  ]);
  clearTimeout(timer);
}

/** Logs the first error of an outage and the recovery, not every reconnect attempt. */
export function attachErrorLogging(redis: Redis, log: Logger): void {
  let failing = false;
  redis.on('error', (err: Error) => {
    if (failing) return;
    failing = true;
    log.warn({ err: { message: err.message, name: err.name } }, 'redis connection error');
  });
  redis.on('ready', () => {
    if (failing) log.info('redis connection restored');
    failing = false;
  });
}

/**
 * Errors that only say Redis is unreachable. attachErrorLogging already reports the outage
 * once; BullMQ re-emits each of them on its Queue and Worker, which need not log them again.
 */
export function isConnectionError(err: Error): boolean {
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection is closed|connect E/i.test(
    err.message,
  );
}

/**
 * True when a command failed only because Redis could not be reached: what a 'command'
 * connection throws while Redis is down (no offline queue, retries used up, timed out),
 * and the connection errors themselves.
 */
export function isRedisUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === 'MaxRetriesPerRequestError') return true;
  return (
    isConnectionError(err) ||
    /enableOfflineQueue options is false|Command timed out|Reached the max retries per request/i.test(
      err.message,
    )
  );
}

/** `${prefix}:a:b`: every key the bot writes outside BullMQ goes through this. */
export function prefixedKey(prefix: string, ...parts: string[]): string {
  return [prefix, ...parts].join(':');
}

export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'redis://(unparseable url)';
  }
}
