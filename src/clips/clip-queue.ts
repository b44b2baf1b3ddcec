import { randomUUID } from 'node:crypto';
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Metrics } from '../ops/metrics.js';
import { isConnectionError } from '../redis/connection.js';
import { script } from '../redis/scripts.js';
import { REPLY_FIELDS, replyEntryFields } from '../core/reply-envelope.js';
import { ClaimStates, PENDING_TTL_MS } from './claim-state.js';
import { CLIP_JOB_NAME, type ClipJobData } from './job-data.js';
import type { ClipKeys } from './keys.js';
import type { ResultPublisher } from './result-publisher.js';
import type { ClipRequest, ClipResult, ClipService } from '../core/clip.js';

const JOIN_OR_CREATE = script('clip-join-or-create');

export interface ClipQueueOptions {
  /** A connection with maxRetriesPerRequest null; shared with BullMQ's Queue (not closed here). */
  redis: Redis;
  keys: ClipKeys;
  publisher: ResultPublisher;
  log: Logger;
  metrics?: Metrics;
  /** Join the channel's pending clip (BATCHING on). Off: every request is its own job. */
  coalesce: boolean;
  /** Tries per job for transient failures (Twitch 5xx, timeouts). Default 3. */
  attempts?: number;
  /** First retry delay; doubles each time. Default 2000 ms. */
  backoffMs?: number;
  /** A claim whose BullMQ job does not exist after this long is taken over. Default 30 s. */
  orphanGraceMs?: number;
  /** Tries at adding the BullMQ job before the requesters are told 'internal'. Default 3. */
  addTries?: number;
  /** Wait before the second try; doubles after. Default 250 ms. */
  addRetryMs?: number;
}

const REQUEST_TTL_MS = 60 * 60 * 1000;
/** Claims looked at per request; each look after the first means another request won a race. */
const MAX_LOOKS = 10;

export const CLIP_QUEUE_DEFAULTS = {
  orphanGraceMs: 30_000,
  addTries: 3,
  addRetryMs: 250,
  attempts: 3,
  backoffMs: 2_000,
} as const satisfies Partial<ClipQueueOptions>;

/**
 * The chat side of the pipeline: turns a request into a BullMQ job, or joins the clip
 * already pending for the channel. Answers arrive later on the reply streams.
 */
export class ClipQueue implements ClipService {
  readonly queue: Queue<ClipJobData, ClipResult>;
  private readonly claims: ClaimStates;

  constructor(private readonly opts: ClipQueueOptions) {
    this.claims = new ClaimStates(opts.redis, opts.keys);
    this.queue = new Queue<ClipJobData, ClipResult>(opts.keys.queueName, {
      connection: opts.redis,
      prefix: opts.keys.prefix,
    });
    this.queue.on('error', (err) => {
      if (!isConnectionError(err)) opts.log.warn({ err: err.message }, 'clip queue error');
    });
  }

  async request(req: ClipRequest): Promise<{ jobId: string; joined: boolean }> {
    const { log, metrics } = this.opts;
    const candidate = `clip-${safeIdPart(req.broadcasterId)}-${randomUUID()}`;
    const [kind, jobId] = await this.joinOrCreate(req, candidate);
    const reqLog = { requestId: req.requestId, broadcasterId: req.broadcasterId, jobId };
    if (kind === 'duplicate') {
      log.debug(reqLog, 'clip request seen before; not queued again');
      return { jobId, joined: true };
    }
    if (kind !== 'created') {
      metrics?.clipRequests.inc({ kind: 'coalesced' });
      log.debug({ ...reqLog, kind }, 'clip request joined a pending clip');
      return { jobId, joined: true };
    }
    metrics?.clipRequests.inc({ kind: 'queued' });
    const err = await this.addJob(jobId, req);
    if (err) {
      // The claim is made and others may have joined it: answer all of them rather than
      // leave them waiting for a job that does not exist.
      log.error({ ...reqLog, err: errText(err) }, 'could not add the clip job');
      await this.opts.publisher.finalize(jobId, req, {
        status: 'failed',
        reason: 'internal',
        detail: 'the job could not be queued',
      });
      return { jobId, joined: false };
    }
    await this.claims.queued(jobId);
    log.debug(reqLog, 'clip job queued');
    return { jobId, joined: false };
  }

