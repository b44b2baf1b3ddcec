import type { Logger } from 'pino';
import type { RescueLink } from './result-publisher.js';
import type { ClipOutcome, ClipRequest, FailureReason } from './types.js';
import type { VodLocator } from './vod-locator.js';
import { vodMomentUrl } from './vod-time.js';

/**
 * Failures where a VOD link cannot help: nothing was streaming, the channel does not
 * exist, there is no VOD, or the moment is not in it.
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
  return !NO_RESCUE.has(outcome.reason);
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
  const lead = request.vod ? (request.duration ?? DEFAULT_CLIP_S) : leadInS;
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

/**
 * The pipeline's rescue hook: for a clip that failed (not for want of a stream) or did not
 * appear by the deadline, a link to the asked moment in the stream's VOD.
 */
export function createRescueLink(opts: RescueLinkOptions): RescueLink {
  const leadInS = opts.leadInS ?? 10;
  const timeoutMs = opts.timeoutMs ?? 5000;
  return async (result, request) => {
    if (!wantsRescue(result.outcome)) return undefined;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    try {
      // Looked up at the request's time: the stream may have ended since.
      const found = await Promise.race([
        opts.locator.find(result.broadcasterId, request.requestedAt),
        timedOut,
      ]);
      if (!found) {
        opts.log?.warn({ jobId: result.jobId }, 'VOD lookup for the rescue link timed out');
        return undefined;
      }
      if (!found.vod) return undefined;
      return vodMomentUrl(found.vod.video.id, rescueOffsetS(request, found.vod.startMs, leadInS));
    } finally {
      clearTimeout(timer);
    }
  };
}
