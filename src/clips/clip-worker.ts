import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { isConnectionError } from '../redis/connection.js';
import type { HelixApi } from '../twitch/helix-api.js';
import { ClaimStates } from './claim-state.js';
import { ClipCreationGate } from './clip-creation-gate.js';
import { ClipProcessor, type ClipTiming } from './clip-processor.js';
import type { ClipJobData, ClipJobProgress } from './job-data.js';
import type { ClipKeys } from './keys.js';
import { LiveChecker } from './live-checker.js';
import type { LiveStatusTable } from './live-status-table.js';
import type { PastClipMaker } from './past-clip.js';
import { errMessage } from '../core/err-message.js';
import type { ResultPublisher } from './result-publisher.js';
import type { ClipOutcome, ClipResult } from '../core/clip.js';
import { UnconfirmedCreates, type UnconfirmedCreatesOptions } from './unconfirmed-create.js';
import { SharedClipLooks } from './shared-clip-looks.js';
import { VisibilityPoller } from './visibility-poller.js';

export interface ClipWorkerOptions {
  /** maxRetriesPerRequest null (BullMQ requires it); BullMQ adds its own blocking duplicate. */
  redis: Redis;
  keys: ClipKeys;
  helix: HelixApi;
  publisher: ResultPublisher;
  log: Logger;
  /** Batched Get Clips and Get Streams (BATCHING). */
  batching: boolean;
  liveCacheS: number;
  /** The live table shared by every worker (batching only): checks it answers cost no call. */
  liveTable?: LiveStatusTable;
  timing: ClipTiming;
  /** Jobs in flight per process (WORKER_CONCURRENCY); most of them just wait for visibility. */
  concurrency: number;
  /** How long close() lets active jobs finish (SHUTDOWN_GRACE_S). */
  shutdownGraceS: number;
  /** BullMQ lock of an active job; a dead worker's jobs resume after it expires. */
  lockDurationMs?: number;
  /** How often stalled jobs are looked for (at most lockDurationMs). */
  stalledIntervalMs?: number;
  /** Stalls (worker deaths) a job survives before failing. */
  maxStalledCount?: number;
  maxRateLimitPauses?: number;
  /** Clips of the past (Create Clip From VOD). */
  pastClips?: PastClipMaker;
  /**
   * The bot account's user id, to find the clip of a Create Clip whose answer was lost.
   * Without it such a job answers 'uncertain' at once.
   */
  creatorId?: () => string | undefined;
  /** Waits of that lookup (defaults in UnconfirmedCreatesOptions). */
  unconfirmed?: Pick<UnconfirmedCreatesOptions, 'defaultWaitMs' | 'maxWaitMs' | 'marginMs'>;
  /**
   * After a forced stop, how long close() waits for jobs to hand themselves back (a Create
   * Clip in flight finishes first). Default 12 s (above the Helix timeout).
   */
  handBackWaitMs?: number;
  /** Create Clip's own bucket: first pause and cap of its backoff (ClipCreationGate). */
  clipCreationPause?: { baseMs?: number; maxMs?: number };
  /** How long a job may wait for clip creation to resume (default 60 s). */
  maxClipPauseMs?: number;
}

/**
 * Takeover of a dead worker's job, with BullMQ's own means. The lock is renewed every
 * lockDurationMs / 2 (BullMQ's lockRenewTime). Every stalled-job check (at most one per
 * stalledIntervalMs across all workers, each worker trying every stalledIntervalMs, so up
 * to two intervals apart) moves the jobs it finds without a lock, among those the previous
 * check marked, back to wait, where a live worker takes them at once. So a dead worker's
 * job resumes within about lockDurationMs + 2 x stalledIntervalMs (7 s), typically 4-6 s.
 * The price: an event loop blocked, or Redis unreachable, for longer than the lock also
 * hands the job on (BullMQ's "at least once"); jobs are resumable (ClipProcessor keeps its
 * progress in the job), so that costs no second clip.
 */
