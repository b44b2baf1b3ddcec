import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Metrics } from '../ops/metrics.js';
import { closeRedis, type RedisConnections } from '../redis/connection.js';
import type { HelixApi } from '../twitch/helix-api.js';
import { ClipQueue } from '../clips/clip-queue.js';
import { ClipWorker, type ClipWorkerOptions } from '../clips/clip-worker.js';
import { ClipKeys } from '../clips/keys.js';
import { PastClipMaker, type ClipEditor } from '../clips/past-clip.js';
import { ReplyDispatcher, type ReplyDispatcherOptions } from '../replies/reply-dispatcher.js';
import { ResultPublisher, type PostTargets, type RescueLink } from '../clips/result-publisher.js';
import type { ClipService, ReplySender } from '../core/clip.js';
import { VodLocator } from '../core/vod-locator.js';

/** all: one process does everything (default); worker: clip jobs only; bot: chat side only. */
export type PipelineRole = 'all' | 'worker' | 'bot';

/** The settings the pipeline reads from Config (see pipelineSettings). */
export interface ClipPipelineSettings {
  prefix: string;
  queueName: string;
  /** BATCHING: batched Get Clips/Get Streams and coalescing of requests. */
  batching: boolean;
  coalesceWindowS: number;
  liveCacheS: number;
  firstPollMs: number;
  pollIntervalMs: number;
  visibleDeadlineS: number;
  concurrency: number;
  shutdownGraceS: number;
}

/** Knobs with production defaults that tests shorten. */
export interface ClipPipelineTuning {
  attempts?: number;
  backoffMs?: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  maxStalledCount?: number;
  orphanGraceMs?: number;
  maxRateLimitPauses?: number;
  /** Create Clip's own bucket: backoff of the shared pause, and how long one job waits for it. */
  clipCreationPause?: ClipWorkerOptions['clipCreationPause'];
  maxClipPauseMs?: number;
  /** Refresh of the queueDepth gauge; 0 turns it off. Default 15 s. */
  queueDepthIntervalMs?: number;
  /** After a forced stop, how long the worker waits for jobs to hand themselves back. */
  handBackWaitMs?: number;
  /**
   * After a Create Clip whose answer was lost, the wait before looking for its clip while
   * no visibility delay has been learned (default 5000 ms), and the longest (default the
   * visibility deadline, at most 15 s).
   */
  unconfirmedWaitMs?: number;
  unconfirmedMaxWaitMs?: number;
  /** How long stop() lets the dispatcher deliver answers pending at shutdown. Default 5 s. */
  drainRepliesMs?: number;
  /** Tries at adding a BullMQ job, and the first wait between them (ClipQueueOptions). */
  addTries?: number;
  addRetryMs?: number;
  /** The reply dispatcher's knobs, as ReplyDispatcherOptions documents them. */
  dispatcher?: Pick<
    ReplyDispatcherOptions,
    | 'consumer'
    | 'blockMs'
    | 'retryMs'
    | 'maxRetryMs'
    | 'readyPollMs'
    | 'claimIdleMs'
    | 'maxInFlight'
    | 'maxAnswerAgeMs'
    | 'twitchMaxAnswerAgeMs'
    | 'closeWaitMs'
  >;
}

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
    visibleDeadlineS: config.CLIP_VISIBLE_DEADLINE_S,
    concurrency: config.WORKER_CONCURRENCY,
    shutdownGraceS: config.SHUTDOWN_GRACE_S,
  };
}

/**
 * The clip pipeline for one process. Bot role: `service` (what `!clip` calls) and the
 * reply dispatcher (register the chat adapters' senders). Worker role: the BullMQ worker
 * with its visibility poller and live checker. Both by default.
 */
export class ClipPipeline {
  readonly keys: ClipKeys;
  readonly publisher: ResultPublisher;
  readonly queue?: ClipQueue;
  readonly worker?: ClipWorker;
  readonly dispatcher?: ReplyDispatcher;
  private readonly redis: Redis;
  private depthTimer?: NodeJS.Timeout;
  private closing?: Promise<void>;
  private workerClosing?: Promise<void>;

