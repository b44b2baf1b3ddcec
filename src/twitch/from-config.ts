import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Metrics } from '../ops/metrics.js';
import { HelixClient, type HelixClientOptions } from './helix-client.js';
import { TokenManager } from './token-manager.js';

/** The token manager the settings describe (the bot, the app, and stored broadcasters). */
export function tokenManagerFromConfig(
  config: Config & { TWITCH_CLIENT_ID: string },
  redis: Redis,
  log: Logger,
): TokenManager {
  return new TokenManager({
    redis,
    prefix: config.REDIS_KEY_PREFIX,
    authUrl: config.TWITCH_AUTH_URL,
    clientId: config.TWITCH_CLIENT_ID,
    clientSecret: config.TWITCH_CLIENT_SECRET,
    seedUserToken: config.TWITCH_ACCESS_TOKEN
      ? { accessToken: config.TWITCH_ACCESS_TOKEN, refreshToken: config.TWITCH_REFRESH_TOKEN }
      : undefined,
    log,
    validateIntervalS: config.TOKEN_VALIDATE_INTERVAL_S,
  });
}

/** The Helix client the settings describe; `overrides` lets a one-shot command fail faster. */
export function helixClientFromConfig(
  config: Config & { TWITCH_CLIENT_ID: string },
  tokens: TokenManager,
  log: Logger,
  opts: { metrics?: Metrics; overrides?: Partial<HelixClientOptions> } = {},
): HelixClient {
  return new HelixClient({
    apiUrl: config.TWITCH_API_URL,
    clientId: config.TWITCH_CLIENT_ID,
    tokens,
    timeoutMs: config.HELIX_TIMEOUT_MS,
    maxRetries: config.HELIX_MAX_RETRIES,
    retryBaseMs: config.HELIX_RETRY_BASE_MS,
    maxRateLimitWaitS: config.HELIX_MAX_RATE_LIMIT_WAIT_S,
    log,
    metrics: opts.metrics,
    ...opts.overrides,
  });
}
