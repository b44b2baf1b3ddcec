import { afterEach } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { buildPipeline } from '../../src/app/build-pipeline.js';
import { buildTwitch, type TwitchParts } from '../../src/app/build-twitch.js';
import type {
  ClipPipeline,
  ClipPipelineSettings,
  ClipPipelineTuning,
  PipelineRole,
} from '../../src/app/clip-pipeline.js';
import type { PostTargets } from '../../src/clips/result-publisher.js';
import type {
  ClipRequest,
  Platform,
  ReplyEnvelope,
  ReplySender,
  ReplyTarget,
} from '../../src/core/clip.js';
import { defaultConfig } from '../../src/config.js';
import { createLogger, silentLogger } from '../../src/logger.js';
import { Metrics } from '../../src/ops/metrics.js';
import { RedisConnections } from '../../src/redis/connection.js';
import { TwitchStandIn } from '../../standins/twitch/index.js';
import type { HelixApi } from '../../src/twitch/helix-api.js';
import type { HelixClient } from '../../src/twitch/helix-client.js';
import type { TokenManager } from '../../src/twitch/token-manager.js';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from './redis.js';

/**
 * Wires the Twitch stand-in, the real TokenManager and HelixClient, and the clip pipeline
 * for one test, with a unique Redis prefix and short timings. Answers land in recording
 * senders (the test sink at the chat boundary).
 */

/** Settings for tests: clips appear within a few hundred ms, deadlines are short. */
export const FAST_SETTINGS: Omit<ClipPipelineSettings, 'prefix'> = {
  queueName: 'clips',
  batching: true,
  coalesceWindowS: 2,
  liveCacheS: 5,
  firstPollMs: 50,
  pollIntervalMs: 50,
  visibleDeadlineS: 2,
  concurrency: 50,
  shutdownGraceS: 2,
  liveStatusCallsPerMin: 1,
  liveStatusMinPeriodS: 15,
};

export const FAST_TUNING: ClipPipelineTuning = {
  attempts: 3,
  backoffMs: 50,
  lockDurationMs: 2000,
  stalledIntervalMs: 500,
  queueDepthIntervalMs: 0,
  dispatcher: { blockMs: 200, retryMs: 100, readyPollMs: 20, claimIdleMs: 1000 },
};

/** A ReplySender that records what it was asked to deliver; can pretend to be offline. */
export class RecordingSender implements ReplySender {
  readonly envelopes: ReplyEnvelope[] = [];
  /** When each envelope was delivered (epoch ms): tests assert the order of events by it. */
  readonly deliveredAt = new Map<ReplyEnvelope, number>();
  isReady = true;
  /** Throw on the next n deliveries (a chat connection that drops mid-send). */
  failNext = 0;

  constructor(readonly platform: Platform) {}

  ready(): boolean {
    return this.isReady;
  }

  async deliver(envelope: ReplyEnvelope): Promise<void> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('send failed (test)');
    }
    this.envelopes.push(envelope);
    this.deliveredAt.set(envelope, Date.now());
  }

  /** Replies (not posts) delivered for this request id. */
  answersFor(requestId: string): ReplyEnvelope[] {
    return this.envelopes.filter(
      (e) => !e.post && e.requests.some((r) => r.requestId === requestId),
    );
  }

  get replies(): ReplyEnvelope[] {
    return this.envelopes.filter((e) => !e.post);
  }

  get posts(): ReplyEnvelope[] {
    return this.envelopes.filter((e) => e.post);
  }

  /** Requests answered so far (a Twitch envelope answers several). */
  get answeredRequests(): ClipRequest[] {
    return this.replies.flatMap((e) => e.requests);
  }
}

