import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Metrics } from '../ops/metrics.js';
import { closeRedis, whenReady } from '../redis/connection.js';
import type { ClipQueue } from '../clips/clip-queue.js';
import type { ClipWorker, ClipWorkerOptions } from '../clips/clip-worker.js';
import type { ClipKeys } from '../clips/keys.js';
import type { LiveStatusRefresher } from '../clips/live-status-refresher.js';
import type { ReplyDispatcher, ReplyDispatcherOptions } from '../replies/reply-dispatcher.js';
import type { ResultPublisher } from '../clips/result-publisher.js';
import type { ClipService, ReplySender } from '../core/clip.js';

/** all: one process does everything (default); worker: clip jobs only; bot: chat side only. */
export type PipelineRole = 'all' | 'worker' | 'bot';

/** The settings the pipeline reads from Config (see pipelineSettings in build-pipeline.ts). */
export interface ClipPipelineSettings {
  prefix: string;
  queueName: string;
  /** BATCHING: batched Get Clips/Get Streams and coalescing of requests. */
  batching: boolean;
  coalesceWindowS: number;
  liveCacheS: number;
  firstPollMs: number;
  pollIntervalMs: number;
  /** CLIP_FAST_POLL_MS (optional: the poller's default). */
  fastPollMs?: number;
  visibleDeadlineS: number;
  concurrency: number;
  shutdownGraceS: number;
  /** LIVE_STATUS_CALLS_PER_MIN / LIVE_STATUS_MIN_PERIOD_S: the live table's refresh rhythm. */
  liveStatusCallsPerMin: number;
  liveStatusMinPeriodS: number;
}

/** Knobs with production defaults that tests shorten. */
export interface ClipPipelineTuning {
  attempts?: number;
  /** How long start() waits for the clip queue's connection. */
  requestsReadyMs?: number;
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
    | 'staleness'
  >;
}

/** The parts buildPipeline made for one role (build-pipeline.ts). */
export interface ClipPipelineParts {
  role: PipelineRole;
  keys: ClipKeys;
  /** The pipeline's own connection, closed with it. */
  redis: Redis;
  /** The clip queue's fail-fast connection (bot side), closed with it. */
  requestsRedis?: Redis;
  publisher: ResultPublisher;
  queue?: ClipQueue;
  dispatcher?: ReplyDispatcher;
  worker?: ClipWorker;
  /** Keeps the live table fresh (worker role, batching on, joined channels known). */
  liveRefresher?: LiveStatusRefresher;
  log: Logger;
  metrics?: Metrics;
  tuning?: ClipPipelineTuning;
}

export const CLIP_PIPELINE_DEFAULTS = {
  queueDepthIntervalMs: 15_000,
  drainRepliesMs: 5_000,
  /** How long start() waits for the clip queue's connection. */
  requestsReadyMs: 5_000,
} as const satisfies Partial<ClipPipelineTuning>;

/**
 * The clip pipeline for one process, as buildPipeline made it. Bot role: `service` (what
 * `!clip` calls) and the reply dispatcher (register the chat adapters' senders). Worker
 * role: the BullMQ worker with its visibility poller and live checker. Both by default.
 * It wires nothing itself: it starts and stops in the order a graceful shutdown needs.
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

  constructor(private readonly opts: ClipPipelineParts) {
    this.keys = opts.keys;
    this.redis = opts.redis;
    this.publisher = opts.publisher;
    this.queue = opts.queue;
    this.worker = opts.worker;
    this.dispatcher = opts.dispatcher;
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
    // The clip queue's connection fails fast: a `!clip` right after start must not find it
    // still connecting. Bounded: a Redis gone meanwhile is the router's to answer.
    const requests = this.opts.requestsRedis;
    if (requests)
      await whenReady(
        requests,
        this.opts.tuning?.requestsReadyMs ?? CLIP_PIPELINE_DEFAULTS.requestsReadyMs,
      );
    await this.dispatcher?.start();
    this.worker?.start();
    this.opts.liveRefresher?.start();
    const every =
      this.opts.tuning?.queueDepthIntervalMs ?? CLIP_PIPELINE_DEFAULTS.queueDepthIntervalMs;
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
      await this.opts.liveRefresher?.stop();
      await this.worker?.close();
    })();
    return this.workerClosing;
  }

  /**
   * The second step: waits (up to timeoutMs, default tuning.drainRepliesMs or 5 s) until
   * the answers waiting in the reply streams have been delivered to ready senders. True
   * when nothing is left; false at the deadline (what is left stays for the next start).
   */
  async drainReplies(
    timeoutMs = this.opts.tuning?.drainRepliesMs ?? CLIP_PIPELINE_DEFAULTS.drainRepliesMs,
  ): Promise<boolean> {
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
      if (this.opts.requestsRedis) await closeRedis(this.opts.requestsRedis);
      this.opts.log.info({ role: this.opts.role }, 'clip pipeline closed');
    })();
    return this.closing;
  }
}
