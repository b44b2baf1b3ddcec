import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Metrics } from '../ops/metrics.js';
import type { RedisConnections } from '../redis/connection.js';
import type { HelixApi } from '../twitch/helix-api.js';
import { ClipQueue } from '../clips/clip-queue.js';
import { ClipWorker } from '../clips/clip-worker.js';
import { ClipKeys } from '../clips/keys.js';
import { LiveStatusRefresher } from '../clips/live-status-refresher.js';
import { LiveStatusTable } from '../clips/live-status-table.js';
import { PastClipMaker, type ClipEditor } from '../clips/past-clip.js';
import { ReplyDispatcher } from '../replies/reply-dispatcher.js';
import { ResultPublisher, type PostTargets, type RescueLink } from '../clips/result-publisher.js';
import { VodLocator } from '../core/vod-locator.js';
import {
  ClipPipeline,
  type ClipPipelineSettings,
  type ClipPipelineTuning,
  type PipelineRole,
} from './clip-pipeline.js';

export interface ClipPipelineOptions {
  role: PipelineRole;
  connections: RedisConnections;
  settings: ClipPipelineSettings;
  log: Logger;
  metrics?: Metrics;
  /** Required when the role runs the worker. */
  helix?: HelixApi;
  /** Discord channels that want clips made from Twitch chat (DiscordLinks.postTargets). */
  postTargets?: PostTargets;
  rescueLink?: RescueLink;
  /**
   * The account that clips the past from VODs (the bot's user id and token scopes, e.g.
   * TokenManager.botIdentity). Without it, clips of the past are answered 'vod_scope_missing'.
   */
  clipEditor?: () => ClipEditor | undefined;
  tuning?: ClipPipelineTuning;
  /**
   * The joined Twitch channels (logins). Given, a worker with batching keeps the shared live
   * table fresh for them (one worker process at a time); without it the table holds only
   * what live checks learned.
   */
  joinedChannels?: () => Promise<string[]>;
}

export function pipelineSettings(config: Config): ClipPipelineSettings {
  return {
    prefix: config.REDIS_KEY_PREFIX,
    queueName: config.CLIP_QUEUE_NAME,
    batching: config.BATCHING,
    coalesceWindowS: config.COALESCE_WINDOW_S,
    liveCacheS: config.LIVE_CACHE_S,
    firstPollMs: config.CLIP_FIRST_POLL_MS,
    pollIntervalMs: config.CLIP_POLL_INTERVAL_MS,
    fastPollMs: config.CLIP_FAST_POLL_MS,
    visibleDeadlineS: config.CLIP_VISIBLE_DEADLINE_S,
    concurrency: config.WORKER_CONCURRENCY,
    shutdownGraceS: config.SHUTDOWN_GRACE_S,
    liveStatusCallsPerMin: config.LIVE_STATUS_CALLS_PER_MIN,
    liveStatusMinPeriodS: config.LIVE_STATUS_MIN_PERIOD_S,
  };
}

/**
 * The clip pipeline of one role: the queue and the reply dispatcher for the bot side, the
 * BullMQ worker for the worker side, one result publisher between them. The App builds
 * its pipeline here, and so does every test that needs a pipeline (a second worker, a
 * second bot process): one wiring, not a copy per caller.
 */
export function buildPipeline(opts: ClipPipelineOptions): ClipPipeline {
  const { settings: s, log, metrics, tuning = {}, role } = opts;
  const runsWorker = role !== 'bot';
  const runsBot = role !== 'worker';
  if (runsWorker && !opts.helix) throw new Error('the clip worker needs a HelixApi');
  const keys = new ClipKeys(s.prefix, s.queueName);
  const redis = opts.connections.create(`clips-${role}`);
  const publisherOn = (connection: Redis) =>
    new ResultPublisher({
      redis: connection,
      keys,
      log: log.child({ component: 'clip-results' }),
      metrics,
      coalesce: s.batching,
      coalesceWindowS: s.coalesceWindowS,
      postTargets: opts.postTargets,
      rescueLink: opts.rescueLink,
    });
  const publisher = publisherOn(redis);
  // A `!clip` adds its job on a connection that fails fast while Redis is down: the viewer
  // is told so at once, and a chat flood cannot queue commands in memory (connection.ts).
  const requests = runsBot ? opts.connections.createCommand('clip-requests') : undefined;
  const queue = requests
    ? new ClipQueue({
        redis: requests,
        keys,
        publisher: publisherOn(requests),
        log: log.child({ component: 'clip-queue' }),
        metrics,
        coalesce: s.batching,
        attempts: tuning.attempts,
        backoffMs: tuning.backoffMs,
        orphanGraceMs: tuning.orphanGraceMs,
        addTries: tuning.addTries,
        addRetryMs: tuning.addRetryMs,
      })
    : undefined;
  const dispatcher = runsBot
    ? new ReplyDispatcher({
        redis,
        blocking: (platform) => opts.connections.create(`replies-read-${platform}`),
        keys,
        log: log.child({ component: 'replies' }),
        metrics,
        ...tuning.dispatcher,
      })
    : undefined;
  const helix = opts.helix;
  const clipEditor = opts.clipEditor;
  const worker =
    runsWorker && helix
      ? new ClipWorker({
          redis,
          keys,
          helix,
          publisher,
          log: log.child({ component: 'clip-worker' }),
          batching: s.batching,
          liveCacheS: s.liveCacheS,
          liveTable: s.batching ? new LiveStatusTable(redis, keys) : undefined,
          timing: {
            firstPollMs: s.firstPollMs,
            pollIntervalMs: s.pollIntervalMs,
            fastPollMs: s.fastPollMs,
            visibleDeadlineS: s.visibleDeadlineS,
          },
          concurrency: s.concurrency,
          shutdownGraceS: s.shutdownGraceS,
          lockDurationMs: tuning.lockDurationMs,
          stalledIntervalMs: tuning.stalledIntervalMs,
          maxStalledCount: tuning.maxStalledCount,
          maxRateLimitPauses: tuning.maxRateLimitPauses,
          clipCreationPause: tuning.clipCreationPause,
          maxClipPauseMs: tuning.maxClipPauseMs,
          handBackWaitMs: tuning.handBackWaitMs,
          creatorId: () => clipEditor?.()?.userId,
          unconfirmed: {
            defaultWaitMs: tuning.unconfirmedWaitMs,
            maxWaitMs: tuning.unconfirmedMaxWaitMs,
          },
          pastClips: clipEditor
            ? new PastClipMaker({
                helix,
                locator: new VodLocator({ helix }),
                editor: clipEditor,
              })
            : undefined,
        })
      : undefined;
  const channels = opts.joinedChannels;
  const liveRefresher =
    worker && helix && channels && s.batching && s.liveStatusCallsPerMin > 0
      ? new LiveStatusRefresher({
          redis,
          keys,
          helix,
          log: log.child({ component: 'live-table' }),
          channels,
          rhythm: {
            callsPerMinute: s.liveStatusCallsPerMin,
            minPeriodMs: s.liveStatusMinPeriodS * 1000,
          },
        })
      : undefined;
  return new ClipPipeline({
    role,
    keys,
    redis,
    requestsRedis: requests,
    publisher,
    queue,
    dispatcher,
    worker,
    liveRefresher,
    log,
    metrics,
    tuning,
  });
}
