import type { Logger } from 'pino';
import { EmbeddedRedis } from './embedded-redis.js';
import { redactRedisUrl } from './connection.js';

export interface ProvidedRedis {
  url: string;
  /**
   * Set when no REDIS_URL was given: the server of REDIS_DATA_DIR, which this process
   * started or, when another live clipbot process runs it, only uses (sharedOwnerPid).
   */
  embedded?: EmbeddedRedis;
  /**
   * Stops the embedded server this process started, if any. An external Redis, or the
   * server of another clipbot process, is left running.
   */
  stop(): Promise<void>;
}

/**
 * REDIS_URL when given; otherwise an embedded redis-server with its data in REDIS_DATA_DIR.
 * Throws RedisServerMissingError (with install advice) when neither is possible.
 */
export async function provideRedis(opts: {
  url?: string;
  dataDir: string;
  log: Logger;
  binary?: string;
}): Promise<ProvidedRedis> {
  if (opts.url) {
    opts.log.info({ url: redactRedisUrl(opts.url) }, 'using REDIS_URL');
    return { url: opts.url, stop: async () => undefined };
  }
  const embedded = new EmbeddedRedis({ dataDir: opts.dataDir, log: opts.log, binary: opts.binary });
  const url = await embedded.start();
  return { url, embedded, stop: () => embedded.stop() };
}
