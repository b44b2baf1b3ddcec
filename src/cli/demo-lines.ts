/**
 * What one line typed into the demo means. Pure, so it is unit-tested on its own.
 *   !clip nice            a viewer (login "viewer") says it in Twitch chat
 *   alice: !clip          viewer alice says it
 *   mod: / streamer: / sub: / vip:   say it with that role
 *   discord: /clip title:"what a play" duration:20      a Discord slash command
 *   discord-admin: /clipbot link twitch_channel:demo_streamer    ... with Manage Server
 *   /offline /online /clips disabled|followers|subscribers|enabled /slow MS /never /wait /sleep MS
 *   /help /quit
 */
export type ChatRoleName = 'viewer' | 'subscriber' | 'vip' | 'moderator' | 'broadcaster';

export type DemoAction =
  | { kind: 'chat'; login: string; role: ChatRoleName; text: string }
  | {
      kind: 'discord';
      admin: boolean;
      name: string;
      subcommand?: string;
      options: Record<string, string | number>;
    }
  | { kind: 'live'; live: boolean }
  | { kind: 'clips'; policy: 'enabled' | 'disabled' | 'followers' | 'subscribers' }
  | { kind: 'visibility'; afterMs: number | 'never' }
  | { kind: 'wait' }
  | { kind: 'sleep'; ms: number }
  | { kind: 'help' }
  | { kind: 'quit' }
  | { kind: 'empty' }
  | { kind: 'error'; message: string };

const ROLE_PREFIXES: Record<string, { login: string; role: ChatRoleName }> = {
  mod: { login: 'mod_mia', role: 'moderator' },
  streamer: { login: '', role: 'broadcaster' },
  sub: { login: 'sub_sam', role: 'subscriber' },
  vip: { login: 'vip_val', role: 'vip' },
};

/** The bot's own slash commands, which a demo control must not quietly swallow. */
const BOT_COMMANDS = new Set(['clip', 'clips', 'clipbot', 'clipconfig', 'cliphelp', 'vod']);

/** `/clips top`, typed without `discord:`: the answer says how to send it to the bot. */
function botCommandHint(line: string, control: string): string {
  const own =
    control === 'clips'
      ? "/clips enabled|disabled|followers|subscribers is the demo control for the channel's clip setting on Twitch. "
      : '';
  return `${own}To use the bot's /${control} command, type it as a Discord member:  discord: ${line}`;
}

export function parseDemoLine(raw: string, broadcaster: string): DemoAction {
  const line = raw.trim();
  if (line === '' || line.startsWith('#')) return { kind: 'empty' };

  if (line.startsWith('/')) {
    const [cmd = '', arg = ''] = line.slice(1).split(/\s+/);
    switch (cmd.toLowerCase()) {
      case 'offline':
        return { kind: 'live', live: false };
      case 'online':
        return { kind: 'live', live: true };
      case 'clips': {
        const policy = arg.toLowerCase();
        if (
          policy === 'enabled' ||
          policy === 'disabled' ||
          policy === 'followers' ||
          policy === 'subscribers'
        ) {
          return { kind: 'clips', policy };
        }
        return { kind: 'error', message: botCommandHint(line, 'clips') };
      }
      case 'slow': {
        const ms = Number(arg);
        if (!Number.isInteger(ms) || ms < 0 || ms > 600_000) {
          return { kind: 'error', message: 'usage: /slow MS (how long new clips take to appear)' };
        }
        return { kind: 'visibility', afterMs: ms };
      }
      case 'never':
        return { kind: 'visibility', afterMs: 'never' };
      case 'wait':
        return { kind: 'wait' };
      case 'sleep': {
        const ms = Number(arg);
        if (!Number.isInteger(ms) || ms < 0 || ms > 60_000) {
          return { kind: 'error', message: 'usage: /sleep MS (at most 60000)' };
        }
        return { kind: 'sleep', ms };
      }
      case 'help':
        return { kind: 'help' };
      case 'quit':
      case 'exit':
        return { kind: 'quit' };
      default:
        if (BOT_COMMANDS.has(cmd.toLowerCase())) {
          return { kind: 'error', message: botCommandHint(line, cmd.toLowerCase()) };
        }
        return { kind: 'error', message: `unknown demo control /${cmd} (try /help)` };
    }
  }

  const speaker = /^([a-z0-9_-]{2,25}):\s*(.*)$/i.exec(line);
  if (speaker) {
    const who = (speaker[1] ?? '').toLowerCase();
    const text = speaker[2] ?? '';
    if (who === 'discord' || who === 'discord-admin')
      return parseDiscord(text, who === 'discord-admin');
    const preset = ROLE_PREFIXES[who];
    if (preset)
      return { kind: 'chat', login: preset.login || broadcaster, role: preset.role, text };
    if (/^[a-z0-9_]{2,25}$/.test(who)) return { kind: 'chat', login: who, role: 'viewer', text };
  }
  return { kind: 'chat', login: 'viewer', role: 'viewer', text: line };
}

function parseDiscord(text: string, admin: boolean): DemoAction {
  const m = /^\/([a-z0-9_-]+)(.*)$/i.exec(text.trim());
  if (!m) return { kind: 'error', message: 'usage: discord: /clip title:"..." duration:20' };
  const name = (m[1] ?? '').toLowerCase();
  let rest = (m[2] ?? '').trim();
  let subcommand: string | undefined;
  const sub = /^([a-z][a-z0-9_-]*)(?=\s|$)(?!:)/i.exec(rest);
  if (sub && !rest.startsWith(`${sub[1]}:`)) {
    subcommand = (sub[1] ?? '').toLowerCase();
    rest = rest.slice(sub[0].length).trim();
  }
  const options: Record<string, string | number> = {};
  const re = /([a-z0-9_]+):(?:"([^"]*)"|(\S+))/gi;
  for (const o of rest.matchAll(re)) {
    const key = (o[1] ?? '').toLowerCase();
    const value = o[2] ?? o[3] ?? '';
    options[key] = o[2] === undefined && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  }
  return { kind: 'discord', admin, name, subcommand, options };
}

export const DEMO_HELP = `Type chat lines as a viewer, e.g.  !clip what a play
  alice: !clip          speak as viewer "alice" (any name)
  mod: !clipconfig      speak as a moderator    streamer: ...  as the broadcaster
  sub: ... / vip: ...   as a subscriber / VIP
  discord: /clip title:"nice" duration:20       a Discord slash command (also /clips top)
  discord-admin: /clipbot link twitch_channel:demo_second   ... as a member with Manage
                        Server (/clipbot needs it); demo_second is a second live channel
Demo controls:
  /offline /online      take the stream offline or live
  /clips disabled|followers|subscribers|enabled   the channel's clip setting on Twitch
  /slow MS, /never      how long new clips take to appear (or never)
  /wait                 wait until every answer has arrived
  /sleep MS             pause (scripts); requests within a few seconds of a clip join it
  /help /quit`;
