import { asciiLower, hashString } from './hash.js';

/**
 * The words of chat, as the detector reads them: which are not a reaction, what is a vote
 * or a command, and a word's token. Pure. scan.ts reads a message with these rules.
 */

/** Words that are chat's grammar or greetings, not a reaction: never a moment's token. */
const NOT_REACTIONS = new Set([
  'a',
  'an',
  'the',
  'is',
  'it',
  'i',
  'im',
  "i'm",
  'to',
  'and',
  'or',
  'of',
  'in',
  'on',
  'at',
  'you',
  'he',
  'she',
  'we',
  'they',
  'this',
  'that',
  'so',
  'me',
  'my',
  'be',
  'do',
  'no',
  'yes',
  'was',
  'are',
  'for',
  'with',
  'what',
  'just',
  'not',
  // Greetings (raid arrivals, a streamer asking chat to say hi).
  'hi',
  'hello',
  'hey',
  'heya',
  'hii',
  'yo',
  'sup',
  'welcome',
  'raid',
  'raiders',
  'bye',
  'gn',
  'o7',
  'hai',
]);

/** "clip", "clip it", "clip that", "CLIPPP", "clipit", "clip this" (not "!clip": commands are out). */
export const CLIP_MENTION = /(?:^|[^\p{L}\p{N}!])clip+(?:s|ped|it|that|this)?(?![\p{L}\p{N}])/iu;

/** "clip" in any ASCII case somewhere in `s` (what /clip/i finds, without a regex call). */
export function mayMentionClip(s: string): boolean {
  // x | 32 folds ASCII upper case to lower; of all code units only 'C' and 'c' give 'c'.
  for (let i = 0; i + 4 <= s.length; i++)
    if (
      (s.charCodeAt(i) | 32) === 99 &&
      (s.charCodeAt(i + 1) | 32) === 108 &&
      (s.charCodeAt(i + 2) | 32) === 105 &&
      (s.charCodeAt(i + 3) | 32) === 112
    )
      return true;
  return false;
}

/** Lines of more words than this are conversation: their words are not a reaction's tokens. */
const REACTION_WORDS = 5;

/** Only this much of a message is read: a reaction is short, a wall of text is not one. */
export const READ_CHARS = 200;

/** Short votes and commands: a poll or a giveaway makes everyone type the same one. */
export function isVoteOrCommand(text: string): boolean {
  const c = text.charCodeAt(0);
  // '!' and '/' start commands; '+1', '-1' vote.
  if (c === 33 || c === 47) return true;
  if (text.length <= 2) return true;
  if (sameDigitRun(text)) return false;
  return allDigits(c === 43 || c === 45 ? text.slice(1) : text);
}

/** A word as a token: lowercased, edge punctuation off; undefined when it is not one. */
export function wordToken(raw: string): string | undefined {
  // Trailing "!!!" / "?" / "," belong to the sentence, not the word. Plain ASCII letters at
  // both ends (nearly every word) skip the Unicode regex.
  const w =
    isAsciiAlnum(raw.charCodeAt(0)) && isAsciiAlnum(raw.charCodeAt(raw.length - 1))
      ? raw
      : raw.replace(EDGE_PUNCTUATION, '');
  if (w.length < WORD_CHARS.min || w.length > WORD_CHARS.max) return undefined;
  const lower = w.toLowerCase();
  if (NOT_REACTIONS.has(lower)) return undefined;
  // "7777" and "77777" are one cheer; other numbers are votes, scores and times.
  if (allDigits(lower)) return sameDigitRun(lower) ? lower.slice(0, CHEER_DIGITS) : undefined;
  return lower;
}

const EDGE_PUNCTUATION = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;

/** A token's length in code units, edge punctuation off: shorter or longer is not a word. */
export const WORD_CHARS = { min: 2, max: 25 } as const;

export function isAsciiAlnum(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** At most REACTION_WORDS words (spaces are single: the text is cleaned chat). */
export function fewWords(text: string): boolean {
  let spaces = 0;
  for (let at = text.indexOf(' '); at !== -1; at = text.indexOf(' ', at + 1))
    if (++spaces >= REACTION_WORDS) return false;
  return true;
}

/**
 * Three or more of one digit: a cheer in Chinese-speaking chats ("666" skilled, "777"
 * and "8888" hype and applause), not a vote: polls and giveaways ask for "1", "2" or a
 * short number. (The one Chinese-language chat log with marked highlights we found, named
 * in bench/README.md, cheers with "7777" throughout.)
 */
function sameDigitRun(s: string): boolean {
  return sameDigitRunAt(s, 0, s.length);
}

function allDigits(s: string): boolean {
  return s.length > 0 && allDigitsIn(s, 0, s.length);
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** s[from, to) is all ASCII digits. */
export function allDigitsIn(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}

/** s[from, to) (all ASCII) is one of NOT_REACTIONS, in any case; `hash` its lowercase hash. */
export function isNotReaction(hash: number, s: string, from: number, to: number): boolean {
  const word = NOT_REACTION_HASHES.get(hash);
  if (word === undefined || word.length !== to - from) return false;
  for (let i = 0; i < word.length; i++)
    if (asciiLower(s.charCodeAt(from + i)) !== word.charCodeAt(i)) return false;
  return true;
}

const NOT_REACTION_HASHES = new Map([...NOT_REACTIONS].map((w) => [hashString(w), w]));

/** A run of one digit this long or longer is a cheer, and this much of it is its token. */
export const CHEER_DIGITS = 3;

/** s[from, to) is CHEER_DIGITS or more of one digit. */
export function sameDigitRunAt(s: string, from: number, to: number): boolean {
  if (to - from < CHEER_DIGITS) return false;
  const first = s.charCodeAt(from);
  if (!isDigit(first)) return false;
  for (let i = from + 1; i < to; i++) if (s.charCodeAt(i) !== first) return false;
  return true;
}
