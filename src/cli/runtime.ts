import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { createLogger } from '../logger.js';
import { RedisConnections } from '../redis/connection.js';
import { provideRedis, type ProvidedRedis } from '../redis/provide-redis.js';
import { tokenManagerFromConfig } from '../twitch/from-config.js';
import type { TokenManager } from '../twitch/token-manager.js';

/** Redis and the token manager, for one-shot commands (auth, doctor). */
export interface CliRuntime {
  log: Logger;
  redis: Redis;
  tokens?: TokenManager;
  close(): Promise<void>;
}

export async function openCliRuntime(
  config: Config,
  opts: { quiet?: boolean } = {},
): Promise<CliRuntime> {
  const log = createLogger({
    level: opts.quiet ? 'warn' : config.LOG_LEVEL,
    format: config.LOG_FORMAT,
  });
  let server: ProvidedRedis | undefined;
  let connections: RedisConnections | undefined;
  let tokens: TokenManager | undefined;
  const close = async () => {
    tokens?.stop();
    await connections?.closeAll().catch(() => undefined);
    await server?.stop().catch(() => undefined);
  };
  try {
    server = await provideRedis({ url: config.REDIS_URL, dataDir: config.REDIS_DATA_DIR, log });
    connections = new RedisConnections({ url: server.url, log });
    const redis = connections.create('cli');
    await redis.ping();
    if (config.TWITCH_CLIENT_ID) {
      tokens = tokenManagerFromConfig(
        { ...config, TWITCH_CLIENT_ID: config.TWITCH_CLIENT_ID },
        redis,
        log,
      );
    }
    return { log, redis, tokens, close };
  } catch (err) {
    await close();
    throw err;
  }
}
