import { describe, expect, it } from 'vitest';
import { allCommands } from '../../commands/index.js';
import { UserError, type CommandDefinition } from '../../src/core/command.js';
import {
  ChatCommandIndex,
  cleanText,
  parseChatCommand,
  usageLine,
} from '../../src/core/chat-syntax.js';

const index = new ChatCommandIndex(allCommands());
const parse = (text: string) => parseChatCommand(text, index, '!');

function userError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error('expected a UserError');
}

describe('chat syntax: !clip', () => {
  it('takes a leading number as the duration and the rest as the title', () => {
    expect(parse('clip 45 what a   play')).toEqual({
      command: 'clip',
      options: { duration: 45, title: 'what a play' },
    });
  });

  it('skips the optional duration when the first word is not a number', () => {
    expect(parse('clip what a play 45')).toEqual({
      command: 'clip',
      options: { title: 'what a play 45' },
    });
    expect(parse('clip')).toEqual({ command: 'clip', options: {} });
    expect(parse('Clip 30s')).toEqual({ command: 'clip', options: { duration: 30 } });
  });

  it('refuses a duration out of range and a decimal is just title text', () => {
    expect(userError(() => parse('clip 99 late'))).toBe('duration must be between 5 and 60.');
    expect(userError(() => parse('clip -4'))).toBe('duration must be between 5 and 60.');
    expect(parse('clip 4.5 x')).toEqual({ command: 'clip', options: { title: '4.5 x' } });
  });

  it('reads a leading number as the duration only when it could mean seconds', () => {
    expect(parse('clip 2024 was the year')).toEqual({
      command: 'clip',
      options: { title: '2024 was the year' },
    });
    expect(parse('clip 1000000 subs')).toEqual({
      command: 'clip',
      options: { title: '1000000 subs' },
    });
    expect(parse('clip 181')).toEqual({ command: 'clip', options: { title: '181' } });
    expect(parse('clip 45s what a play')).toEqual({
      command: 'clip',
      options: { duration: 45, title: 'what a play' },
    });
    expect(parse('clip 60')).toEqual({ command: 'clip', options: { duration: 60 } });
    // Plausible seconds out of range still hear the allowed range, as does any "<n>s".
    expect(userError(() => parse('clip 90'))).toBe('duration must be between 5 and 60.');
    expect(userError(() => parse('clip 180 x'))).toBe('duration must be between 5 and 60.');
    expect(userError(() => parse('clip 0'))).toBe('duration must be between 5 and 60.');
    expect(userError(() => parse('clip 2024s'))).toBe('duration must be between 5 and 60.');
    expect(parse('clip -2m 2024 recap')).toEqual({
      command: 'clip',
      options: { ago: '-2m', title: '2024 recap' },
    });
  });

  it('ignores the Discord-only channel option in chat', () => {
    expect(parse('clip somechannel')).toEqual({
      command: 'clip',
      options: { title: 'somechannel' },
    });
  });

  it('returns undefined for words that are not our commands', () => {
    expect(parse('uptime')).toBeUndefined();
    expect(parse('')).toBeUndefined();
    expect(parse('   ')).toBeUndefined();
  });
});

describe('chat syntax: subcommands and choices', () => {
  it('parses !clipconfig forms', () => {
    expect(parse('clipconfig')).toEqual({ command: 'clipconfig', subcommand: 'show', options: {} });
    expect(parse('clipconfig cooldown user 30')).toEqual({
      command: 'clipconfig',
      subcommand: 'cooldown',
      options: { target: 'user', seconds: 30 },
    });
    expect(parse('CLIPCONFIG Who SUBS')?.options).toEqual({ level: 'subscriber' });
    expect(parse('clipconfig who mod')?.options).toEqual({ level: 'moderator' });
    expect(parse('clipconfig duration 20 10')?.options).toEqual({ default: 20, min: 10 });
    expect(parse('clipconfig title {title} (by {user})')?.options).toEqual({
      template: '{title} (by {user})',
    });
  });

  it('explains mistakes with a short usage line', () => {
    expect(userError(() => parse('clipconfig bogus'))).toBe(
      'Usage: !clipconfig [show|on|off|who|cooldown|duration|title|delay|auto]',
    );
    expect(userError(() => parse('clipconfig who admins'))).toBe(
      'level must be one of everyone, subscribers, vips, mods.',
    );
    expect(userError(() => parse('clipconfig cooldown user abc'))).toBe(
      'Usage: !clipconfig cooldown <channel|user> <seconds>',
    );
    expect(userError(() => parse('clipconfig cooldown user'))).toBe(
      'Usage: !clipconfig cooldown <channel|user> <seconds> (seconds is missing)',
    );
    expect(userError(() => parse('clipconfig cooldown user 30 40'))).toMatch(/^Usage: /);
    expect(userError(() => parse('clipconfig delay 999'))).toBe(
      'seconds must be between 0 and 60.',
    );
  });

  it('uses the chat default subcommand for !clips', () => {
    expect(parse('clips')).toEqual({ command: 'clips', subcommand: 'top', options: {} });
    expect(parse('clips month')).toEqual({
      command: 'clips',
      subcommand: 'top',
      options: { period: 'month' },
    });
    expect(parse('clips top all')?.options).toEqual({ period: 'all' });
    expect(userError(() => parse('clips yearly'))).toBe(
      'period must be one of day, week, month, all.',
    );
  });
});

