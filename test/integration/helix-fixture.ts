import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createLogger } from '../../src/logger.js';
import { Metrics } from '../../src/ops/metrics.js';
import { TwitchStandIn } from '../../standins/twitch/index.js';
import { HelixClient, type HelixClientOptions } from '../../src/twitch/helix-client.js';
import { TokenManager, type TokenManagerOptions } from '../../src/twitch/token-manager.js';
import { cleanupPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';

/** Every log line written during a test, for asserting on (and against) what was logged. */
export class LogCapture {
  readonly lines: string[] = [];
  readonly logger: Logger;

  constructor() {
    const lines = this.lines;
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(
          ...chunk
            .toString('utf8')
            .split('\n')
            .filter((l) => l.length > 0),
        );
        done();
      },
    });
    this.logger = createLogger({ level: 'debug', format: 'json', destination: stream });
  }

  get text(): string {
    return this.lines.join('\n');
  }
}

export interface HelixFixtureOptions {
  /** Configure the client secret (reads then use an app token). Default false. */
  clientSecret?: boolean;
  scopes?: string[];
  /** Store the bot's user token in Redis as TWITCH_ACCESS_TOKEN would. Default true. */
  seed?: boolean;
  client?: Partial<HelixClientOptions>;
  tokens?: Partial<TokenManagerOptions>;
}

export interface HelixFixture {
  standIn: TwitchStandIn;
  apiUrl: string;
  authUrl: string;
  redis: Redis;
  prefix: string;
  logs: LogCapture;
  metrics: Metrics;
  tokens: TokenManager;
  client: HelixClient;
  bot: { login: string; id: string; accessToken: string; refreshToken: string };
  /** A second TokenManager on the same Redis and prefix, as another process would have. */
  otherProcess(over?: Partial<TokenManagerOptions>): TokenManager;
  close(): Promise<void>;
}

export const BOT_LOGIN = 'clipbot_test';

/** A started stand-in, a TokenManager (started) and a HelixClient wired like the app does. */
export async function helixFixture(opts: HelixFixtureOptions = {}): Promise<HelixFixture> {
  const standIn = new TwitchStandIn({ clipVisibleAfterMs: 0 });
  const { apiUrl, authUrl } = await standIn.start();
  const redis = testRedis();
  const prefix = uniquePrefix('helix');
  const logs = new LogCapture();
  const metrics = new Metrics();
  const botUser = standIn.addUser({ login: BOT_LOGIN });
  const issued = standIn.issueUserToken({
    login: BOT_LOGIN,
    scopes: opts.scopes ?? ['clips:edit', 'chat:read', 'chat:edit', 'editor:manage:clips'],
  });
  const managers: TokenManager[] = [];
  const makeTokens = (over: Partial<TokenManagerOptions> = {}) => {
    const m = new TokenManager({
      redis,
      prefix,
      authUrl,
      clientId: standIn.clientId,
      clientSecret: opts.clientSecret ? standIn.clientSecret : undefined,
      seedUserToken: opts.seed === false ? undefined : issued,
      log: logs.logger,
      validateIntervalS: 3600,
      lockPollMs: 10,
      ...opts.tokens,
      ...over,
    });
    managers.push(m);
    return m;
  };
  const tokens = makeTokens();
  await tokens.start();
  const client = new HelixClient({
    apiUrl,
    clientId: standIn.clientId,
    tokens,
    timeoutMs: 2000,
    maxRetries: 3,
    retryBaseMs: 10,
    maxRateLimitWaitS: 5,
    log: logs.logger,
    metrics,
    ...opts.client,
  });
  return {
    standIn,
    apiUrl,
    authUrl,
    redis,
    prefix,
    logs,
    metrics,
    tokens,
    client,
    bot: { login: BOT_LOGIN, id: botUser.id, ...issued },
    otherProcess: makeTokens,
    async close() {
      for (const m of managers) m.stop();
      await standIn.stop();
      await cleanupPrefix(redis, prefix);
      redis.disconnect();
    },
  };
}

/** Polls `cond` until it holds (or fails after `timeoutMs`). */
export async function waitFor(
  cond: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('waitFor: condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The promise's rejection, or a failure if it resolved. */
export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}
