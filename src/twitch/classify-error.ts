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

// Create Clip's 403s as real Twitch words them. Twitch does not send the reference's
// descriptions; clients that handle it match these substrings (Chatterino/chatterino2,
// src/providers/twitch/api/Helix.cpp, Helix::createClip: "restricted for this channel" ->
// ClipsDisabled, "User does not have permissions" -> ClipsRestricted, "restricted for this
// category" -> ClipsRestrictedCategory). The category text whole, as a public auto-clipper
// quotes it: "Clipping is restricted for this category on this channel." (a 403).
const REAL_CLIPS_OFF = /restricted for this channel/i;
const REAL_FOLLOWERS_OR_SUBS = /user does not have permissions/i;
const REAL_CATEGORY = /restricted for this category/i;

// The reference's wording (the docs' descriptions), kept as a second form.
const DOC_CLIPS_OFF = /not enabled clips|clips (are )?disabled|turned off/i;
const DOC_FOLLOWERS_OR_SUBS = /followers|subscribers/i;
const AUTOMOD = /automod/i;
const NOT_CLIPPABLE = /not clippable|cannot be clipped|can't be clipped/i;
const UNKNOWN_BROADCASTER = /not found|unknown|does not exist|invalid broadcaster/i;
const BANNED = /banned|timed out/i;
const SCOPE = /scope/i;
const NOT_LIVE = /live|broadcasting|offline/i;

/** Whether a path is one of the clip-creating endpoints, whose 4xx texts we interpret. */
export function createsClip(method: string, path: string): boolean {
  return method.toUpperCase() === 'POST' && (path === '/clips' || path === '/videos/clips');
}

/** A 403 from a clip-creating endpoint, by what it says. */
function clipRefusal(message: string): HelixErrorKind {
  // The real texts first: "restricted for this category" must not read as clips off.
  if (REAL_CATEGORY.test(message)) return 'not_clippable';
  if (REAL_CLIPS_OFF.test(message)) return 'clips_disabled';
  if (REAL_FOLLOWERS_OR_SUBS.test(message)) return 'clips_restricted';
  if (BANNED.test(message)) return 'banned';
  // Reference forms: "restricted ... to followers" must not be read as "disabled".
  if (DOC_FOLLOWERS_OR_SUBS.test(message)) return 'clips_restricted';
  if (DOC_CLIPS_OFF.test(message)) return 'clips_disabled';
  if (NOT_CLIPPABLE.test(message)) return 'not_clippable';
  return 'forbidden';
}

/**
 * Maps a failed Helix response to the kind the pipeline understands. Pure, so every
 * Twitch text we know of is covered by a unit test. Status 0 is not handled here: the
 * transport knows whether it was a timeout or a network error. A 429 is 'rate_limited'
 * here; the transport tells Create Clip's own bucket apart by the headers.
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
      if (clip) return clipRefusal(message);
      return BANNED.test(message) ? 'banned' : 'forbidden';
    case 404:
      if (f.path === '/clips' && f.method.toUpperCase() === 'POST') return 'not_live';
      if (clip && NOT_LIVE.test(message)) return 'not_live';
      if (clip && /does not exist/i.test(message)) return 'unknown_broadcaster';
      return 'not_found';
    case 400:
      if (!clip) return 'bad_request';
      if (AUTOMOD.test(message)) return 'title_rejected';
      if (NOT_CLIPPABLE.test(message) || REAL_CATEGORY.test(message)) return 'not_clippable';
      if (UNKNOWN_BROADCASTER.test(message)) return 'unknown_broadcaster';
      return 'bad_request';
    default:
      return status >= 400 && status < 500 ? 'bad_request' : 'server_error';
  }
}

/**
 * Whether a clip-creating endpoint refused with words we do not recognise: the viewer is
 * then told Twitch's own words, and operators are shown the text to report it.
 */
export function unrecognisedClipRefusal(f: HelixFailure, kind: HelixErrorKind): boolean {
  return createsClip(f.method, f.path) && (kind === 'forbidden' || kind === 'bad_request');
}

/**
 * Twitch's text made safe to say in chat: control and invisible formatting characters
 * removed, whitespace collapsed, trimmed, and cut to `max` characters.
 */
export function chatSafeTwitchText(text: string, max = 150): string {
  const clean = text
    .replace(/[\p{Cc}\p{Cf}\u{E0000}-\u{E007F}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (clean.length <= max) return clean;
  return `${clean.slice(0, max - 1).trimEnd()}…`;
}
