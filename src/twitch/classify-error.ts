import type { HelixErrorKind } from './errors.js';

/** What one failed Helix response looked like, without anything secret in it. */
export interface HelixFailure {
  status: number;
  method: string;
  /** Path below the Helix base URL, such as "/clips"; never the query string. */
  path: string;
  /** Twitch's `message` field (may be empty). */
  message: string;
}

// Twitch's texts vary between endpoints and over time, so each kind matches on the
// words that carry the meaning rather than on one exact sentence.
const AUTOMOD = /automod/i;
const NOT_CLIPPABLE = /clippable|cannot be clipped|can't be clipped|category/i;
const UNKNOWN_BROADCASTER = /not found|unknown|does not exist|invalid broadcaster/i;
const RESTRICTED = /restrict|follower|subscriber/i;
const DISABLED = /not enabled|disabled|turned off/i;
const BANNED = /banned|timed out/i;
const SCOPE = /scope/i;
const NOT_LIVE = /live|broadcasting|offline/i;

/** Whether a path is one of the clip-creating endpoints, whose 4xx texts we interpret. */
function createsClip(method: string, path: string): boolean {
  return method.toUpperCase() === 'POST' && (path === '/clips' || path === '/videos/clips');
}

/**
 * Maps a failed Helix response to the kind the pipeline understands. Pure, so every
 * Twitch text we know of is covered by a unit test. Status 0 is not handled here: the
 * transport knows whether it was a timeout or a network error.
 */
export function classifyHelixFailure(f: HelixFailure): HelixErrorKind {
  const { status, message } = f;
  const clip = createsClip(f.method, f.path);
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  switch (status) {
    case 401:
      return SCOPE.test(message) ? 'missing_scope' : 'unauthorized';
    case 403:
      // Order matters: "restricted ... to followers" must not be read as "disabled".
      if (RESTRICTED.test(message)) return 'clips_restricted';
      if (DISABLED.test(message)) return 'clips_disabled';
      if (BANNED.test(message)) return 'banned';
      return 'forbidden';
    case 404:
      if (f.path === '/clips' && f.method.toUpperCase() === 'POST') return 'not_live';
      if (clip && NOT_LIVE.test(message)) return 'not_live';
      if (clip && /does not exist/i.test(message)) return 'unknown_broadcaster';
      return 'not_found';
    case 400:
      if (!clip) return 'bad_request';
      if (AUTOMOD.test(message)) return 'title_rejected';
      if (NOT_CLIPPABLE.test(message)) return 'not_clippable';
      if (UNKNOWN_BROADCASTER.test(message)) return 'unknown_broadcaster';
      return 'bad_request';
    default:
      return status >= 400 && status < 500 ? 'bad_request' : 'server_error';
  }
}
