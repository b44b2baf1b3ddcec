import { DelayedError, UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { errMessage } from '../core/err-message.js';
import type { HelixApi } from '../twitch/helix-api.js';
import type { HelixClip } from '../twitch/types.js';
import type { ClipCreationGate } from './clip-creation-gate.js';
import { CreateStep } from './clip-create-step.js';
import { ClipFailure, decide } from './failure-mapping.js';
import { saveProgress, type ClipJobData, type ClipJobProgress } from './job-data.js';
import type { LiveChecker } from './live-checker.js';
import { checkMoment } from './moment-deadline.js';
import type { PastClipMaker } from './past-clip.js';
import type { ResultPublisher } from './result-publisher.js';
import type { ClipOutcome, ClipResult } from '../core/clip.js';
import { ShutdownError, StopSignal } from './stop-signal.js';
import type { UnconfirmedCreates } from './unconfirmed-create.js';
import type { VisibilityPoller } from './visibility-poller.js';

export interface ClipTiming {
  /** First Get Clips after creation (CLIP_FIRST_POLL_MS). */
  firstPollMs: number;
  /** CLIP_POLL_INTERVAL_MS; used by the poller, kept here for completeness of the timing. */
  pollIntervalMs: number;
  /**
   * CLIP_FAST_POLL_MS: looks while clips are due to appear (VisibilityPoller). Shorter:
   * answers follow visibility closer; longer: fewer Get Clips when clips do not overlap.
   */
  fastPollMs?: number;
  /** Give up waiting for visibility this long after creation (CLIP_VISIBLE_DEADLINE_S). */
  visibleDeadlineS: number;
}

export interface ClipProcessorOptions {
  helix: HelixApi;
  live: LiveChecker;
  poller: VisibilityPoller;
  publisher: ResultPublisher;
  timing: ClipTiming;
  log: Logger;
  /** Pauses the whole queue (every worker) for ms: Twitch's bucket is shared. */
  pauseQueue(ms: number): Promise<void>;
  /** 429 pauses one job may take before it is answered 'rate_limited'. Default 5. */
  maxRateLimitPauses?: number;
  /** Clips of the past (requests with `vod`); without it they fail 'vod_scope_missing'. */
  pastClips?: PastClipMaker;
  /**
   * Finds the clip of a Create Clip whose answer was lost. Without it (or while the bot
   * account is unknown) such a job answers 'uncertain' at once.
   */
  unconfirmed?: UnconfirmedCreates;
  /**
   * Create Clip's own bucket, shared by every worker: while it is paused, jobs wait before
   * Create Clip (not before their reads). Without it such a 429 pauses the whole queue.
   */
  clipGate?: ClipCreationGate;
  /**
   * How long one job may wait for clip creation to resume; beyond it the requesters are
   * told plainly (a clip made that late would miss the moment). Default 60 s.
   */
  maxClipPauseMs?: number;
}

export const CLIP_PROCESSOR_DEFAULTS = {
  maxRateLimitPauses: 5,
  maxClipPauseMs: 60_000,
} as const satisfies Partial<ClipProcessorOptions>;

type ClipJob = Job<ClipJobData, ClipResult>;

/**
 * One clip job as a state machine: live check -> create -> wait until visible -> done.
 * Progress is saved to the job after each step, so a retried, stalled or restarted job
 * resumes where it stopped. Create Clip is marked before it is sent; an attempt that never
 * learned its outcome (a 5xx, a timeout, a worker that died mid-call) is looked for in Get
 * Clips once its clip would be visible and adopted if found. Not found, Twitch most likely
 * made nothing: Create Clip is sent again, once per job, after the same moment deadline as
 * the first attempt; a second unconfirmed attempt that is not found either answers
 * 'uncertain'.
 */
export class ClipProcessor {
  private readonly stopSignal = new StopSignal();
  private readonly createStep: CreateStep;

  constructor(private readonly opts: ClipProcessorOptions) {
    this.createStep = new CreateStep({
      helix: opts.helix,
      live: opts.live,
      log: opts.log,
      stop: this.stopSignal,
      pastClips: opts.pastClips,
      unconfirmed: opts.unconfirmed,
      clipGate: opts.clipGate,
    });
  }

  /**
   * Forced shutdown (the grace period is over): jobs waiting for visibility, and jobs
   * reaching their next step, are handed back to the queue without using up an attempt,
   * so another worker resumes them at once. A Create Clip already sent is waited for and
   * its clip id saved first.
   */
  stop(): void {
    this.stopSignal.stop();
  }

  /** `token` is BullMQ's lock token for the job (needed to hand it back on shutdown). */
  async process(job: ClipJob, token?: string): Promise<ClipResult> {
    const jobId = job.id ?? '';
    const req = job.data.request;
    const log = this.opts.log.child({ jobId, broadcasterId: req.broadcasterId });
    // A rerun of a job that finalized but died before BullMQ heard of it.
    const stored = await this.opts.publisher.storedResult(jobId);
    if (stored) return stored;
    try {
      const outcome = await this.run(job, log, token);
      return await this.opts.publisher.finalize(jobId, req, outcome);
    } catch (err) {
      // The job was put back on purpose (delayed until clip creation resumes).
      if (err instanceof DelayedError) throw err;
      if (
        err instanceof ShutdownError ||
        (this.stopSignal.stopped && decide(err).action !== 'fail')
      ) {
        return this.handBack(job, token, err, log);
      }
      return this.handleError(job, err, log, token);
    }
  }

  /**
   * Puts an unfinished job back in the queue without counting an attempt (a thrown error
   * would count one, and on the last attempt fail the job unanswered). If that is not
   * possible the error goes to BullMQ: a retry, or a failure the worker's 'failed' handler
   * answers, or, with Redis gone, the stalled-job check.
   */
  private async handBack(
    job: ClipJob,
    token: string | undefined,
    err: unknown,
    log: Logger,
  ): Promise<never> {
    if (token) {
      try {
        await job.moveToWait(token);
      } catch (moveErr) {
        log.warn({ err: errMessage(moveErr) }, 'could not hand the clip job back on shutdown');
        throw err;
      }
      log.info({ stage: job.data.progress?.stage }, 'worker stopping: clip job handed back');
      throw new WaitingError();
    }
    throw err;
  }

  private async run(job: ClipJob, log: Logger, token?: string): Promise<ClipOutcome> {
    const req = job.data.request;
    let p: ClipJobProgress = job.data.progress ?? { stage: 'live_check' };
    this.stopSignal.throwIfStopped();
    if (p.stage === 'live_check') {
      // A clip of the past needs a VOD, not a live stream: it may follow the stream's end.
      if (!req.vod && !(await this.opts.live.isLive(req.broadcasterId, req.broadcasterLogin))) {
        throw new ClipFailure('offline', 'Get Streams: not live');
      }
      p = { ...p, stage: 'create' };
      await saveProgress(job, p);
    }
    if (p.stage === 'create') {
      await checkMoment(job, p, { pastClips: this.opts.pastClips, log });
      const paused = await this.opts.clipGate?.pausedUntil();
      if (paused !== undefined) return this.waitForClipCreation(job, paused, token, log);
      p = await this.createStep.createOnce(job, p, log);
    } else {
      log.info({ stage: p.stage, clipId: p.clipId }, 'resuming clip job');
    }
    const { clipId, editUrl, createdAt } = p;
    if (!clipId || !editUrl || createdAt === undefined) {
      throw new ClipFailure('internal', 'job data lost the created clip');
    }
    const { firstPollMs, visibleDeadlineS } = this.opts.timing;
    // The one long wait (up to the visibility deadline): a stopping worker hands it back.
    const clip = await this.stopSignal.untilStopped(
      this.opts.poller.waitVisible(clipId, {
        firstCheckAt: createdAt + firstPollMs,
        deadlineAt: createdAt + visibleDeadlineS * 1000,
      }),
    );
    const dropped = p.titleDropped ? { titleDropped: true } : {};
    if (!clip) {
      log.warn({ clipId }, 'clip not visible by the deadline');
      return { status: 'not_visible', clipId, editUrl, ...dropped };
    }
    return { status: 'created', clip: clipInfo(clip, editUrl), ...dropped };
  }

  /**
   * Clip creation is paused (Create Clip's own bucket is empty): the job goes back to the
   * queue, delayed until the pause ends, without using an attempt. If the pause lasts
   * longer than a clip of this moment can wait, the requesters are told so instead.
   */
  private async waitForClipCreation(
    job: ClipJob,
    until: number,
    token: string | undefined,
    log: Logger,
  ): Promise<ClipOutcome> {
    const now = Date.now();
    const progress = job.data.progress ?? { stage: 'create' };
    const since = progress.clipPausedSince ?? now;
    if (
      until - since > (this.opts.maxClipPauseMs ?? CLIP_PROCESSOR_DEFAULTS.maxClipPauseMs) ||
      !token
    ) {
      const retryAfterS = Math.ceil((until - now) / 1000);
      log.warn(
        { retryAfterS },
        "clip creation paused longer than the job can wait (Create Clip's bucket)",
      );
      return {
        status: 'failed',
        reason: 'clip_rate_limited',
        retryAfterS,
        detail: `POST /clips: clip-creation bucket empty; paused for ${retryAfterS} s more`,
      };
    }
    if (progress.clipPausedSince === undefined)
      await saveProgress(job, { ...progress, clipPausedSince: since });
    log.info({ resumeInMs: until - now }, 'clip creation paused; the job waits for it');
    await job.moveToDelayed(until, token);
    throw new DelayedError();
  }

  private async handleError(
    job: ClipJob,
    err: unknown,
    log: Logger,
    token?: string,
  ): Promise<never> {
    const jobId = job.id ?? '';
    const req = job.data.request;
    const d = decide(err);
    // A Create Clip whose outcome is still unknown (the lookup for its clip failed): a clip
    // may exist, and whatever failed since, that is what the requesters need to know.
    const progress = job.data.progress;
    const unsure = progress?.createAttemptedAt !== undefined && !progress.clipId;
    const fail = async (reason: Parameters<typeof failed>[0], detail: string): Promise<never> => {
      await this.opts.publisher.finalize(jobId, req, failed(reason, detail));
      throw new UnrecoverableError(`${reason}: ${detail}`);
    };
    if (d.action === 'fail') {
      log.info({ reason: d.reason, detail: d.detail }, 'clip job failed');
      if (!unsure && d.twitchText) {
        const outcome: ClipOutcome = {
          status: 'failed',
          reason: d.reason,
          detail: d.detail,
          twitchText: d.twitchText,
        };
        await this.opts.publisher.finalize(jobId, req, outcome);
        throw new UnrecoverableError(`${d.reason}: ${d.detail}`);
      }
      return fail(unsure ? 'uncertain' : d.reason, d.detail);
    }
    if (d.action === 'clip_paused' && this.opts.clipGate) {
      const until = await this.opts.clipGate.strike();
      log.warn(
        { pausedForMs: until - Date.now() },
        "Create Clip's own rate limit: pausing clip creation",
      );
      const outcome = await this.waitForClipCreation(job, until, token, log);
      if (unsure) return fail('uncertain', d.detail);
      await this.opts.publisher.finalize(jobId, req, outcome);
      throw new UnrecoverableError(`clip_rate_limited: ${d.detail}`);
    }
    if (d.action === 'rate_limited' || d.action === 'clip_paused') {
      const pauses = (job.data.progress?.rateLimited ?? 0) + 1;
      if (pauses > (this.opts.maxRateLimitPauses ?? CLIP_PROCESSOR_DEFAULTS.maxRateLimitPauses)) {
        return fail(unsure ? 'uncertain' : 'rate_limited', d.detail);
      }
      await saveProgress(job, {
        ...(job.data.progress ?? { stage: 'live_check' }),
        rateLimited: pauses,
      });
      const retryInMs = d.action === 'rate_limited' ? d.retryInMs : 10_000;
      log.warn({ retryInMs, pauses }, 'Twitch rate limit: pausing the clip queue');
      await this.opts.pauseQueue(retryInMs);
      throw Worker.RateLimitError();
    }
    const attempts = job.opts.attempts ?? 1;
    if (job.attemptsMade + 1 >= attempts) {
      log.error({ detail: d.detail, attempts }, 'clip job failed after its last attempt');
      return fail(unsure ? 'uncertain' : d.reason, d.detail);
    }
    log.warn({ detail: d.detail, attempt: job.attemptsMade + 1, attempts }, 'clip job will retry');
    throw err;
  }
}

function clipInfo(clip: HelixClip, editUrl: string) {
  return {
    id: clip.id,
    url: clip.url,
    editUrl,
    title: clip.title,
    broadcasterName: clip.broadcaster_name,
    thumbnailUrl: clip.thumbnail_url || undefined,
    duration: clip.duration,
    createdAt: clip.created_at,
    viewCount: clip.view_count,
  };
}

function failed(
  reason: Extract<ClipOutcome, { status: 'failed' }>['reason'],
  detail: string,
): ClipOutcome {
  return { status: 'failed', reason, detail };
}