  /** Runs the join script against the channel's current claim, looking again if it moved. */
  private async joinOrCreate(req: ClipRequest, candidate: string): Promise<[string, string]> {
    const { keys, redis } = this.opts;
    const pending = keys.pendingFor(req);
    const platform = req.replyTo.platform;
    const reqJson = JSON.stringify(req);
    for (let look = 1; ; look++) {
      const current = this.opts.coalesce ? ((await redis.hget(pending, 'jobId')) ?? '') : '';
      if (current) await this.claims.settle(current, this.queue);
      const answer = (await JOIN_OR_CREATE.run(
        redis,
        [
          pending,
          keys.request(req.requestId),
          keys.requesters(candidate),
          keys.requesters(current || candidate),
          keys.claimState(current || candidate),
        ],
        [
          candidate,
          reqJson,
          this.opts.coalesce ? '1' : '0',
          current,
          Date.now(),
          this.opts.orphanGraceMs ?? CLIP_QUEUE_DEFAULTS.orphanGraceMs,
          REQUEST_TTL_MS,
          PENDING_TTL_MS,
          keys.replies(platform),
          this.opts.publisher.streamMaxLen,
          REPLY_FIELDS.result,
          ...replyEntryFields({ platform, requests: [reqJson] }),
        ],
      )) as [string, string];
      // Another request claimed or finished the channel's clip in between: look again.
      if (answer[0] !== 'retry') return answer;
      if (look >= MAX_LOOKS) throw new Error("the channel's clip claim kept changing");
    }
  }

  /**
   * Adds the job, or returns why it could not. A failed add may still have written the
   * job (a timeout after Redis ran it): the job is looked up before trying again, and the
   * add itself is safe to repeat (BullMQ ignores a second add of the same job id). Only
   * when the job is certainly absent are the requesters told 'internal'; the job would
   * otherwise run and make a clip nobody is told about (finalize keeps the first answer).
   */
  private async addJob(jobId: string, req: ClipRequest): Promise<unknown> {
    const tries = Math.max(1, this.opts.addTries ?? CLIP_QUEUE_DEFAULTS.addTries);
    let delay = this.opts.addRetryMs ?? CLIP_QUEUE_DEFAULTS.addRetryMs;
    let lastErr: unknown;
    for (let i = 0; i < tries; i++) {
      if (i > 0) {
        await new Promise((r) => setTimeout(r, delay));
        delay *= 2;
      }
      try {
        await this.queue.add(CLIP_JOB_NAME, { request: req }, this.jobOptions(jobId, req));
        return undefined;
      } catch (err) {
        lastErr = err;
      }
      try {
        if (await this.queue.getJob(jobId)) return undefined;
      } catch {
        // Redis still not answering: try again, then answer.
      }
      this.opts.log.warn(
        { jobId, err: errText(lastErr), try: i + 1, tries },
        'adding the clip job failed',
      );
    }
    return lastErr;
  }

  /** Jobs by state, into the queueDepth gauge. */
  async refreshQueueDepth(): Promise<Record<string, number>> {
    const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    for (const [state, n] of Object.entries(counts)) {
      this.opts.metrics?.queueDepth.set({ state }, n);
    }
    return counts;
  }

  async close(): Promise<void> {
    await this.queue.close();
  }

  private jobOptions(jobId: string, req: ClipRequest): JobsOptions {
    return {
      jobId,
      delay: req.delayS && req.delayS > 0 ? Math.round(req.delayS * 1000) : undefined,
      attempts: this.opts.attempts ?? CLIP_QUEUE_DEFAULTS.attempts,
      backoff: { type: 'exponential', delay: this.opts.backoffMs ?? CLIP_QUEUE_DEFAULTS.backoffMs },
      // Bounded history: enough to inspect recent jobs, never an ever-growing Redis.
      removeOnComplete: { age: 24 * 3600, count: 1000 },
      removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
    };
  }
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** BullMQ job ids may not contain ':'; broadcaster ids are digits, but stay safe. */
function safeIdPart(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40);
}
