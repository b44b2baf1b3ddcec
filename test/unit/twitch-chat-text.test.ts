import { describe, expect, it } from 'vitest';
import { parseChatUrl } from '../../src/chat/twitch/connection.js';
import {
  CONTENT_BUDGET,
  guardCommand,
  outgoingMessages,
  sanitizeOutgoing,
  splitMessage,
  truncate,
} from '../../src/chat/twitch/text.js';

describe('sanitizeOutgoing', () => {
  it('turns controls (CR and LF above all) into spaces', () => {
    expect(sanitizeOutgoing('a\r\nPRIVMSG #x :b\u0000c\u0085d')).toBe('a PRIVMSG #x :b c d');
  });

  it('never lets a message start as a chat command', () => {
    expect(sanitizeOutgoing('/ban someone')).toBe('\u200b/ban someone');
    expect(sanitizeOutgoing('  .timeout x')).toBe('\u200b.timeout x');
    expect(sanitizeOutgoing('ok /ban')).toBe('ok /ban');
  });
});

describe('outgoingMessages', () => {
  it('keeps every part of a split text from starting as a chat command', () => {
    // The cut falls right before user text that reads as a command (the filler fills the
    // budget, less the guard's character).
    const filler = `${'x'.repeat(CONTENT_BUDGET - 2)} `;
    for (const command of ['/me dances', '.ban someone', '\\w x']) {
      const parts = outgoingMessages(`${filler}${command} and more`);
      expect(parts).toHaveLength(2);
      expect(parts[1]).toBe(`\u200b${command} and more`);
      for (const p of parts) {
        expect(p).not.toMatch(/^\s*[./\\]/);
        expect(p.length).toBeLessThanOrEqual(CONTENT_BUDGET);
      }
    }
  });

  it('fits a guarded part in the budget and loses no text', () => {
    const text = `/${'x'.repeat(CONTENT_BUDGET * 2)}`;
    const parts = outgoingMessages(text);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(CONTENT_BUDGET);
      expect(p).not.toMatch(/^[./\\]/);
    }
    expect(parts.join('').replaceAll('\u200b', '')).toBe(text);
    expect(outgoingMessages('  \r\n ')).toEqual([]);
  });
});

describe('guardCommand', () => {
  it('guards a leading command character, after spaces too, and nothing else', () => {
    expect(guardCommand('/me x')).toBe('\u200b/me x');
    expect(guardCommand('  .ban x')).toBe('\u200b.ban x');
    expect(guardCommand('\u200b/me x')).toBe('\u200b/me x');
    expect(guardCommand('@Ann /me')).toBe('@Ann /me');
  });
});

describe('splitMessage', () => {
  it('splits at spaces into parts of at most the limit', () => {
    const parts = splitMessage(`${'word '.repeat(250)}end`, 497);
    expect(parts).toHaveLength(3);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(497);
    expect(parts.join(' ')).toBe(`${'word '.repeat(250)}end`);
  });

  it('cuts a word longer than the limit without splitting a surrogate pair', () => {
    const parts = splitMessage('😀'.repeat(300), 101);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(101);
      expect(p).toMatch(/^(😀)+$/u);
    }
    expect(parts.join('')).toBe('😀'.repeat(300));
  });

  it('leaves a short message alone', () => {
    expect(splitMessage('hello')).toEqual(['hello']);
    expect(splitMessage('   ')).toEqual([]);
  });
});

describe('truncate', () => {
  it('cuts with an ellipsis within the limit', () => {
    expect(truncate('abcdef', 4)).toBe('abc\u2026');
    expect(truncate('abc', 4)).toBe('abc');
    expect(truncate('😀😀😀', 4).length).toBeLessThanOrEqual(4);
  });
});

describe('parseChatUrl', () => {
  it('reads server, port and TLS from TWITCH_CHAT_URL', () => {
    expect(parseChatUrl('wss://irc-ws.chat.twitch.tv:443')).toEqual({
      server: 'irc-ws.chat.twitch.tv',
      port: 443,
      secure: true,
    });
    expect(parseChatUrl('ws://127.0.0.1:4567')).toEqual({
      server: '127.0.0.1',
      port: 4567,
      secure: false,
    });
    expect(parseChatUrl('wss://example.test')).toMatchObject({ port: 443, secure: true });
    expect(() => parseChatUrl('http://x')).toThrow();
  });
});