describe('chat syntax: hostile input', () => {
  it('survives a 10,000-character line quickly and answers briefly', () => {
    const started = performance.now();
    const message = userError(() => parse(`clip ${'a'.repeat(10_000)}`));
    expect(message).toBe('title is too long (at most 100 characters).');
    expect(userError(() => parse(`clipconfig who ${'x'.repeat(10_000)}`)).length).toBeLessThan(100);
    // Backtracking on 10,000 characters would take seconds; the bound leaves room for a busy
    // machine.
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('strips control and invisible characters, keeping words apart', () => {
    expect(parse('clip\u0000 45\tnice\u0085 play\u200b \u{E0000}')).toEqual({
      command: 'clip',
      options: { duration: 45, title: 'nice play' },
    });
    expect(parse('clip\r\nPRIVMSG #x :hi')?.options).toEqual({ title: 'PRIVMSG #x :hi' });
    expect(cleanText('a\u0007b\u202ec \u034f', 500)).toBe('a bc');
  });

  it('parses commands that chat clients sent with a duplicate-dodging suffix', () => {
    // Chatterino appends " \u034f" (formerly " \u{E0000}") to a message identical to the
    // previous one (Chatterino/chatterino2 PR #6417); the command must read the same.
    for (const suffix of [' \u034f', '\u034f', ' \u{E0000}', '\u{E0000}', ' \u{E0000}\u034f']) {
      expect(parse(`clips${suffix}`)).toEqual(parse('clips'));
      expect(parse(`clip 45 what a play${suffix}`)).toEqual({
        command: 'clip',
        options: { duration: 45, title: 'what a play' },
      });
    }
  });

  it('caps length on whole code points', () => {
    const out = cleanText('😀'.repeat(600), 500);
    expect(Array.from(out)).toHaveLength(500);
    expect(out.endsWith('😀')).toBe(true);
  });
});

describe('chat syntax: aliases and patterns', () => {
  const noop = async () => undefined;
  const defs: CommandDefinition[] = [
    {
      name: 'rewind',
      description: 'clip the past',
      usage: 'rewind [-2m] [title]',
      permission: 'everyone',
      chatAliases: ['rw', 'clip'],
      options: [
        { name: 'ago', description: 'ago', type: 'string', chatPattern: /^-\d+[sm]$/ },
        { name: 'seconds', description: 's', type: 'integer', min: 5, max: 60 },
        { name: 'title', description: 't', type: 'string', rest: true },
      ],
      execute: noop,
    },
    {
      name: 'library',
      description: 'lib',
      usage: 'library',
      permission: 'everyone',
      subcommands: [
        {
          name: 'info',
          description: 'info',
          chatAliases: ['clipinfo'],
          options: [{ name: 'id', description: 'id', type: 'string', required: true }],
        },
        { name: 'top', description: 'top' },
      ],
      execute: noop,
    },
    { name: 'clip', description: 'real', usage: 'clip', permission: 'everyone', execute: noop },
  ];
  const idx = new ChatCommandIndex(defs);

  it('lets a chatPattern gate a token and falls through when it does not match', () => {
    expect(parseChatCommand('rw -2m 20 oops', idx)).toEqual({
      command: 'rewind',
      options: { ago: '-2m', seconds: 20, title: 'oops' },
    });
    expect(parseChatCommand('rewind 2m oops', idx)?.options).toEqual({ title: '2m oops' });
  });

  it('maps a subcommand alias straight to the subcommand; a name beats an alias', () => {
    expect(parseChatCommand('clipinfo AbcDef', idx)).toEqual({
      command: 'library',
      subcommand: 'info',
      options: { id: 'AbcDef' },
    });
    expect(parseChatCommand('clip', idx)?.command).toBe('clip');
    expect(() => parseChatCommand('library', idx)).toThrow('Usage: !library <info|top>');
  });

  it('derives usage lines from the definition', () => {
    const [rewind] = defs;
    expect(usageLine(rewind!, undefined, 'twitch', '!')).toBe('!rewind [ago] [seconds] [title]');
  });
});
