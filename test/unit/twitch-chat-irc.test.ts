import { describe, expect, it } from 'vitest';
import { formatLine, parseLine } from '../../standins/chat/irc.js';

describe('chat stand-in IRC lines', () => {
  it('parses tags, prefix, params and the trailing parameter', () => {
    expect(parseLine('@reply-parent-msg-id=a\\sb;x= PRIVMSG #chan :hello there')).toEqual({
      tags: { 'reply-parent-msg-id': 'a b', x: '' },
      command: 'PRIVMSG',
      params: ['#chan', 'hello there'],
    });
    expect(parseLine(':tmi.twitch.tv CAP * ACK :twitch.tv/tags')).toEqual({
      tags: {},
      prefix: 'tmi.twitch.tv',
      command: 'CAP',
      params: ['*', 'ACK', 'twitch.tv/tags'],
    });
    expect(parseLine('PING')).toEqual({ tags: {}, command: 'PING', params: [] });
    expect(parseLine('@only-tags')).toBeUndefined();
  });

  it('formats with escaped tag values and no line breaks in the text', () => {
    const line = formatLine({
      tags: { 'display-name': 'a;b c\\', skipped: undefined },
      prefix: 'u!u@u.tmi.twitch.tv',
      command: 'PRIVMSG',
      params: ['#c'],
      trailing: 'x\r\ny',
    });
    expect(line).toBe('@display-name=a\\:b\\sc\\\\ :u!u@u.tmi.twitch.tv PRIVMSG #c :x  y');
    expect(parseLine(line)?.tags['display-name']).toBe('a;b c\\');
  });
});
