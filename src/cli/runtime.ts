import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { createLogger } from '../logger.js';
import { RedisConnections } from '../redis/connection.js';
import { provideRedis, type ProvidedRedis } from '../redis/provide-redis.js';
import { pingWithin } from '../redis/reach-redis.js';
import { tokenManagerFromConfig } from '../twitch/from-config.js';
import type { TokenManager } from '../twitch/token-manager.js';

/** Redis and the token manager, for one-shot commands (auth, doctor). */
export interface CliRuntime {
  log: Logger;
  redis: Redis;
  tokens?: TokenManager;
  close(): Promise<void>;
}

/** How long a one-shot command waits for Redis before it gives up with one clear line. */
export const CLI_REDIS_TIMEOUT_MS = 5000;

/**
 * Logs of a one-shot command go to stderr, errors only: what it prints on stdout is its
 * answer, not a stream of JSON lines.
 */
export function cliLogger(config: Config): Logger {
  return createLogger({ level: 'error', format: config.LOG_FORMAT, destination: process.stderr });
}

/**
 * Throws RedisUnreachableError when Redis does not answer within CLI_REDIS_TIMEOUT_MS, and
 * RedisServerMissingError when there is no REDIS_URL and no redis-server to start.
 */
export async function openCliRuntime(
  config: Config,
  opts: { log?: Logger; redisTimeoutMs?: number } = {},
): Promise<CliRuntime> {
  const log = opts.log ?? cliLogger(config);
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
    // A command that fails (Redis gone mid-run) is an error to report, not one to wait out.
    connections = new RedisConnections({
      url: server.url,
      log,
      redisOptions: { maxRetriesPerRequest: 1 },
    });
    const redis = connections.create('cli');
    await pingWithin(redis, server.url, opts.redisTimeoutMs ?? CLI_REDIS_TIMEOUT_MS);
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
