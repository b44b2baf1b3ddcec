import { describe, expect, it } from 'vitest';
import { parseDemoLine } from '../../src/cli/demo-lines.js';

describe('parseDemoLine', () => {
  it('speaks as the default viewer, a named viewer, or a role', () => {
    expect(parseDemoLine('!clip what a play', 'chan')).toEqual({
      kind: 'chat',
      login: 'viewer',
      role: 'viewer',
      text: '!clip what a play',
    });
    expect(parseDemoLine('Alice: !clip', 'chan')).toMatchObject({
      login: 'alice',
      role: 'viewer',
      text: '!clip',
    });
    expect(parseDemoLine('mod: !clipconfig off', 'chan')).toMatchObject({
      role: 'moderator',
      text: '!clipconfig off',
    });
    expect(parseDemoLine('streamer: !clipconfig on', 'chan')).toMatchObject({
      login: 'chan',
      role: 'broadcaster',
    });
    expect(parseDemoLine('sub: hi', 'chan')).toMatchObject({ role: 'subscriber' });
    expect(parseDemoLine('vip: hi', 'chan')).toMatchObject({ role: 'vip' });
  });

  it('parses Discord slash commands with subcommands, quoted and numeric options', () => {
    expect(parseDemoLine('discord: /clip title:"what a play" duration:20', 'c')).toEqual({
      kind: 'discord',
      admin: false,
      name: 'clip',
      subcommand: undefined,
      options: { title: 'what a play', duration: 20 },
    });
    expect(parseDemoLine('discord-admin: /clipbot link twitch_channel:foo', 'c')).toEqual({
      kind: 'discord',
      admin: true,
      name: 'clipbot',
      subcommand: 'link',
      options: { twitch_channel: 'foo' },
    });
    expect(parseDemoLine('discord: clip', 'c').kind).toBe('error');
  });

  it('knows the demo controls and rejects malformed ones', () => {
    expect(parseDemoLine('/offline', 'c')).toEqual({ kind: 'live', live: false });
    expect(parseDemoLine('/online', 'c')).toEqual({ kind: 'live', live: true });
    expect(parseDemoLine('/clips followers', 'c')).toEqual({ kind: 'clips', policy: 'followers' });
    expect(parseDemoLine('/clips maybe', 'c').kind).toBe('error');
    // The bot's own commands typed without `discord:` are pointed there, not refused as usage.
    expect(parseDemoLine('/clips top week', 'c')).toEqual({
      kind: 'error',
      message: expect.stringContaining('discord: /clips top week') as string,
    });
    expect(parseDemoLine('/clipbot link twitch_channel:x', 'c')).toEqual({
      kind: 'error',
      message: expect.stringContaining('discord: /clipbot link twitch_channel:x') as string,
    });
    expect(parseDemoLine('/slow 2500', 'c')).toEqual({ kind: 'visibility', afterMs: 2500 });
    expect(parseDemoLine('/slow soon', 'c').kind).toBe('error');
    expect(parseDemoLine('/never', 'c')).toEqual({ kind: 'visibility', afterMs: 'never' });
    expect(parseDemoLine('/sleep 500', 'c')).toEqual({ kind: 'sleep', ms: 500 });
    expect(parseDemoLine('/quit', 'c')).toEqual({ kind: 'quit' });
    expect(parseDemoLine('/bogus', 'c').kind).toBe('error');
    expect(parseDemoLine('   ', 'c')).toEqual({ kind: 'empty' });
    expect(parseDemoLine('# a comment', 'c')).toEqual({ kind: 'empty' });
  });
});
