import { describe, expect, it } from 'vitest';
import { ASKED_TIME_DEFAULTS, askedTime } from '../../src/chat/asked-time.js';
import { toIncomingCommand, type MessageTags } from '../../src/chat/twitch/incoming.js';

const NOW = 1_764_000_000_000;

describe('askedTime', () => {
  it("takes the platform's stamp when it is believable", () => {
    expect(askedTime(NOW - 20_000, NOW)).toBe(NOW - 20_000);
    expect(askedTime(String(NOW - 1234), NOW)).toBe(NOW - 1234);
  });

  it('counts a stamp a little ahead of our clock as now (clock skew)', () => {
    expect(askedTime(NOW + 3_000, NOW)).toBe(NOW);
  });

  it('ignores stamps far in the future, too old, or unreadable', () => {
    expect(askedTime(NOW + ASKED_TIME_DEFAULTS.maxFutureSkewMs + 1, NOW)).toBe(NOW);
    expect(askedTime(NOW - ASKED_TIME_DEFAULTS.maxAgeMs - 1, NOW)).toBe(NOW);
    expect(askedTime(NOW - ASKED_TIME_DEFAULTS.maxAgeMs, NOW)).toBe(
      NOW - ASKED_TIME_DEFAULTS.maxAgeMs,
    );
    expect(askedTime(undefined, NOW)).toBe(NOW);
    expect(askedTime('', NOW)).toBe(NOW);
    expect(askedTime('12e12', NOW)).toBe(NOW);
    expect(askedTime('-5', NOW)).toBe(NOW);
    expect(askedTime(Number.NaN, NOW)).toBe(NOW);
  });

  it('takes its bounds from the options', () => {
    expect(askedTime(NOW - 5_000, NOW, { maxAgeMs: 1_000 })).toBe(NOW);
    expect(askedTime(NOW + 500, NOW, { maxFutureSkewMs: 100 })).toBe(NOW);
  });
});

describe('toIncomingCommand: askedAt', () => {
  const ctx = { prefix: '!', botLogin: 'ClipBot', reply: async () => undefined };
  const tags = (extra: MessageTags = {}): MessageTags => ({
    id: 'msg-1',
    username: 'viewer',
    'user-id': '7',
    'room-id': '9',
    badges: null,
    ...extra,
  });

  it('is tmi-sent-ts, as on a real line, when it is sane', () => {
    const line = { channel: 'chan', text: '!clip', receivedAt: NOW };
    const sent = String(NOW - 20_000);
    expect(toIncomingCommand({ ...line, tags: tags({ 'tmi-sent-ts': sent }) }, ctx)).toMatchObject({
      receivedAt: NOW,
      askedAt: NOW - 20_000,
    });
    expect(toIncomingCommand({ ...line, tags: tags() }, ctx)?.askedAt).toBe(NOW);
    const future = String(NOW + 60_000);
    expect(
      toIncomingCommand({ ...line, tags: tags({ 'tmi-sent-ts': future }) }, ctx)?.askedAt,
    ).toBe(NOW);
  });
});
