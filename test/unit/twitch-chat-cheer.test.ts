import { describe, expect, it } from 'vitest';
import { withoutCheermotes } from '../../src/chat/twitch/cheer.js';
import { isPartnerCopy } from '../../src/chat/twitch/incoming.js';

describe('withoutCheermotes', () => {
  it('takes out the cheer words the bits tag accounts for, wherever they are', () => {
    // Texts from Chatterino's tests/snapshots/IrcMessageHandler/cheer1.json and
    // gempir/go-twitch-irc message_test.go.
    expect(withoutCheermotes('Cheer1 a Cheer1 Cheer1 Cheer1 Cheer1 b c', 5)).toBe('a b c');
    expect(withoutCheermotes("showlove5000 Chew your food slower... it's healthier", 5000)).toBe(
      "Chew your food slower... it's healthier",
    );
    expect(withoutCheermotes('Cheer100 !clip what a play', 100)).toBe('!clip what a play');
    expect(withoutCheermotes('!clip what a play Cheer50 BibleThump50', 100)).toBe(
      '!clip what a play',
    );
  });

  it('keeps words beyond the cheered amount and messages without bits', () => {
    expect(withoutCheermotes('!clip mp5 Cheer100', 100)).toBe('!clip mp5');
    expect(withoutCheermotes('!clip 2024 was the year', 100)).toBe('!clip 2024 was the year');
    expect(withoutCheermotes('!clip Cheer100', 0)).toBe('!clip Cheer100');
    expect(withoutCheermotes('!clip Cheer100', Number.NaN)).toBe('!clip Cheer100');
  });
});

describe('isPartnerCopy', () => {
  it("is true only for a Shared Chat copy from another channel's room", () => {
    expect(isPartnerCopy({ 'room-id': '1' })).toBe(false);
    expect(isPartnerCopy({ 'room-id': '1', 'source-room-id': '1' })).toBe(false);
    expect(isPartnerCopy({ 'room-id': '1', 'source-room-id': '2' })).toBe(true);
  });
});