export const CLIP_WORKER_DEFAULTS = {
  lockDurationMs: 4000,
  stalledIntervalMs: 1500,
  maxStalledCount: 3,
} as const satisfies Partial<ClipWorkerOptions>;

/**
 * The worker's job limiter. It never limits in practice; BullMQ only honours the queue-wide
 * pause of Queue.rateLimit() (our answer to a 429) in workers that have a limiter, and then
 * in every one of them, in every process.
 */
export const CLIP_WORKER_LIMITER = { max: 1_000_000, duration: 1000 } as const;

/**
 * Runs clip jobs: a BullMQ Worker around ClipProcessor, with the process-wide
 * VisibilityPoller and LiveChecker that batch the Helix calls of all its jobs.
 */
export class ClipWorker {
  readonly worker: Worker<ClipJobData, ClipResult>;
  readonly poller: VisibilityPoller;
  readonly live: LiveChecker;
  private readonly processor: ClipProcessor;
  private readonly claims: ClaimStates;
  /** Only for queue-wide pauses on 429 (Queue.rateLimit). */
  private readonly queue: Queue<ClipJobData, ClipResult>;
  private running?: Promise<void>;

  constructor(private readonly opts: ClipWorkerOptions) {
    const { keys, log } = opts;
    this.claims = new ClaimStates(opts.redis, keys);
    this.poller = new VisibilityPoller({
      helix: opts.helix,
      log,
      pollIntervalMs: opts.timing.pollIntervalMs,
      fastPollIntervalMs: opts.timing.fastPollMs,
      batching: opts.batching,
      // Looks shared with every other worker process (one Get Clips per tick for all).
      shared: opts.batching
        ? new SharedClipLooks({ redis: opts.redis, keys, helix: opts.helix, log })
        : undefined,
    });
    this.live = new LiveChecker({
      helix: opts.helix,
      batching: opts.batching,
      cacheS: opts.liveCacheS,
      table: opts.batching ? opts.liveTable : undefined,
    });
    this.queue = new Queue(keys.queueName, { connection: opts.redis, prefix: keys.prefix });
    this.queue.on('error', (err) => {
      if (!isConnectionError(err)) log.warn({ err: err.message }, 'clip queue error');
    });
    this.processor = new ClipProcessor({
      helix: opts.helix,
      live: this.live,
      poller: this.poller,
      publisher: opts.publisher,
      timing: opts.timing,
      log,
      pauseQueue: (ms) => this.queue.rateLimit(ms),
      maxRateLimitPauses: opts.maxRateLimitPauses,
      pastClips: opts.pastClips,
      clipGate: new ClipCreationGate({
        redis: opts.redis,
        keys,
        basePauseMs: opts.clipCreationPause?.baseMs,
        maxPauseMs: opts.clipCreationPause?.maxMs,
      }),
      maxClipPauseMs: opts.maxClipPauseMs,
      unconfirmed: new UnconfirmedCreates({
        helix: opts.helix,
        redis: opts.redis,
        keys,
        creatorId: opts.creatorId ?? (() => undefined),
        learnedDelayMs: () => this.poller.typicalDelayMs(),
        defaultWaitMs: opts.unconfirmed?.defaultWaitMs,
        marginMs: opts.unconfirmed?.marginMs,
        // Never longer than the wait for a clip Create Clip did confirm.
        maxWaitMs:
          opts.unconfirmed?.maxWaitMs ?? Math.min(15_000, opts.timing.visibleDeadlineS * 1000),
      }),
    });
    const lockDuration = opts.lockDurationMs ?? CLIP_WORKER_DEFAULTS.lockDurationMs;
    this.worker = new Worker<ClipJobData, ClipResult>(
      keys.queueName,
      (job, token) => this.processor.process(job, token),
      {
        connection: opts.redis,
        prefix: keys.prefix,
        autorun: false,
        concurrency: opts.concurrency,
        lockDuration,
        stalledInterval: Math.min(
          opts.stalledIntervalMs ?? CLIP_WORKER_DEFAULTS.stalledIntervalMs,
          lockDuration,
        ),
        maxStalledCount: opts.maxStalledCount ?? CLIP_WORKER_DEFAULTS.maxStalledCount,
        limiter: { ...CLIP_WORKER_LIMITER },
      },
    );
    this.worker.on('error', (err) => {
      if (!isConnectionError(err)) log.warn({ err: err.message }, 'clip worker error');
    });
    this.worker.on('stalled', (jobId) => {
      log.warn({ jobId }, 'clip job stalled (its worker died or blocked); resuming it');
    });
    this.worker.on('failed', (job) => {
      if (job) void this.onFailed(job);
    });
    this.worker.on('completed', (job) => {
      if (job.id) void this.markEnded(job.id);
    });
  }

