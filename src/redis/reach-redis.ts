import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { networkCause } from '../ops/network-cause.js';
import { redactRedisUrl } from './connection.js';

/** Redis did not answer in time; the message names the address (no password) and the cause. */
export class RedisUnreachableError extends Error {
  override readonly name = 'RedisUnreachableError';
  constructor(
    /** The address, without its password. */
    readonly where: string,
    readonly reason: string,
    readonly waitedS: number,
  ) {
    super(
      `Redis at ${where} did not answer within ${waitedS} s (${reason}): ` +
        'start Redis there or correct REDIS_URL',
    );
  }
}

/** What an ioredis connection error means, in words an operator acts on. */
export function redisFailureCause(err: Error | undefined): string {
  if (!err) return 'no answer';
  const text = `${(err as { code?: string }).code ?? ''} ${err.message}`;
  if (/WRONGPASS|NOAUTH|invalid password/i.test(text)) return 'password refused';
  return networkCause(text) ?? err.message;
}

/** Follows a connection's errors so a report can say why it never came up. */
function lastErrorOf(redis: Redis): { get(): Error | undefined; stop(): void } {
  let last: Error | undefined;
  const onError = (err: Error) => (last = err);
  redis.on('error', onError);
  return { get: () => last, stop: () => redis.off('error', onError) };
}

/**
 * One-shot commands (auth, doctor): the first PING within `timeoutMs`, or a
 * RedisUnreachableError. Without a bound, ioredis retries the connection forever and the
 * command hangs in silence.
 */
export async function pingWithin(redis: Redis, url: string, timeoutMs: number): Promise<void> {
  const errors = lastErrorOf(redis);
  const deadline = Date.now() + timeoutMs;
  let timer: NodeJS.Timeout | undefined;
  try {
    // A connection with a retry limit fails its PING after a reconnect or two: ask again
    // until the deadline, so a Redis that is just starting still counts.
    while (Date.now() < deadline) {
      const answered = await Promise.race([
        redis.ping().then(
          () => true,
          () => false,
        ),
        new Promise<false>(
          (resolve) => (timer = setTimeout(() => resolve(false), deadline - Date.now())),
        ),
      ]);
      clearTimeout(timer);
      if (answered) return;
      if (Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new RedisUnreachableError(
      redactRedisUrl(url),
      redisFailureCause(errors.get()),
      Math.round(timeoutMs / 1000),
    );
  } finally {
    clearTimeout(timer);
    errors.stop();
  }
}

export const WAIT_FOR_REDIS_DEFAULTS = {
  remindEveryMs: 30_000,
  pollMs: 250,
} as const;

/** Resolves on the connection's next 'ready', or after `ms`, whichever comes first. */
function readyOrAfter(redis: Redis, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    redis.once('ready', done);
  });
}

/**
 * `clipbot start`: waits for Redis as long as it takes (a bot started before its Redis must
 * come up by itself), but says so: a warning when it starts waiting, another every
 * `remindEveryMs`, and `onWaiting` with the current cause for /healthz.
 */
export async function waitForRedis(
  redis: Redis,
  opts: {
    url: string;
    log: Logger;
    onWaiting: (detail: string | undefined) => void;
    remindEveryMs?: number;
  },
): Promise<void> {
  const errors = lastErrorOf(redis);
  const where = redactRedisUrl(opts.url);
  const since = Date.now();
  const describe = () =>
    `waiting for Redis at ${where} (${redisFailureCause(errors.get())}); retrying every 2 s`;
  const remind = () => {
    const detail = describe();
    opts.onWaiting(detail);
    opts.log.warn(
      { redis: where, waitedS: Math.round((Date.now() - since) / 1000) },
      `${detail}; clipbot starts when it answers`,
    );
  };
  const first = setTimeout(remind, 1000);
  const again = setInterval(remind, opts.remindEveryMs ?? WAIT_FOR_REDIS_DEFAULTS.remindEveryMs);
  const onError = () => opts.onWaiting(describe());
  redis.on('error', onError);
  try {
    // A fail-fast connection (no offline queue) refuses a PING before it is connected:
    // ask again on each 'ready' (or every few hundred ms) until one is answered.
    for (;;) {
      try {
        await redis.ping();
        break;
      } catch (err) {
        if (redis.status === 'end') throw err;
        await readyOrAfter(redis, WAIT_FOR_REDIS_DEFAULTS.pollMs);
      }
    }
    opts.onWaiting(undefined);
  } finally {
    clearTimeout(first);
    clearInterval(again);
    redis.off('error', onError);
    errors.stop();
  }
}
