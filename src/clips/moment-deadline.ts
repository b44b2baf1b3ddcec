import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { ClipRequest } from '../core/clip.js';
import { ClipFailure } from './failure-mapping.js';
import type { ClipJobData, ClipJobProgress } from './job-data.js';
import type { PastClipMaker } from './past-clip.js';

/**
 * Whether a live clip made now still holds the moment asked for. A live Create Clip covers
 * the last `duration` seconds before it runs (Twitch's default 30); the moment is the few
 * seconds before the request, when the viewer saw it and reached for the keyboard. A job
 * that stalled, waited in a backlog, outlived its worker or sat out a 429 reaches Create
 * Clip seconds or a minute late, and a clip made then is of something else.
 */
export interface MomentDeadlineOptions {
  /**
   * Seconds before the request the clip must still reach back: the viewer's reaction
   * time. Capped at half the clip, so a 5 s clip is not late from the start.
   */
  marginS?: number;
}

export const MOMENT_DEADLINE_DEFAULTS = {
  marginS: 5,
  /** Twitch's length for a clip whose request named none. */
  defaultDurationS: 30,
} as const;

export interface MomentVerdict {
  late: boolean;
  /** Seconds from the request to now, less the channel's capture delay. */
  elapsedS: number;
  /** The most elapsedS may be for a live clip to hold the moment. */
  deadlineS: number;
}

/**
 * The rule, pure: late when (now - requestedAt) - delayS > duration - min(marginS,
 * duration / 2). A channel's delay setting (`!clipconfig delay`) makes the job wait that
 * long on purpose, to capture what delayed viewers saw, so it does not count as lateness.
 */
export function momentVerdict(
  request: Pick<ClipRequest, 'requestedAt' | 'duration' | 'delayS'>,
  now: number,
  opts: MomentDeadlineOptions = {},
): MomentVerdict {
  const duration = request.duration ?? MOMENT_DEADLINE_DEFAULTS.defaultDurationS;
  const margin = Math.min(opts.marginS ?? MOMENT_DEADLINE_DEFAULTS.marginS, duration / 2);
  const elapsedS = (now - request.requestedAt) / 1000 - (request.delayS ?? 0);
  const deadlineS = duration - margin;
  return { late: elapsedS > deadlineS, elapsedS, deadlineS };
}

export interface MomentCheckDeps {
  /** Clips from the VOD; without it (or without a VOD clip scope) a late job is answered. */
  pastClips?: PastClipMaker;
  log: Logger;
  marginS?: number;
  now?: number;
}

/**
 * Right before Create Clip: a live job past its moment becomes a clip of that moment from
 * the VOD (its request marked `vod: { agoS: 0, late: true }` and saved in the job, so a
 * rerun keeps to it) where the bot may clip VODs, or is answered 'too_late' (with the VOD
 * link, rescue-link.ts). A job that has already sent Create Clip is left alone: the clip it
 * may have made is looked for first, and when none is found the resend comes back here
 * (clip-create-step.ts) once that mark is cleared.
 */
export async function checkMoment(
  job: Job<ClipJobData>,
  progress: ClipJobProgress,
  deps: MomentCheckDeps,
): Promise<void> {
  const req = job.data.request;
  if (req.vod || progress.createAttemptedAt !== undefined) return;
  const verdict = momentVerdict(req, deps.now ?? Date.now(), { marginS: deps.marginS });
  if (!verdict.late) return;
  const detail = `reached Create Clip ${verdict.elapsedS.toFixed(1)} s after the request (a live clip holds the moment up to ${verdict.deadlineS} s)`;
  if (!deps.pastClips?.canClip()) {
    deps.log.warn({ elapsedS: verdict.elapsedS }, 'clip job too late for its moment; answering');
    throw new ClipFailure('too_late', detail);
  }
  await job.updateData({ ...job.data, request: { ...req, vod: { agoS: 0, late: true } } });
  deps.log.info(
    { elapsedS: verdict.elapsedS },
    'clip job too late for its moment; clipping it from the VOD',
  );
}
