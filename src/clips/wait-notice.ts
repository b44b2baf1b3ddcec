import { DelayedError, RateLimitError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { decodeClipRequest, replyEntryFields } from '../core/reply-envelope.js';
import { errMessage } from '../core/err-message.js';
import type { ClipResult, Platform, WaitReason } from '../core/clip.js';
import { HelixError } from '../twitch/errors.js';
import { withHelixWaits, type HelixWait } from '../twitch/helix-waits.js';
import type { ClipJobData } from './job-data.js';
import type { ClipKeys } from './keys.js';

export interface WaitNoticeOptions {
  redis: Redis;
  keys: ClipKeys;
  log: Logger;
  /** The reply streams' cap (ResultPublisher.streamMaxLen; 0: none). */
  streamMaxLen: number;
  /** Requesters are told only when they will have waited at least this long. */
  minWaitMs?: number;
  /** How long the "told" mark lives (a job is long finished by then). */
  markTtlS?: number;
}

export const WAIT_NOTICE_DEFAULTS = {
  minWaitMs: 4_000,
  markTtlS: 86_400,
} as const satisfies Partial<WaitNoticeOptions>;

/** The Helix failures that mean "Twitch is slow" rather than a refusal. */
const SLOW_KINDS: ReadonlySet<HelixWait['kind']> = new Set(['server_error', 'timeout', 'network']);

/**
 * "Your clip is on its way": requesters kept waiting for a reason the worker knows (a 429
 * being waited out, Twitch's 5xx or timeouts being retried, a job resumed after its worker
 * stopped) are told so once per job, through the reply streams like any answer, so they
 * do not take the silence for a lost request. Once: a Redis SET NX on the job's id, so
 * retries, reruns and other workers never say it twice. The result follows as usual.
 */
export class WaitNotices {
  private readonly minWaitMs: number;

  constructor(private readonly opts: WaitNoticeOptions) {
    this.minWaitMs = opts.minWaitMs ?? WAIT_NOTICE_DEFAULTS.minWaitMs;
  }

  /**
   * Runs one attempt of a job, telling its requesters when it will keep them waiting: a
   * Helix call waiting out a 429 or retrying a 5xx, an attempt that ends in a queue pause
   * or a retry, or a job resumed by a rerun.
   */
  async around<T>(job: Job<ClipJobData>, run: () => Promise<T>): Promise<T> {
    const { progress } = job.data;
    if (progress !== undefined) {
      // Started before: a retry after a failure, a 429 pause, or a worker that stopped.
      const reason: WaitReason =
        progress.rateLimited || progress.clipPausedSince !== undefined
          ? 'rate_limited'
          : job.attemptsMade > 0
            ? 'twitch_slow'
            : 'recovering';
      await this.tell(job, reason);
    }
    // Helix calls made later from this context (a shared poller's timer) are not this
    // attempt's: a notice after the result would be worse than none.
    let running = true;
    const onWait = (wait: HelixWait): void => {
      if (!running) return;
      if (wait.kind === 'rate_limited' || wait.kind === 'clip_creation_limited') {
        void this.tell(job, 'rate_limited', wait.delayMs);
      } else if (SLOW_KINDS.has(wait.kind)) {
        void this.tell(job, 'twitch_slow', wait.delayMs);
      }
    };
    try {
      return await withHelixWaits(onWait, run);
    } catch (err) {
      // Put back to wait for a 429's reset or for clip creation to resume.
      if (err instanceof DelayedError || err instanceof RateLimitError) {
        await this.tell(job, 'rate_limited');
      } else if (err instanceof HelixError && SLOW_KINDS.has(err.kind)) {
        // Retried with backoff after Twitch did not answer (the last attempt is unrecoverable).
        await this.tell(job, 'twitch_slow');
      }
      throw err;
    } finally {
      running = false;
    }
  }

  /** Never throws: a notice must not fail the job (a failure is logged). */
  async tell(
    job: Job<ClipJobData>,
    reason: WaitReason,
    waitMs = 0,
    now = Date.now(),
  ): Promise<void> {
    const request = job.data.request;
    if (now + waitMs - request.requestedAt < this.minWaitMs) return;
    await this.publish(job.id ?? '', job.data, reason, now).catch((err: unknown) =>
      this.opts.log.warn({ jobId: job.id, err: errMessage(err) }, 'could not send the wait notice'),
    );
  }

  /** Publishes the notice unless one was already sent for this job. True when sent. */
  async publish(
    jobId: string,
    data: ClipJobData,
    reason: WaitReason,
    now = Date.now(),
  ): Promise<boolean> {
    const { redis, keys, log } = this.opts;
    if (jobId === '') return false;
    // A rerun of a job that already answered (it died before BullMQ heard): nothing to say.
    if ((await redis.exists(keys.result(jobId))) === 1) return false;
    const ttl = this.opts.markTtlS ?? WAIT_NOTICE_DEFAULTS.markTtlS;
    const first = await redis.set(keys.waitNotice(jobId), reason, 'EX', ttl, 'NX');
    if (first !== 'OK') return false;
    const req = data.request;
    const result: ClipResult = {
      jobId,
      broadcasterId: req.broadcasterId,
      broadcasterLogin: req.broadcasterLogin,
      broadcasterName: req.broadcasterName,
      outcome: { status: 'on_its_way', reason },
      finishedAt: now,
    };
    const resultJson = JSON.stringify(result);
    const raws = await redis.lrange(keys.requesters(jobId), 0, -1);
    const twitch: string[] = [];
    const multi = redis.multi();
    for (const raw of raws) {
      const r = decodeClipRequest(raw);
      if (!r) continue;
      if (r.replyTo.platform === 'discord') this.add(multi, 'discord', resultJson, [raw]);
      else twitch.push(raw);
    }
    if (twitch.length > 0) this.add(multi, 'twitch', resultJson, twitch);
    await multi.exec();
    log.info(
      { jobId, reason, requests: raws.length },
      'told the requesters their clip is on its way',
    );
    return true;
  }

  private add(
    multi: ReturnType<Redis['multi']>,
    platform: Platform,
    result: string,
    requests: string[],
  ): void {
    const fields = replyEntryFields({ platform, result, requests });
    const stream = this.opts.keys.replies(platform);
    if (this.opts.streamMaxLen > 0) {
      multi.xadd(stream, 'MAXLEN', '~', this.opts.streamMaxLen, '*', ...fields);
    } else {
      multi.xadd(stream, '*', ...fields);
    }
  }
}
