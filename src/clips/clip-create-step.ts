import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { errMessage } from '../core/err-message.js';
import type { ClipResult } from '../core/clip.js';
import { HelixError } from '../twitch/errors.js';
import type { HelixApi } from '../twitch/helix-api.js';
import type { CreatedClip } from '../twitch/types.js';
import type { ClipCreationGate } from './clip-creation-gate.js';
import { ClipFailure, createOutcomeUnknown } from './failure-mapping.js';
import { saveProgress, type ClipJobData, type ClipJobProgress } from './job-data.js';
import type { LiveChecker } from './live-checker.js';
import { checkMoment } from './moment-deadline.js';
import type { PastClipMaker } from './past-clip.js';
import type { StopSignal } from './stop-signal.js';
import { clipEditUrl, type UnconfirmedCreates } from './unconfirmed-create.js';

type ClipJob = Job<ClipJobData, ClipResult>;

export interface CreateStepOptions {
  helix: HelixApi;
  live: LiveChecker;
  log: Logger;
  stop: StopSignal;
  pastClips?: PastClipMaker;
  unconfirmed?: UnconfirmedCreates;
  clipGate?: ClipCreationGate;
}

/**
 * The Create Clip step of a clip job: sends it at most twice per job, saves the clip id
 * before anything else, and adopts the clip of an attempt whose answer was lost. The second
 * send is the only one after the processor's moment check, so it makes that check itself.
 */
export class CreateStep {
  constructor(private readonly opts: CreateStepOptions) {}

  /**
   * Calls Create Clip and saves the clip id, or adopts the clip of an earlier attempt whose
   * answer was lost. Returns the progress at 'wait_visible'.
   */
  async createOnce(job: ClipJob, progress: ClipJobProgress, log: Logger): Promise<ClipJobProgress> {
    const jobId = job.id ?? '';
    let p = progress;
    for (;;) {
      if (p.createAttemptedAt !== undefined) {
        const adopted = await this.recover(job, p, log);
        if (adopted) {
          p = adopted;
          await saveProgress(job, p);
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
        await saveProgress(job, p);
        // The lookup waited seconds, a retry or a restarted worker longer: the resend meets
        // the same deadline as the first attempt (a live clip now may be of something else),
        // and a late one goes to the VOD (the request saved as such) or is answered too_late.
        await checkMoment(job, p, { pastClips: this.opts.pastClips, log });
        log.warn('no clip found for an unconfirmed Create Clip; sending it again, once');
      }
      this.opts.stop.throwIfStopped();
      p = { ...p, createAttemptedAt: Date.now() };
      await saveProgress(job, p);
      let made: { created: CreatedClip; titleDropped: boolean };
      try {
        made = await this.create(job);
      } catch (err) {
        if (createOutcomeUnknown(err)) {
          // Twitch may have made the clip: look for it before anything else.
          log.warn({ err: errMessage(err) }, 'Create Clip outcome unknown; looking for its clip');
          p = { ...p, createUnknownAt: Date.now() };
          await saveProgress(job, p);
          continue;
        }
        // Twitch refused before acting (or nothing was sent): a retry may call it again.
        const { createAttemptedAt: _sent, ...rest } = p;
        p = rest;
        await saveProgress(job, p).catch((saveErr: unknown) =>
          log.warn({ err: errMessage(saveErr) }, 'could not clear the Create Clip mark'),
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
      await saveProgress(job, p);
      // So that another job's lost Create Clip never adopts this clip.
      await this.opts.unconfirmed
        ?.claim(created.id, jobId)
        .catch((err: unknown) =>
          log.warn({ err: errMessage(err), clipId: created.id }, 'could not record the clip owner'),
        );
      await this.opts.clipGate
        ?.clear()
        .catch((err: unknown) =>
          log.warn({ err: errMessage(err) }, 'could not reset the clip-creation backoff'),
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
      await this.opts.stop.untilStopped(sleep(wait));
    }
    this.opts.stop.throwIfStopped();
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
      try {
        const created = await this.opts.helix.createClip({ broadcasterId, title, duration });
        return { created, titleDropped: false };
      } catch (err) {
        if (!(title && err instanceof HelixError && err.kind === 'title_rejected')) throw err;
        const created = await this.opts.helix.createClip({ broadcasterId, duration });
        return { created, titleDropped: true };
      }
    } catch (err) {
      // Twitch says offline whatever the live table said: it is the authority.
      if (err instanceof HelixError && err.kind === 'not_live') {
        await this.opts.live
          .markOffline(broadcasterId, req.broadcasterLogin)
          .catch((markErr: unknown) =>
            this.opts.log.warn({ err: errMessage(markErr) }, 'could not correct the live table'),
          );
      }
      throw err;
    }
  }
}

/** A wait that does not keep a stopping process alive (untilStopped ends it early). */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
