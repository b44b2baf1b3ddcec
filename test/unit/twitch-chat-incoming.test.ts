import { describe, expect, it } from 'vitest';
import {
  commandText,
  toIncomingCommand,
  type MessageTags,
} from '../../src/chat/twitch/incoming.js';

describe('commandText', () => {
  it('takes the text after the prefix', () => {
    expect(commandText('!clip 45 what a play', '!', false)).toBe('clip 45 what a play');
    expect(commandText('  !clip', '!', false)).toBe('clip');
    expect(commandText('?clip', '?', false)).toBe('clip');
  });

  it('is undefined for a line that is not a command', () => {
    expect(commandText('hello !clip', '!', false)).toBeUndefined();
    expect(commandText('! clip', '!', false)).toBeUndefined();
    expect(commandText('!', '!', false)).toBeUndefined();
    expect(commandText('!clip', '?', false)).toBeUndefined();
  });

  it('drops the "@parent" mention of a thread reply', () => {
    expect(commandText('@SomeOne !clip', '!', true)).toBe('clip');
    expect(commandText('@SomeOne !clip', '!', false)).toBeUndefined();
  });

  it('cleans controls and caps the length', () => {
    expect(commandText('!clip a\u0000b\tc\u009f', '!', false)).toBe('clip a b c');
    expect(commandText(`!clip ${'x'.repeat(10_000)}`, '!', false)!.length).toBe(500);
  });
});

describe('toIncomingCommand', () => {
  const ctx = { prefix: '!', botLogin: 'ClipBot', reply: async () => undefined };
  const tags = (extra: MessageTags = {}): MessageTags => ({
    id: 'msg-1',
    username: 'viewer',
    'display-name': 'Viewer',
    'user-id': '7',
    'room-id': '9',
    badges: null,
    ...extra,
  });

  it('builds the command with its reply target', () => {
    const input = toIncomingCommand(
      { channel: 'chan', tags: tags(), text: '!clip', receivedAt: 5 },
      { ...ctx, channelDisplayName: 'Chan' },
    );
    expect(input).toMatchObject({
      platform: 'twitch',
      requestId: 'msg-1',
      receivedAt: 5,
      user: { id: '7', login: 'viewer', displayName: 'Viewer', role: 'everyone' },
      twitchChannel: { id: '9', login: 'chan', displayName: 'Chan' },
      replyTarget: { platform: 'twitch', channel: 'chan', parentMessageId: 'msg-1' },
      chatText: 'clip',
    });
  });

  it("ignores the bot's own lines and lines without a user id", () => {
    const line = { channel: 'chan', text: '!clip', receivedAt: 0 };
    expect(
      toIncomingCommand({ ...line, tags: tags({ username: 'clipbot' }) }, ctx),
    ).toBeUndefined();
    expect(
      toIncomingCommand({ ...line, tags: tags({ 'user-id': undefined }) }, ctx),
    ).toBeUndefined();
  });

  it('makes a request id when the line has none, and then has no thread to reply in', () => {
    const input = toIncomingCommand(
      { channel: 'chan', tags: tags({ id: undefined }), text: '!clip', receivedAt: 0 },
      ctx,
    );
    expect(input?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(input?.replyTarget).toEqual({ platform: 'twitch', channel: 'chan' });
  });
});
