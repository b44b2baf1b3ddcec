import type { Logger } from 'pino';
import type { RescueLink } from './result-publisher.js';
import type { ClipOutcome, ClipRequest, FailureReason } from '../core/clip.js';
import type { VodLocator } from '../core/vod-locator.js';
import { vodMomentUrl } from '../core/vod-time.js';

/**
 * Failures where a link into the live stream's VOD cannot help: nothing was streaming, the
 * channel does not exist, there is no VOD, or the moment is not in it. 'offline' has a
 * rescue of its own (wantsOfflineRescue): a stream that just ended.
 */
const NO_RESCUE: ReadonlySet<FailureReason> = new Set([
  'offline',
  'unknown_channel',
  'no_vod',
  'before_stream',
]);

export function wantsRescue(outcome: ClipOutcome): boolean {
  if (outcome.status === 'created') return false;
  if (outcome.status === 'not_visible') return true;
  if (outcome.status === 'on_its_way') return false;
  return !NO_RESCUE.has(outcome.reason);
}

/**
 * A live clip asked for just after the stream ended: the archive of that stream (if the
 * request falls within VodLocator's end grace) still shows the moment being asked about.
 */
export function wantsOfflineRescue(
  outcome: ClipOutcome,
  request: Pick<ClipRequest, 'vod'>,
): boolean {
  // A clip of the past answered 'offline' already found no archive holding its time.
  return (
    outcome.status === 'failed' &&
    outcome.reason === 'offline' &&
    (!request.vod || !!request.vod.late)
  );
}

/** Twitch's default clip length, for a request that did not name one. */
const DEFAULT_CLIP_S = 30;

/**
 * Where the link starts, in seconds into the VOD. A live clip's moment is the request
 * itself: the link starts a few seconds earlier so the moment is in view. A clip of the
 * past covers `duration` seconds ending `agoS` before the request: the link starts there.
 */
export function rescueOffsetS(
  request: Pick<ClipRequest, 'requestedAt' | 'duration' | 'vod'>,
  vodStartMs: number,
  leadInS: number,
): number {
  const endMs = request.requestedAt - (request.vod?.agoS ?? 0) * 1000;
  const lead = request.vod && !request.vod.late ? (request.duration ?? DEFAULT_CLIP_S) : leadInS;
  return Math.max(0, Math.floor((endMs - vodStartMs) / 1000) - lead);
}

export interface RescueLinkOptions {
  locator: VodLocator;
  /** Seconds before a live request the link starts. Default 10. */
  leadInS?: number;
  /** The answer waits at most this long for the link. Default 5000 ms. */
  timeoutMs?: number;
  log?: Logger;
}

export const RESCUE_LINK_DEFAULTS = {
  leadInS: 10,
  timeoutMs: 5_000,
} as const satisfies Partial<RescueLinkOptions>;

/**
 * The pipeline's rescue hook: for a clip that failed (not for want of a stream) or did not
 * appear by the deadline, a link to the asked moment in the stream's VOD; for 'offline',
 * a link to the end of the stream that just ended, when its archive holds the moment.
 */
export function createRescueLink(opts: RescueLinkOptions): RescueLink {
  const leadInS = opts.leadInS ?? RESCUE_LINK_DEFAULTS.leadInS;
  const timeoutMs = opts.timeoutMs ?? RESCUE_LINK_DEFAULTS.timeoutMs;
  return async (result, request) => {
    const offline = wantsOfflineRescue(result.outcome, request);
    if (!offline && !wantsRescue(result.outcome)) return undefined;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    try {
      // Looked up at the request's time: the stream may have ended since.
      const found = await Promise.race([
        opts.locator.find(result.broadcasterId, request.requestedAt, { offline }),
        timedOut,
      ]);
      if (!found) {
        opts.log?.warn({ jobId: result.jobId }, 'VOD lookup for the rescue link timed out');
        return undefined;
      }
      const vod = found.vod;
      if (!vod) return undefined;
      let offsetS = rescueOffsetS(request, vod.startMs, leadInS);
      // A finished archive ends before a moment asked in its end grace: show its last seconds.
      if (!vod.live) offsetS = Math.min(offsetS, Math.max(0, vod.durationS - leadInS));
      return vodMomentUrl(vod.video.id, offsetS);
    } finally {
      clearTimeout(timer);
    }
  };
}
