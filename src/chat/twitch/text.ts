/** Twitch's limit for one chat message. */
export const MAX_MESSAGE_LENGTH = 500;

/**
 * Appended to a message identical to the bot's previous one in the channel, which Twitch would
 * otherwise drop as a duplicate. U+034F (combining grapheme joiner) is invisible and survives:
 * since August 2025 Twitch silently strips the Unicode tag block (U+E0000..U+E007F) before its
 * duplicate check, so the old U+E0000 suffix no longer makes a copy differ
 * (Chatterino/chatterino2 PR #6417, which moved Chatterino to U+034F for this reason).
 */
export const DUPLICATE_SUFFIX = ' \u034f';

/** What a message's content may use, keeping room for the duplicate suffix. */
export const CONTENT_BUDGET = MAX_MESSAGE_LENGTH - DUPLICATE_SUFFIX.length;

// C0, DEL and C1 controls. CR and LF in particular would end the IRC line and let the rest
// of the text run as a command of its own.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** Put before a message that would otherwise start with a command character. */
const COMMAND_GUARD = '\u200b';

/** Text made safe to send: controls become spaces, runs of spaces collapse. */
export function sanitizeOutgoing(text: string): string {
  return guardCommand(text.replace(CONTROLS, ' ').replace(/ {2,}/g, ' ').trim());
}

/**
 * Twitch reads a message starting with "/" or "." (after spaces) as a chat command
 * ("/me", ".ban"): text the bot sends is never one, so such a message gets an invisible
 * character in front. Applies to every single message, since any part of a split text can
 * start with a word of user text.
 */
export function guardCommand(text: string): string {
  const start = text.trimStart();
  return /^[./\\]/.test(start) ? `${COMMAND_GUARD}${start}` : text;
}

/**
 * A text as the messages to send: sanitized, split to fit (room kept for the guard), and
 * each part guarded on its own.
 */
export function outgoingMessages(text: string, max = CONTENT_BUDGET): string[] {
  return splitMessage(sanitizeOutgoing(text), max - COMMAND_GUARD.length).map(guardCommand);
}

/** Cuts to `max` UTF-16 units without splitting a surrogate pair, ending with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length > max - 1) break;
    out += ch;
  }
  return `${out.trimEnd()}\u2026`;
}

/** Splits text into messages of at most `max` units, at spaces where it can. */
export function splitMessage(text: string, max = CONTENT_BUDGET): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    let cut = rest.lastIndexOf(' ', max);
    if (cut < max / 2) {
      // One long word: cut it, but never between the halves of a surrogate pair.
      cut = max;
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    }
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}
