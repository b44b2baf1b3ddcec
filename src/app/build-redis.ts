import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { RedisConnections } from '../redis/connection.js';
import { provideRedis } from '../redis/provide-redis.js';
import { waitForRedis } from '../redis/reach-redis.js';

/** Redis for one process: the server (given or embedded), its connections, one of them the App's. */
export interface RedisParts {
  readonly url: string;
  readonly connections: RedisConnections;
  /** The App's own connection (settings, tokens, links, channel list). */
  readonly redis: Redis;
  /** Resolves once Redis answers; meanwhile onWaiting says what is wrong. */
  ready(onWaiting: (detail: string | undefined) => void): Promise<void>;
  close(): Promise<void>;
}

export async function buildRedis(opts: {
  config: Config;
  /** Names the App's connection (CLIENT LIST shows it). */
  name: string;
  log: Logger;
}): Promise<RedisParts> {
  const { config, log } = opts;
  const server = await provideRedis({
    url: config.REDIS_URL,
    dataDir: config.REDIS_DATA_DIR,
    log: log.child({ component: 'redis-server' }),
  });
  const connections = new RedisConnections({ url: server.url, log });
  // The App's connection serves the command path (settings, cooldowns, channels): fail fast.
  const redis = connections.createCommand(opts.name);
  return {
    url: server.url,
    connections,
    redis,
    ready: (onWaiting) =>
      waitForRedis(redis, { url: server.url, log: log.child({ component: 'redis' }), onWaiting }),
    async close() {
      await connections.closeAll().catch(() => undefined);
      await server.stop().catch(() => undefined);
    },
  };
}