  constructor(private readonly opts: ClipPipelineOptions) {
    const { settings: s, log, metrics, tuning = {} } = opts;
    const runsWorker = opts.role !== 'bot';
    const runsBot = opts.role !== 'worker';
    if (runsWorker && !opts.helix) throw new Error('the clip worker needs a HelixApi');
    this.keys = new ClipKeys(s.prefix, s.queueName);
    this.redis = opts.connections.create(`clips-${opts.role}`);
    this.publisher = new ResultPublisher({
      redis: this.redis,
      keys: this.keys,
      log: log.child({ component: 'clip-results' }),
      metrics,
      coalesce: s.batching,
      coalesceWindowS: s.coalesceWindowS,
      postTargets: opts.postTargets,
      rescueLink: opts.rescueLink,
    });
    if (runsBot) {
      this.queue = new ClipQueue({
        redis: this.redis,
        keys: this.keys,
        publisher: this.publisher,
        log: log.child({ component: 'clip-queue' }),
        metrics,
        coalesce: s.batching,
        attempts: tuning.attempts,
        backoffMs: tuning.backoffMs,
        orphanGraceMs: tuning.orphanGraceMs,
        addTries: tuning.addTries,
        addRetryMs: tuning.addRetryMs,
      });
      this.dispatcher = new ReplyDispatcher({
        redis: this.redis,
        blocking: (platform) => opts.connections.create(`replies-read-${platform}`),
        keys: this.keys,
        log: log.child({ component: 'replies' }),
        metrics,
        ...tuning.dispatcher,
      });
    }
    if (runsWorker && opts.helix) {
      this.worker = new ClipWorker({
        redis: this.redis,
        keys: this.keys,
        helix: opts.helix,
        publisher: this.publisher,
        log: log.child({ component: 'clip-worker' }),
        batching: s.batching,
        liveCacheS: s.liveCacheS,
        timing: {
          firstPollMs: s.firstPollMs,
          pollIntervalMs: s.pollIntervalMs,
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
        creatorId: () => opts.clipEditor?.()?.userId,
        unconfirmed: {
          defaultWaitMs: tuning.unconfirmedWaitMs,
          maxWaitMs: tuning.unconfirmedMaxWaitMs,
        },
        pastClips: opts.clipEditor
          ? new PastClipMaker({
              helix: opts.helix,
              locator: new VodLocator({ helix: opts.helix }),
              editor: opts.clipEditor,
            })
          : undefined,
      });
    }
  }

  /** What the `clip` command calls. Only in the bot (or all) role. */
  get service(): ClipService {
    if (!this.queue) throw new Error(`the clip service does not run in the ${this.opts.role} role`);
    return this.queue;
  }

  /** A chat adapter's sender; envelopes for its platform wait in Redis until it is ready. */
  registerSender(sender: ReplySender): void {
    if (!this.dispatcher) throw new Error(`replies are not sent in the ${this.opts.role} role`);
    this.dispatcher.register(sender);
  }

  async start(): Promise<void> {
    await this.dispatcher?.start();
    this.worker?.start();
    const every = this.opts.tuning?.queueDepthIntervalMs ?? 15_000;
    const queue = this.queue;
    if (queue && this.opts.metrics && every > 0) {
      this.depthTimer = setInterval(() => {
        queue.refreshQueueDepth().catch(() => undefined);
      }, every);
      this.depthTimer.unref();
    }
    this.opts.log.info(
      { role: this.opts.role, queue: this.keys.queueName },
      'clip pipeline started',
    );
  }

  /**
   * The first step of a shutdown: stops taking new jobs and lets active ones finish (up to
   * SHUTDOWN_GRACE_S), while the reply dispatcher keeps delivering their answers. Keep the
   * chat adapters running until this and drainReplies() are done.
   */
  closeWorker(): Promise<void> {
    this.workerClosing ??= (async () => {
      clearInterval(this.depthTimer);
      await this.worker?.close();
    })();
    return this.workerClosing;
  }

  /**
   * The second step: waits (up to timeoutMs, default tuning.drainRepliesMs or 5 s) until
   * the answers waiting in the reply streams have been delivered to ready senders. True
   * when nothing is left; false at the deadline (what is left stays for the next start).
   */
  async drainReplies(timeoutMs = this.opts.tuning?.drainRepliesMs ?? 5000): Promise<boolean> {
    if (!this.dispatcher) return true;
    const drained = await this.dispatcher.drain(timeoutMs);
    if (!drained) {
      this.opts.log.warn(
        { timeoutMs },
        'answers still waiting at shutdown; delivered after restart',
      );
    }
    return drained;
  }

  /**
   * Stops taking new jobs, lets active ones finish (up to SHUTDOWN_GRACE_S), stops the
   * reply dispatcher after the envelope it is delivering, and closes the connections.
   * A graceful shutdown calls closeWorker() and drainReplies() first, then stops the chat
   * adapters, then this.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearInterval(this.depthTimer);
      await Promise.all([this.closeWorker(), this.dispatcher?.close()]);
      await this.queue?.close().catch(() => undefined);
      await closeRedis(this.redis);
      this.opts.log.info({ role: this.opts.role }, 'clip pipeline closed');
    })();
    return this.closing;
  }
}
