/**
 * What a message contributes to the detector, read in one pass over at most a short prefix
 * of its text. Pure.
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
const CLIP_MENTION = /(?:^|[^\p{L}\p{N}!])clip+(?:s|ped|it|that|this)?(?![\p{L}\p{N}])/iu;

/** Only this much of a message is read: a reaction is short, a wall of text is not one. */
const READ_CHARS = 200;

export interface MessageTokens {
  /** The message is a command (`!enter`) or a bare vote (`1`, `2`, `a`): it is not chat. */
  command: boolean;
  /** Someone asked for a clip in words. */
  clipMention: boolean;
  /** Distinct tokens, emotes first, each prefixed `e:` (emote) or `w:` (word). */
  tokens: string[];
}

const NONE: MessageTokens = { command: true, clipMention: false, tokens: [] };

/** Short votes and commands: a poll or a giveaway makes everyone type the same one. */
function isVoteOrCommand(text: string): boolean {
  const c = text.charCodeAt(0);
  // '!' and '/' start commands; '+1', '-1' vote.
  if (c === 33 || c === 47) return true;
  return text.length <= 2 || /^[+-]?\d+$/.test(text);
}

/** A word as a token: lowercased, edge punctuation off; undefined when it is not one. */
function wordToken(raw: string): string | undefined {
  let w = raw;
  // Trailing "!!!" / "?" / "," belong to the sentence, not the word.
  w = w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
  if (w.length < 2 || w.length > 25) return undefined;
  const lower = w.toLowerCase();
  if (NOT_REACTIONS.has(lower) || /^\d+$/.test(lower)) return undefined;
  return lower;
}

export function readMessage(
  text: string,
  emotes: readonly string[] | undefined,
  maxTokens: number,
): MessageTokens {
  const head = (text.length > READ_CHARS ? text.slice(0, READ_CHARS) : text).trim();
  if (head === '' && !emotes?.length) return { command: false, clipMention: false, tokens: [] };
  if (head !== '' && isVoteOrCommand(head)) return NONE;
  const tokens: string[] = [];
  const emoteNames = emotes?.length ? new Set(emotes) : undefined;
  if (emoteNames) {
    for (const name of emoteNames) {
      if (tokens.length >= maxTokens) break;
      tokens.push(`e:${name}`);
    }
  }
  for (const raw of head.split(' ')) {
    if (tokens.length >= maxTokens) break;
    if (raw === '' || emoteNames?.has(raw)) continue;
    const w = wordToken(raw);
    if (w === undefined) continue;
    const token = `w:${w}`;
    if (!tokens.includes(token)) tokens.push(token);
  }
  return { command: false, clipMention: CLIP_MENTION.test(head), tokens };
}
