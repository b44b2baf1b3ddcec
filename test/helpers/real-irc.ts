import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The corpus of real Twitch IRC lines (test/fixtures/real-twitch/irc/lines.json): each line
 * as a public client library or chat client captured it, with where it came from.
 */
export interface RealLine {
  name: string;
  source: { repo: string; path: string; commit: string };
  line: string;
  /**
   * PRIVMSG only: what the bot makes of the chatter when the line carries a command: the
   * role it reads (Twitch's badges, Shared Chat's source-badges), or `ignored` (a Shared Chat
   * copy from another room, a line without user-id).
   */
  expect?: 'broadcaster' | 'moderator' | 'vip' | 'subscriber' | 'viewer' | 'ignored';
  note?: string;
}

export function realIrcLines(): RealLine[] {
  const path = fileURLToPath(new URL('../fixtures/real-twitch/irc/lines.json', import.meta.url));
  return JSON.parse(readFileSync(path, 'utf8')) as RealLine[];
}

/** The channel a line is about ("#pajlada" -> "pajlada"), if any. */
export function channelOf(line: string): string | undefined {
  return /^(?:@\S+ )?:\S+ [A-Z]+ #(\w+)/.exec(line)?.[1];
}

export const isPrivmsg = (e: RealLine): boolean => / PRIVMSG #\w+ :/.test(e.line);

/** Words of a cheer ("Cheer1", "showlove5000"), as the bits tag counts them. */
const CHEER_WORD = /^[A-Za-z][A-Za-z0-9]*?[1-9]\d*$/;

/**
 * The same line, every tag as Twitch sent it, carrying `command` instead of the chatter's
 * words, and the message id `id` (so a reply can be matched to it). A /me line stays a /me
 * line, a bits line keeps its cheer words around the command, a thread reply keeps the
 * "@parent" mention Twitch's web chat puts in front.
 */
export function withCommand(e: RealLine, command: string, id: string): string {
  const at = e.line.indexOf(' PRIVMSG #');
  const colon = e.line.indexOf(' :', at + 1);
  const head = e.line.slice(0, colon).replace(/(^@|;)id=[^; ]*/, `$1id=${id}`);
  let text = e.line.slice(colon + 2);
  // eslint-disable-next-line no-control-regex
  const action = /^\u0001ACTION (.*)\u0001$/.exec(text);
  if (action) text = action[1]!;
  const words = text.split(' ');
  let body = command;
  if (/[@;]bits=\d/.test(head)) {
    const cheers = words.filter((w) => CHEER_WORD.test(w));
    body = [cheers[0], command, ...cheers.slice(1)].filter(Boolean).join(' ');
  } else if (/[@;]reply-parent-msg-id=/.test(head) && words[0]?.startsWith('@')) {
    body = `${words[0]} ${command}`;
  }
  return `${head} :${action ? `\u0001ACTION ${body}\u0001` : body}`;
}
