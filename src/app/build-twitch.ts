import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Metrics } from '../ops/metrics.js';
import type { HelixClient } from '../twitch/helix-client.js';
import { helixClientFromConfig, tokenManagerFromConfig } from '../twitch/from-config.js';
import type { TokenManager } from '../twitch/token-manager.js';

/** The bot's Twitch API side: its tokens and the Helix client that uses them. */
export interface TwitchParts {
  readonly tokens: TokenManager;
  readonly helix: HelixClient;
}

/** Builds and starts the token manager (loads and validates the stored tokens). */
export async function buildTwitch(opts: {
  config: Config & { TWITCH_CLIENT_ID: string };
  redis: Redis;
  log: Logger;
  metrics?: Metrics;
}): Promise<TwitchParts> {
  const { config, log } = opts;
  const tokens = tokenManagerFromConfig(config, opts.redis, log.child({ component: 'tokens' }));
  await tokens.start();
  const helix = helixClientFromConfig(config, tokens, log.child({ component: 'helix' }), {
    metrics: opts.metrics,
  });
  return { tokens, helix };
}
