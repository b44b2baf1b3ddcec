import { UserError } from '../src/core/command.js';

/**
 * Chat: the word that asks for a clip of the past, "-2m", "-90s", "-1m30s", "-1h5m". A unit
 * is required, so "-5" stays what it always was (a bad duration).
 */
export const AGO_CHAT_PATTERN = /^-(?=\d)(?:\d{1,2}h)?(?:\d{1,4}m)?(?:\d{1,6}s)?$/i;

/** Twitch keeps a live VOD for at most 48 hours of stream. */
export const MAX_AGO_S = 48 * 3600;

/**
 * "2m", "-2m", "90s", "1m30s", "1h", or plain seconds ("90") in seconds; undefined when the
 * text is none of these.
 */
export function parseAgo(text: string): number | undefined {
  const t = text.trim().toLowerCase().replace(/^-/, '').replace(/\s+/g, '');
  if (/^\d{1,6}$/.test(t)) return Number(t);
  const m = /^(?=\d)(?:(\d{1,2})h)?(?:(\d{1,4})m)?(?:(\d{1,6})s)?$/.exec(t);
  if (!m) return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

/** The `ago` option as seconds, or a UserError saying how to write it. */
export function agoSeconds(value: string): number {
  const s = parseAgo(value);
  if (s === undefined) {
    throw new UserError('Say how long ago the moment ended, like 2m, 90s or 1m30s.');
  }
  if (s < 1) throw new UserError('That moment is now: leave out the time to clip the live stream.');
  if (s > MAX_AGO_S) throw new UserError('Clips of the past reach back at most 48 hours.');
  return s;
}
