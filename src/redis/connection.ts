import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';

/**
 * ioredis connections for the whole process. Every connection:
 * - has maxRetriesPerRequest null: BullMQ workers require it, and a command issued while
 *   Redis restarts waits for the reconnect instead of failing a clip half-way;
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

export class RedisConnections {
  private readonly open = new Set<Redis>();

  constructor(private readonly opts: RedisConnectionsOptions) {}

  /** The URL without its password, for logs. */
  get safeUrl(): string {
    return redactRedisUrl(this.opts.url);
  }

  /** A new connection, named for CLIENT LIST and logs; closed by closeAll(). */
  create(name: string, extra: RedisOptions = {}): Redis {
    const log = this.opts.log.child({ redis: name });
    const redis = new Redis(this.opts.url, {
      maxRetriesPerRequest: null,
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
