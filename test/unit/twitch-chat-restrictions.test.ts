import { describe, expect, it } from 'vitest';
import { readRejection } from '../../src/chat/twitch/rejections.js';
import { ChannelRestrictions } from '../../src/chat/twitch/restrictions.js';
import { readRoomState } from '../../src/chat/twitch/room-state.js';
import { REFUSAL } from '../../standins/chat/index.js';

const viewer = { privileged: false, subscriber: false };
const vip = { privileged: true, subscriber: false };

describe('readRoomState', () => {
  it("reads ROOMSTATE's raw tags: every mode on JOIN, only the changed one after", () => {
    expect(
      readRoomState({
        'emote-only': '0',
        'followers-only': '-1',
        r9k: '0',
        'room-id': '1',
        slow: '0',
        'subs-only': '0',
      }),
    ).toEqual({ slowS: 0, followersOnlyMin: -1, subsOnly: false, emoteOnly: false, r9k: false });
    expect(readRoomState({ 'room-id': '1', slow: '30' })).toEqual({ slowS: 30 });
    expect(readRoomState({ 'followers-only': '10' })).toEqual({ followersOnlyMin: 10 });
    expect(readRoomState({ 'subs-only': '1', 'emote-only': '1', r9k: '1' })).toEqual({
      subsOnly: true,
      emoteOnly: true,
      r9k: true,
    });
  });
});

describe('readRejection', () => {
  it("sorts Twitch's refusals into passing, one message, and the whole channel", () => {
    const slow = REFUSAL.slowMode(7);
    expect(readRejection(slow.msgId, slow.text)).toMatchObject({
      scope: 'retry',
      reason: 'slow_mode',
      forMs: 7000,
    });
    const dup = REFUSAL.duplicate();
    expect(readRejection(dup.msgId, dup.text)).toMatchObject({ scope: 'retry', repeat: true });
    const r9k = REFUSAL.r9k();
    expect(readRejection(r9k.msgId, r9k.text)).toMatchObject({ scope: 'retry', repeat: true });
    const fast = REFUSAL.rateLimit();
    expect(readRejection(fast.msgId, fast.text)).toMatchObject({ scope: 'retry' });
    const timedOut = REFUSAL.timedOut(600);
    expect(readRejection(timedOut.msgId, timedOut.text)).toMatchObject({
      scope: 'channel',
      reason: 'timed_out',
      forMs: 600_000,
    });
    for (const [notice, reason, mode] of [
      [REFUSAL.subsOnly('s'), 'subs_only', 'subsOnly'],
      [REFUSAL.followersOnlyZero('s'), 'followers_only', 'followersOnly'],
      [REFUSAL.followersOnly('s', 10), 'followers_only', 'followersOnly'],
      [REFUSAL.followersOnlyFollowed(10, 2), 'followers_only', 'followersOnly'],
      [REFUSAL.emoteOnly(), 'emote_only', 'emoteOnly'],
      [REFUSAL.banned('s'), 'banned', undefined],
      [REFUSAL.verifiedEmail(), 'verified_email', undefined],
    ] as const) {
      const r = readRejection(notice.msgId, notice.text);
      expect(r).toMatchObject({ scope: 'channel', reason });
      expect(r?.mode).toBe(mode);
    }
    expect(readRejection('msg_rejected_mandatory', 'x')).toMatchObject({ scope: 'message' });
    expect(readRejection('msg_something_new', 'x')).toMatchObject({ scope: 'message' });
    // Mode announcements and command answers are not refusals.
    for (const id of ['slow_on', 'subs_off', 'emote_only_on', 'followers_on_zero', 'host_on']) {
      expect(readRejection(id, 'x')).toBeUndefined();
    }
  });
});

describe('ChannelRestrictions', () => {
  const rejection = (notice: { msgId: string; text: string }) =>
    readRejection(notice.msgId, notice.text)!;

  it('knows before sending that emote-only and subscribers-only rooms will not show the bot', () => {
    const r = new ChannelRestrictions(60_000);
    r.updateRoom('a', readRoomState({ 'emote-only': '1', 'subs-only': '0', slow: '0' }));
    r.updateRoom('b', readRoomState({ 'subs-only': '1' }));
    expect(r.refusal('a', viewer, 0)?.reason).toBe('emote_only');
    expect(r.refusal('b', viewer, 0)?.reason).toBe('subs_only');
    expect(r.refusal('b', { privileged: false, subscriber: true }, 0)).toBeUndefined();
    expect(r.refusal('a', vip, 0)).toBeUndefined();
    // Followers-only cannot be known: only Twitch knows when the bot followed.
    r.updateRoom('c', readRoomState({ 'followers-only': '0' }));
    expect(r.refusal('c', viewer, 0)).toBeUndefined();
  });

  it('holds a refusal until its mode is turned off or changed, the bot is privileged, or the hold ends', () => {
    const r = new ChannelRestrictions(60_000);
    r.updateRoom('c', readRoomState({ 'followers-only': '10' }));
    r.block('c', rejection(REFUSAL.followersOnly('c', 10)), 0);
    expect(r.refusal('c', viewer, 1)).toMatchObject({ reason: 'followers_only' });
    expect(r.refusal('c', viewer, 1)?.message).toContain('msg_followersonly');
    // Another mode changing does not lift it.
    r.updateRoom('c', readRoomState({ slow: '5' }));
    expect(r.refusal('c', viewer, 2)).toBeDefined();
    // A shorter follow time may let the bot in: one message finds out.
    r.updateRoom('c', readRoomState({ 'followers-only': '0' }));
    expect(r.refusal('c', viewer, 3)).toBeUndefined();

    r.block('c', rejection(REFUSAL.followersOnlyZero('c')), 10);
    r.updateRoom('c', readRoomState({ 'followers-only': '-1' }));
    expect(r.refusal('c', viewer, 11)).toBeUndefined();

    r.block('c', rejection(REFUSAL.followersOnlyZero('c')), 20);
    expect(r.refusal('c', vip, 21)).toBeUndefined();

    r.block('c', rejection(REFUSAL.banned('c')), 100);
    expect(r.refusal('c', vip, 101)).toMatchObject({ reason: 'banned' });
    expect(r.refusal('c', viewer, 100 + 59_999)).toBeDefined();
    expect(r.refusal('c', viewer, 100 + 60_000)).toBeUndefined();
  });

  it('holds a timeout as long as Twitch said', () => {
    const r = new ChannelRestrictions(600_000);
    r.block('t', rejection(REFUSAL.timedOut(5)), 1_000);
    expect(r.refusal('t', viewer, 5_999)).toMatchObject({ reason: 'timed_out' });
    expect(r.refusal('t', viewer, 6_000)).toBeUndefined();
  });

  it("spaces a non-privileged bot's messages as slow mode says", () => {
    const r = new ChannelRestrictions(1);
    r.updateRoom('s', readRoomState({ slow: '3' }));
    expect(r.slowMs('s', viewer)).toBe(3000);
    expect(r.slowMs('s', vip)).toBe(0);
    r.forgetRoom('s');
    expect(r.slowMs('s', viewer)).toBe(0);
  });
});
