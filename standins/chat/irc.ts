/** Just enough IRCv3 to read what tmi.js sends and to write what Twitch sends back. */

export interface IrcLine {
  tags: Record<string, string>;
  prefix?: string;
  command: string;
  params: string[];
}

const TAG_ESCAPES: Record<string, string> = {
  ';': '\\:',
  ' ': '\\s',
  '\\': '\\\\',
  '\r': '\\r',
  '\n': '\\n',
};
const TAG_UNESCAPES: Record<string, string> = { ':': ';', s: ' ', '\\': '\\', r: '\r', n: '\n' };

export function escapeTagValue(value: string): string {
  return value.replace(/[; \\\r\n]/g, (c) => TAG_ESCAPES[c] ?? c);
}

export function unescapeTagValue(value: string): string {
  return value.replace(/\\(.?)/g, (_m, c: string) => TAG_UNESCAPES[c] ?? c);
}

/** Parses one line (no CRLF). Returns undefined for a line that is not IRC. */
export function parseLine(raw: string): IrcLine | undefined {
  let rest = raw;
  const tags: Record<string, string> = {};
  if (rest.startsWith('@')) {
    const space = rest.indexOf(' ');
    if (space === -1) return undefined;
    for (const pair of rest.slice(1, space).split(';')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      if (eq === -1) tags[pair] = '';
      else tags[pair.slice(0, eq)] = unescapeTagValue(pair.slice(eq + 1));
    }
    rest = rest.slice(space + 1).trimStart();
  }
  let prefix: string | undefined;
  if (rest.startsWith(':')) {
    const space = rest.indexOf(' ');
    if (space === -1) return undefined;
    prefix = rest.slice(1, space);
    rest = rest.slice(space + 1).trimStart();
  }
  const params: string[] = [];
  const firstSpace = rest.indexOf(' ');
  const command = (firstSpace === -1 ? rest : rest.slice(0, firstSpace)).toUpperCase();
  if (command === '') return undefined;
  rest = firstSpace === -1 ? '' : rest.slice(firstSpace + 1);
  while (rest.length > 0) {
    if (rest.startsWith(':')) {
      params.push(rest.slice(1));
      break;
    }
    const space = rest.indexOf(' ');
    if (space === -1) {
      params.push(rest);
      break;
    }
    if (space > 0) params.push(rest.slice(0, space));
    rest = rest.slice(space + 1);
  }
  return prefix === undefined ? { tags, command, params } : { tags, prefix, command, params };
}

/**
 * Formats a line the way Twitch does. `trailing` becomes the last parameter with a colon.
 * Tag order is kept as given (Twitch sends them sorted; the callers pass them sorted).
 */
export function formatLine(parts: {
  tags?: Record<string, string | undefined>;
  prefix?: string;
  command: string;
  params?: string[];
  trailing?: string;
}): string {
  let out = '';
  if (parts.tags) {
    const pairs = Object.entries(parts.tags)
      .filter((e): e is [string, string] => e[1] !== undefined)
      .map(([k, v]) => `${k}=${escapeTagValue(v)}`);
    if (pairs.length > 0) out += `@${pairs.join(';')} `;
  }
  if (parts.prefix) out += `:${parts.prefix} `;
  out += parts.command;
  if (parts.params && parts.params.length > 0) out += ` ${parts.params.join(' ')}`;
  // CR and LF would end the line early: a chat message cannot carry them.
  if (parts.trailing !== undefined) out += ` :${parts.trailing.replace(/[\r\n]/g, ' ')}`;
  return out;
}

/** "#Foo" -> "foo". */
export function channelLogin(channel: string): string {
  return channel.replace(/^#/, '').toLowerCase();
}

export function userPrefix(login: string): string {
  return `${login}!${login}@${login}.tmi.twitch.tv`;
}
