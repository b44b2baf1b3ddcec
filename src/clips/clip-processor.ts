import { DelayedError, UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { HelixError } from '../twitch/errors.js';
import type { HelixApi } from '../twitch/helix-api.js';
import type { CreatedClip, HelixClip } from '../twitch/types.js';
import type { ClipCreationGate } from './clip-creation-gate.js';
import { ClipFailure, createOutcomeUnknown, decide } from './failure-mapping.js';
import type { ClipJobData, ClipJobProgress } from './job-data.js';
import type { LiveChecker } from './live-checker.js';
import { checkMoment } from './moment-deadline.js';
import type { PastClipMaker } from './past-clip.js';
import type { ResultPublisher } from './result-publisher.js';
import type { ClipOutcome, ClipResult } from '../core/clip.js';
import { clipEditUrl, type UnconfirmedCreates } from './unconfirmed-create.js';
import type { VisibilityPoller } from './visibility-poller.js';

export interface ClipTiming {
  /** First Get Clips after creation (CLIP_FIRST_POLL_MS). */
  firstPollMs: number;
  /** CLIP_POLL_INTERVAL_MS; used by the poller, kept here for completeness of the timing. */
  pollIntervalMs: number;
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

type ClipJob = Job<ClipJobData, ClipResult>;

/** The worker is being stopped: the job goes back to the queue, unanswered and unharmed. */
class ShutdownError extends Error {
  override readonly name = 'ShutdownError';
  constructor() {
    super('the clip worker is stopping');
  }
}

/**
 * One clip job as a state machine: live check -> create -> wait until visible -> done.
 * Progress is saved to the job after each step, so a retried, stalled or restarted job
 * resumes where it stopped. Create Clip is marked before it is sent; an attempt that never
 * learned its outcome (a 5xx, a timeout, a worker that died mid-call) is looked for in Get
 * Clips once its clip would be visible and adopted if found. Not found, Twitch most likely
 * made nothing: Create Clip is sent again, once per job; a second unconfirmed attempt that
 * is not found either answers 'uncertain'.
 */
export class ClipProcessor {
  private stopped = false;
  private readonly onStop = new Set<(err: ShutdownError) => void>();

  constructor(private readonly opts: ClipProcessorOptions) {}

  /**
   * Forced shutdown (the grace period is over): jobs waiting for visibility, and jobs
   * reaching their next step, are handed back to the queue without using up an attempt,
   * so another worker resumes them at once. A Create Clip already sent is waited for and
   * its clip id saved first.
   */
  stop(): void {
    this.stopped = true;
    for (const reject of this.onStop) reject(new ShutdownError());
    this.onStop.clear();
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
      if (err instanceof ShutdownError || (this.stopped && decide(err).action !== 'fail')) {
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
        log.warn({ err: errText(moveErr) }, 'could not hand the clip job back on shutdown');
        throw err;
      }
      log.info({ stage: job.data.progress?.stage }, 'worker stopping: clip job handed back');
      throw new WaitingError();
    }
    throw err;
  }

  private throwIfStopped(): void {
    if (this.stopped) throw new ShutdownError();
  }

  /** `wait`, or a ShutdownError as soon as stop() is called. */
  private async untilStopped<T>(wait: Promise<T>): Promise<T> {
    this.throwIfStopped();
    let reject: ((err: ShutdownError) => void) | undefined;
    const stopped = new Promise<never>((_, r) => {
      reject = r;
      this.onStop.add(r);
    });
    try {
      return await Promise.race([wait, stopped]);
    } finally {
      if (reject) this.onStop.delete(reject);
    }
  }

  private async run(job: ClipJob, log: Logger, token?: string): Promise<ClipOutcome> {
    const req = job.data.request;
    let p: ClipJobProgress = job.data.progress ?? { stage: 'live_check' };
    this.throwIfStopped();
    if (p.stage === 'live_check') {
      // A clip of the past needs a VOD, not a live stream: it may follow the stream's end.
      if (!req.vod && !(await this.opts.live.isLive(req.broadcasterId))) {
        throw new ClipFailure('offline', 'Get Streams: not live');
      }
      p = { ...p, stage: 'create' };
      await save(job, p);
    }
    if (p.stage === 'create') {
      await checkMoment(job, p, { pastClips: this.opts.pastClips, log });
      const paused = await this.opts.clipGate?.pausedUntil();
      if (paused !== undefined) return this.waitForClipCreation(job, paused, token, log);
      p = await this.createOnce(job, p, log);
    } else {
      log.info({ stage: p.stage, clipId: p.clipId }, 'resuming clip job');
    }
    const { clipId, editUrl, createdAt } = p;
    if (!clipId || !editUrl || createdAt === undefined) {
      throw new ClipFailure('internal', 'job data lost the created clip');
    }
    const { firstPollMs, visibleDeadlineS } = this.opts.timing;
    // The one long wait (up to the visibility deadline): a stopping worker hands it back.
    const clip = await this.untilStopped(
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
   * Calls Create Clip and saves the clip id, or adopts the clip of an earlier attempt whose
   * answer was lost. Returns the progress at 'wait_visible'.
   */
  private async createOnce(
    job: ClipJob,
    progress: ClipJobProgress,
    log: Logger,
  ): Promise<ClipJobProgress> {
    const jobId = job.id ?? '';
    let p = progress;
    for (;;) {
      if (p.createAttemptedAt !== undefined) {
        const adopted = await this.recover(job, p, log);
        if (adopted) {
          p = adopted;
          await save(job, p);
          log.info({ clipId: p.clipId }, 'found the clip of an unconfirmed Create Clip');
          return p;
        }
        if (p.createRetried) {
          throw new ClipFailure(
            'uncertain',
            `Create Clip sent twice without a confirmed clip (last at ${new Date(p.createAttemptedAt).toISOString()}); not sent again`,
          );
        }
        // Twitch shows no clip from the attempt: it most likely made none. Once per job.
        const { createAttemptedAt: _sent, createUnknownAt: _unknown, ...rest } = p;
        p = { ...rest, createRetried: true };
        await save(job, p);
        log.warn('no clip found for an unconfirmed Create Clip; sending it again, once');
      }
      this.throwIfStopped();
      p = { ...p, createAttemptedAt: Date.now() };
      await save(job, p);
      let made: { created: CreatedClip; titleDropped: boolean };
      try {
        made = await this.create(job);
      } catch (err) {
        if (createOutcomeUnknown(err)) {
          // Twitch may have made the clip: look for it before anything else.
          log.warn({ err: errText(err) }, 'Create Clip outcome unknown; looking for its clip');
          p = { ...p, createUnknownAt: Date.now() };
          await save(job, p);
          continue;
        }
        // Twitch refused before acting (or nothing was sent): a retry may call it again.
        const { createAttemptedAt: _sent, ...rest } = p;
        p = rest;
        await save(job, p).catch((saveErr: unknown) =>
          log.warn({ err: errText(saveErr) }, 'could not clear the Create Clip mark'),
        );
        throw err;
      }
      const { created, titleDropped } = made;
      // Saved before anything else: from here on, a rerun never creates another clip.
      p = {
        ...p,
        stage: 'wait_visible',
        clipId: created.id,
        editUrl: created.edit_url,
        createdAt: Date.now(),
        ...(titleDropped ? { titleDropped } : {}),
      };
      await save(job, p);
      // So that another job's lost Create Clip never adopts this clip.
      await this.opts.unconfirmed
        ?.claim(created.id, jobId)
        .catch((err: unknown) =>
          log.warn({ err: errText(err), clipId: created.id }, 'could not record the clip owner'),
        );
      await this.opts.clipGate
        ?.clear()
        .catch((err: unknown) =>
          log.warn({ err: errText(err) }, 'could not reset the clip-creation backoff'),
        );
      log.info({ clipId: created.id, titleDropped }, 'clip created; waiting until it is visible');
      return p;
    }
  }

  /**
   * Waits until a clip made by the unconfirmed attempt would be visible, then looks for it.
   * Returns the progress adopting it, or undefined when Twitch shows none. Without a way to
   * look, the job answers 'uncertain'.
   */
  private async recover(
    job: ClipJob,
    p: ClipJobProgress,
    log: Logger,
  ): Promise<ClipJobProgress | undefined> {
    const attemptedAt = p.createAttemptedAt ?? Date.now();
    const lookup = this.opts.unconfirmed;
    if (!lookup?.canLookUp()) {
      throw new ClipFailure(
        'uncertain',
        `Create Clip sent at ${new Date(attemptedAt).toISOString()} was never confirmed and cannot be looked up; not sent again`,
      );
    }
    // A resumed job whose worker died mid-call does not know when Twitch may have acted:
    // at worst just now.
    const since = p.createUnknownAt ?? Date.now();
    const wait = lookup.lookAt(since) - Date.now();
    if (wait > 0) {
      log.info({ waitMs: wait }, 'waiting until a clip of the unconfirmed Create Clip would show');
      await this.untilStopped(sleep(wait));
    }
    this.throwIfStopped();
    const clip = await lookup.find(job.id ?? '', job.data.request.broadcasterId, attemptedAt);
    if (!clip) return undefined;
    const createdAt = Date.parse(clip.created_at);
    return {
      ...p,
      stage: 'wait_visible',
      clipId: clip.id,
      editUrl: clipEditUrl(job.data.request.broadcasterLogin, clip.id),
      createdAt: Number.isNaN(createdAt) ? Date.now() : createdAt,
      adopted: true,
    };
  }

  private async create(job: ClipJob): Promise<{ created: CreatedClip; titleDropped: boolean }> {
    const req = job.data.request;
    if (req.vod) {
      if (!this.opts.pastClips) {
        throw new ClipFailure('vod_scope_missing', 'this worker cannot clip VODs');
      }
      return this.opts.pastClips.create(req);
    }
    const { broadcasterId, title, duration } = req;
    try {
      const created = await this.opts.helix.createClip({ broadcasterId, title, duration });
      return { created, titleDropped: false };
    } catch (err) {
      if (!(title && err instanceof HelixError && err.kind === 'title_rejected')) throw err;
      const created = await this.opts.helix.createClip({ broadcasterId, duration });
      return { created, titleDropped: true };
    }
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
    if (until - since > (this.opts.maxClipPauseMs ?? 60_000) || !token) {
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
      await save(job, { ...progress, clipPausedSince: since });
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
      if (pauses > (this.opts.maxRateLimitPauses ?? 5)) {
        return fail(unsure ? 'uncertain' : 'rate_limited', d.detail);
      }
      await save(job, { ...(job.data.progress ?? { stage: 'live_check' }), rateLimited: pauses });
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

/** A wait that does not keep a stopping process alive (untilStopped ends it early). */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function failed(
  reason: Extract<ClipOutcome, { status: 'failed' }>['reason'],
  detail: string,
): ClipOutcome {
  return { status: 'failed', reason, detail };
}

async function save(job: ClipJob, progress: ClipJobProgress): Promise<void> {
  await job.updateData({ ...job.data, progress });
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
