import { hashAsciiLower, hashString } from './hash.js';
import {
  CHEER_DIGITS,
  CLIP_MENTION,
  READ_CHARS,
  WORD_CHARS,
  allDigitsIn,
  isDigit,
  fewWords,
  isAsciiAlnum,
  isVoteOrCommand,
  mayMentionClip,
  isNotReaction,
  sameDigitRunAt,
  wordToken,
} from './tokens.js';

/** A token's name by its hash. */
export interface TokenNames {
  emote(hash: number): string;
  word(hash: number): string;
}

/**
 * What one message contributes (the rules are in tokens.ts), kept as hashes and positions
 * in a scan object that is reused line after line: reading a line allocates nothing.
 */
export class MessageScan {
  /** A command (`!enter`) or a bare vote (`1`, `2`, `a`): not chat. */
  command = false;
  clipMention = false;
  /** The text read (a prefix, trimmed): words are positions in it. */
  head = '';
  /** Entries [0, emoteCount) and [0, wordCount) are this line's; the rest are stale. */
  emoteCount = 0;
  wordCount = 0;
  readonly emoteNames: string[] = [];
  readonly emoteHashes: number[] = [];
  readonly wordHashes: number[] = [];
  readonly wordFrom: number[] = [];
  readonly wordTo: number[] = [];
  /** A word read the slow way (not all ASCII): its token; '' for the others. */
  readonly wordSlow: string[] = [];

  /**
   * Where the names come from when the line was read earlier and only its hashes were kept
   * (LineBatch): names are asked for only of tokens a detector has not seen.
   */
  names: TokenNames | undefined;

  emoteName(i: number): string {
    if (this.names) return this.names.emote(this.emoteHashes[i] ?? 0);
    return this.emoteNames[i] ?? '';
  }

  /** Word `i` as a token: sliced and lowercased only when asked (a token seen first). */
  wordName(i: number): string {
    if (this.names) return this.names.word(this.wordHashes[i] ?? 0);
    const slow = this.wordSlow[i];
    if (slow) return slow;
    return this.head.slice(this.wordFrom[i], this.wordTo[i]).toLowerCase();
  }

  reset(head: string): void {
    this.names = undefined;
    this.command = false;
    this.clipMention = false;
    this.head = head;
    this.emoteCount = 0;
    this.wordCount = 0;
  }

  hasEmote(name: string): boolean {
    for (let i = 0; i < this.emoteCount; i++) if (this.emoteNames[i] === name) return true;
    return false;
  }

  addEmote(name: string): void {
    this.emoteNames[this.emoteCount] = name;
    this.emoteHashes[this.emoteCount] = hashString(name);
    this.emoteCount += 1;
  }

  /** Adds a word's token unless the line had it already; `slow` is its name if not ASCII. */
  addWord(hash: number, from: number, to: number, slow: string): void {
    for (let i = 0; i < this.wordCount; i++) if (this.wordHashes[i] === hash) return;
    const i = this.wordCount;
    this.wordHashes[i] = hash;
    this.wordFrom[i] = from;
    this.wordTo[i] = to;
    this.wordSlow[i] = slow;
    this.wordCount += 1;
  }
}

/** Reads `text` (and the names of its emotes) into `out`; the rules are readMessage's. */
export function scanMessage(
  text: string,
  emotes: readonly string[] | undefined,
  maxTokens: number,
  out: MessageScan,
): MessageScan {
  const head = (text.length > READ_CHARS ? text.slice(0, READ_CHARS) : text).trim();
  out.reset(head);
  if (head === '' && !emotes?.length) return out;
  if (head !== '' && isVoteOrCommand(head)) {
    out.command = true;
    return out;
  }
  const emoteList = emotes?.length ? emotes : undefined;
  if (emoteList) {
    for (const name of emoteList) {
      if (out.emoteCount >= maxTokens) break;
      if (!out.hasEmote(name)) out.addEmote(name);
    }
  }
  // A reaction is a few words; a longer line is conversation, and only its emotes count.
  if (out.emoteCount < maxTokens && fewWords(head)) {
    for (let from = 0; from < head.length;) {
      let to = head.indexOf(' ', from);
      if (to === -1) to = head.length;
      if (out.emoteCount + out.wordCount >= maxTokens) break;
      if (to > from && !isEmoteAt(emoteList, head, from, to)) readWord(head, from, to, out);
      from = to + 1;
    }
  }
  // The Unicode regex runs only on the few lines that contain the letters at all.
  out.clipMention = mayMentionClip(head) && CLIP_MENTION.test(head);
  return out;
}

/** The word head[from, to) is one of the line's emotes, as typed. */
function isEmoteAt(
  emotes: readonly string[] | undefined,
  head: string,
  from: number,
  to: number,
): boolean {
  if (!emotes) return false;
  for (const name of emotes)
    if (name.length === to - from && head.startsWith(name, from)) return true;
  return false;
}

/** One word of the line: its token's hash added (once), as wordToken would make it. */
function readWord(head: string, from: number, to: number, out: MessageScan): void {
  let first = -1;
  let last = -1;
  for (let i = from; i < to; i++) {
    const c = head.charCodeAt(i);
    if (c >= 128) return readSlowWord(head.slice(from, to), out);
    if (isAsciiAlnum(c)) {
      if (first === -1) first = i;
      last = i;
    }
  }
  if (first === -1) return;
  let end = last + 1;
  const length = end - first;
  if (length < WORD_CHARS.min || length > WORD_CHARS.max) return;
  let hash: number;
  if (isDigit(head.charCodeAt(first)) && allDigitsIn(head, first, end)) {
    // "7777" and "77777" are one cheer ("777"); other numbers are votes, scores and times.
    if (!sameDigitRunAt(head, first, end)) return;
    end = first + CHEER_DIGITS;
    hash = hashAsciiLower(head, first, end);
  } else {
    hash = hashAsciiLower(head, first, end);
    if (isNotReaction(hash, head, first, end)) return;
  }
  out.addWord(hash, first, end, '');
}

function readSlowWord(raw: string, out: MessageScan): void {
  const token = wordToken(raw);
  if (token === undefined) return;
  out.addWord(hashString(token), 0, 0, token);
}

export interface MessageTokens {
  /** The message is a command (`!enter`) or a bare vote (`1`, `2`, `a`): it is not chat. */
  command: boolean;
  /** Someone asked for a clip in words. */
  clipMention: boolean;
  /** Distinct emote names, then distinct words (lowercased), together at most `maxTokens`. */
  emotes: string[];
  words: string[];
}

/** A message's tokens as names: scanMessage's reading, for tests and for people. */
export function readMessage(
  text: string,
  emotes: readonly string[] | undefined,
  maxTokens: number,
): MessageTokens {
  const scan = scanMessage(text, emotes, maxTokens, new MessageScan());
  return {
    command: scan.command,
    clipMention: scan.clipMention,
    emotes: scan.emoteNames.slice(0, scan.emoteCount),
    words: Array.from({ length: scan.wordCount }, (_, i) => scan.wordName(i)),
  };
}
