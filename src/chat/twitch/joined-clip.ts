import type { ClipRequest, ClipResult } from '../../core/clip.js';

/** Twitch's clip length when Create Clip is given none. */
const TWITCH_DEFAULT_DURATION_S = 30;

/** What a requester asked for that the clip made does not have. */
export interface UnmetAsk {
  title?: string;
  duration?: number;
}

interface Made {
  /** undefined: Twitch's default title; null: not known. */
  title: string | undefined | null;
  /** undefined: not known. */
  duration: number | undefined;
  /** Durations as asked (exact), or as Twitch measured the clip (a fraction off). */
  exact: boolean;
}

/** What the clip was made with, as far as the result tells. */
function made(result: ClipResult): Made | undefined {
  const { outcome } = result;
  if (outcome.status === 'failed' || outcome.status === 'on_its_way') return undefined;
  if (result.requested) {
    return {
      title: result.requested.title,
      duration: result.requested.duration ?? TWITCH_DEFAULT_DURATION_S,
      exact: true,
    };
  }
  if (outcome.status !== 'created') return undefined;
  return {
    // AutoMod took the title away: what was asked is unknown (the answer says so anyway).
    title: outcome.titleDropped ? null : outcome.clip.title,
    duration: outcome.clip.duration,
    exact: false,
  };
}

const sameTitle = (a: string, b: string): boolean =>
  a.replace(/\s+/g, ' ').trim().toLowerCase() === b.replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * The title or duration this request asked for that the clip does not have: the request
 * joined a clip someone else started. Undefined when it got what it asked, asked nothing
 * in particular, or the result does not tell (no clip; no `requested` and no clip details).
 */
export function unmetAsk(result: ClipResult, request: ClipRequest): UnmetAsk | undefined {
  const clip = made(result);
  if (!clip) return undefined;
  const out: UnmetAsk = {};
  if (request.title !== undefined && clip.title !== null) {
    if (clip.title === undefined || !sameTitle(request.title, clip.title))
      out.title = request.title;
  }
  if (request.duration !== undefined && clip.duration !== undefined) {
    const off = Math.abs(request.duration - clip.duration);
    if (clip.exact ? off > 0 : off > 1) out.duration = request.duration;
  }
  return out.title !== undefined || out.duration !== undefined ? out : undefined;
}

export function joinedAnotherClip(result: ClipResult, request: ClipRequest): boolean {
  return unmetAsk(result, request) !== undefined;
}