  start(): void {
    this.running ??= this.worker.run().catch((err: unknown) => {
      this.opts.log.error({ err: errMessage(err) }, 'clip worker stopped');
    });
  }

  /**
   * Stops taking jobs and lets active ones finish within the grace period. Jobs still
   * active after it keep their state in Redis and resume on another worker once their
   * lock expires.
   */
  async close(): Promise<void> {
    const graceMs = this.opts.shutdownGraceS * 1000;
    const closing = this.worker.close();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      closing.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), graceMs);
      }),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      this.opts.log.warn(
        { graceS: this.opts.shutdownGraceS },
        'clip jobs still active after the grace period; handing them back to the queue',
      );
      this.processor.stop();
      closing.catch(() => undefined);
      // Jobs hand themselves back within a Helix timeout or so; one that cannot is left to
      // the stalled-job check (another worker resumes it once its lock expires).
      await Promise.race([
        closing.catch(() => undefined),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, this.opts.handBackWaitMs ?? 12_000);
        }),
      ]);
      clearTimeout(timer);
    }
    this.poller.close();
    await this.queue.close().catch(() => undefined);
    if (!timedOut) await this.running;
  }

  /** Requests no longer join the job's claim (ClaimStates); the join script adopts them. */
  private async markEnded(jobId: string): Promise<void> {
    try {
      await this.claims.ended(jobId);
    } catch (err) {
      // Not fatal: the next request asks BullMQ how the job ended (ClaimStates.settle).
      this.opts.log.warn({ jobId, err: errMessage(err) }, 'could not record the clip job ended');
    }
  }

  /**
   * Answers a job that failed for good without our code answering it: above all one that
   * stalled more than maxStalledCount times, which BullMQ fails by itself when a worker
   * next picks it up. 'failed' fires in whichever worker that is; finalize is idempotent, so
   * a job the processor already answered is left alone.
   */
  private async onFailed(job: Job<ClipJobData, ClipResult>): Promise<void> {
    // An attempt that will be retried is not the end of the job.
    if (!job.finishedOn || !job.id) return;
    const jobId = job.id;
    const log = this.opts.log.child({ jobId });
    await this.markEnded(jobId);
    try {
      if (await this.opts.publisher.storedResult(jobId)) return;
      log.warn({ failedReason: job.failedReason }, 'clip job failed unanswered; answering it');
      await this.opts.publisher.finalize(
        jobId,
        job.data.request,
        outcomeOfAbandonedJob(job.data.progress, job.failedReason),
      );
    } catch (err) {
      log.error({ err: errMessage(err) }, 'could not answer a failed clip job');
    }
  }
}

/** What the requesters of a job that ended without an answer are told, from its progress. */
export function outcomeOfAbandonedJob(
  progress: ClipJobProgress | undefined,
  failedReason?: string,
): ClipOutcome {
  const { clipId, editUrl, titleDropped, createAttemptedAt } = progress ?? {};
  // A clip that was created may still appear: say so rather than "failed".
  if (clipId && editUrl) {
    return { status: 'not_visible', clipId, editUrl, ...(titleDropped ? { titleDropped } : {}) };
  }
  const detail = failedReason || 'the job failed without an answer';
  if (createAttemptedAt !== undefined) return { status: 'failed', reason: 'uncertain', detail };
  return { status: 'failed', reason: 'internal', detail };
}