/** Polls `cond` until it is true; fails with `what` after timeoutMs. */
export async function waitFor(
  cond: () => boolean | Promise<boolean>,
  opts: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  for (;;) {
    if (await cond()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${opts.what ?? 'condition'}`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 20));
  }
}

/**
 * TokenManager + HelixClient for the bot account against a stand-in, built by buildTwitch
 * as the App builds its own (settings through Config, timings short).
 */
export async function twitchClients(opts: {
  redis: Redis;
  prefix: string;
  apiUrl: string;
  authUrl: string;
  clientId: string;
  clientSecret: string;
  userToken: { accessToken: string; refreshToken: string };
  log?: Logger;
  helixRetries?: number;
}): Promise<TwitchParts> {
  const config = defaultConfig({
    REDIS_KEY_PREFIX: opts.prefix,
    TWITCH_API_URL: opts.apiUrl,
    TWITCH_AUTH_URL: opts.authUrl,
    TWITCH_CLIENT_SECRET: opts.clientSecret,
    TWITCH_ACCESS_TOKEN: opts.userToken.accessToken,
    TWITCH_REFRESH_TOKEN: opts.userToken.refreshToken,
    TOKEN_VALIDATE_INTERVAL_S: 3600,
    HELIX_TIMEOUT_MS: 2000,
    HELIX_MAX_RETRIES: opts.helixRetries ?? 1,
    HELIX_RETRY_BASE_MS: 20,
    HELIX_MAX_RATE_LIMIT_WAIT_S: 0,
  });
  return buildTwitch({
    config: { ...config, TWITCH_CLIENT_ID: opts.clientId },
    redis: opts.redis,
    log: opts.log ?? silentLogger(),
  });
}

/** Another pipeline on a harness's queue: what PipelineHarness.sharePipeline builds. */
export interface SharedPipelineOptions {
  role: PipelineRole;
  settings?: Partial<ClipPipelineSettings>;
  tuning?: ClipPipelineTuning;
  /** Default: the harness's Helix client. */
  helix?: HelixApi;
  /** The bot's identity as clipEditor, as the App gives it (default false). */
  identifyBot?: boolean;
}

export interface PipelineHarnessOptions {
  /** Stand-in default for new clips (default 200 ms). */
  clipVisibleAfterMs?: number | 'never';
  /** Channels to create and put live (default ['streamer']). */
  channels?: string[];
  role?: PipelineRole;
  settings?: Partial<ClipPipelineSettings>;
  tuning?: ClipPipelineTuning;
  postTargets?: PostTargets;
  redisUrl?: string;
  /** Reuse a stand-in (and its bot token) instead of starting one. */
  standIn?: TwitchStandIn;
  prefix?: string;
  log?: Logger;
  helixRetries?: number;
  /**
   * Give the pipeline the bot's identity (TokenManager.botIdentity) as its clipEditor, as
   * the App does: it finds the clip of an unconfirmed Create Clip by its creator, and it
   * clips the past with it. Default false.
   */
  identifyBot?: boolean;
}

export interface PipelineHarness {
  standIn: TwitchStandIn;
  prefix: string;
  redisUrl: string;
  /** A plain connection for assertions. */
  redis: Redis;
  connections: RedisConnections;
  tokens: TokenManager;
  helix: HelixClient;
  pipeline: ClipPipeline;
  metrics: Metrics;
  userToken: { accessToken: string; refreshToken: string };
  senders: { twitch: RecordingSender; discord: RecordingSender };
  channel(login: string): { id: string; login: string; displayName: string };
  /** A request for `login` from a Twitch (default) or Discord requester. */
  clipRequest(login: string, over?: Partial<ClipRequest> & { platform?: Platform }): ClipRequest;
  /**
   * Another pipeline on this harness's Redis and queue (a second worker, a second bot
   * process), built by buildPipeline as the App builds its own, with the harness's fast
   * settings and tuning under `opts`. The caller starts and closes it.
   */
  sharePipeline(opts: SharedPipelineOptions): ClipPipeline;
  close(): Promise<void>;
}

export const BOT_LOGIN = 'clipbot';

/** Silent, unless CLIPBOT_TEST_LOG names a level (debugging a test: logs go to stderr). */
export function testLogger(): Logger {
  const level = process.env.CLIPBOT_TEST_LOG;
  return level
    ? createLogger({ level, format: 'json', destination: process.stderr })
    : silentLogger();
}

export async function startPipelineHarness(
  opts: PipelineHarnessOptions = {},
): Promise<PipelineHarness> {
  const log = opts.log ?? testLogger();
  const prefix = opts.prefix ?? uniquePrefix('pipe');
  const redisUrl = opts.redisUrl ?? testRedisUrl();
  const ownStandIn = !opts.standIn;
  const standIn =
    opts.standIn ?? new TwitchStandIn({ clipVisibleAfterMs: opts.clipVisibleAfterMs ?? 200 });
  if (ownStandIn) await standIn.start();
  standIn.addUser({ login: BOT_LOGIN });
  const channels = new Map<string, { id: string; login: string; displayName: string }>();
  for (const login of opts.channels ?? ['streamer']) {
    channels.set(login, standIn.addUser({ login }));
    standIn.setLive(login, true);
  }
  const userToken = standIn.issueUserToken({ login: BOT_LOGIN, scopes: ['clips:edit'] });
  // Fast reconnects: tests restart Redis.
  const connections = new RedisConnections({
    url: redisUrl,
    log,
    redisOptions: { retryStrategy: () => 50 },
  });
  const redis = connections.create('test');
  const { tokens, helix } = await twitchClients({
    redis,
    prefix,
    apiUrl: standIn.apiUrl,
    authUrl: standIn.authUrl,
    clientId: standIn.clientId,
    clientSecret: standIn.clientSecret,
    userToken,
    log,
    helixRetries: opts.helixRetries,
  });
  const metrics = new Metrics();
  const pipeline = buildPipeline({
    role: opts.role ?? 'all',
    connections,
    settings: { ...FAST_SETTINGS, prefix, ...opts.settings },
    log,
    metrics,
    helix,
    postTargets: opts.postTargets,
    ...(opts.identifyBot ? { clipEditor: () => tokens.botIdentity() } : {}),
    tuning: { ...FAST_TUNING, ...opts.tuning },
  });
  const senders = {
    twitch: new RecordingSender('twitch'),
    discord: new RecordingSender('discord'),
  };
  if (pipeline.dispatcher) {
    pipeline.registerSender(senders.twitch);
    pipeline.registerSender(senders.discord);
  }
  await pipeline.start();

  const channel = (login: string) => {
    const c = channels.get(login) ?? standIn.addUser({ login });
    channels.set(login, c);
    return c;
  };
  let n = 0;
  return {
    standIn,
    prefix,
    redisUrl,
    redis,
    connections,
    tokens,
    helix,
    pipeline,
    metrics,
    userToken,
    senders,
    channel,
    sharePipeline(shared) {
      return buildPipeline({
        role: shared.role,
        connections,
        settings: { ...FAST_SETTINGS, prefix, ...shared.settings },
        log,
        helix: shared.helix ?? helix,
        ...(shared.identifyBot ? { clipEditor: () => tokens.botIdentity() } : {}),
        tuning: { ...FAST_TUNING, ...shared.tuning },
      });
    },
    clipRequest(login, over = {}) {
      const c = channel(login);
      const { platform = 'twitch', ...rest } = over;
      n++;
      const replyTo: ReplyTarget =
        platform === 'twitch'
          ? { platform: 'twitch', channel: login, parentMessageId: `msg-${n}` }
          : { platform: 'discord', interactionId: `int-${n}`, guildId: 'g1', channelId: 'c1' };
      return {
        requestId: `req-${randomUUID()}`,
        broadcasterId: c.id,
        broadcasterLogin: c.login,
        broadcasterName: c.displayName,
        requester: { platform, userId: `u${n}`, displayName: `viewer${n}` },
        replyTo,
        requestedAt: Date.now(),
        ...rest,
      };
    },
    async close() {
      await pipeline.close();
      tokens.stop();
      await cleanupPrefix(redis, prefix).catch(() => undefined);
      await connections.closeAll();
      if (ownStandIn) await standIn.stop();
    },
  };
}

/**
 * For a test file: a `harness(opts)` that starts a pipeline harness and closes it after
 * each test (one per test).
 */
export function pipelineHarnesses(): (opts?: PipelineHarnessOptions) => Promise<PipelineHarness> {
  let h: PipelineHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  return async (opts = {}) => {
    h = await startPipelineHarness(opts);
    return h;
  };
}
