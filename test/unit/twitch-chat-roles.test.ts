import { describe, expect, it } from 'vitest';
import { roleFromTags } from '../../src/chat/twitch/roles.js';

describe('roleFromTags', () => {
  it('reads the broadcaster from the badge or from user-id equal to room-id', () => {
    expect(roleFromTags({ badges: { broadcaster: '1' } })).toBe('broadcaster');
    expect(roleFromTags({ badges: null, 'user-id': '42', 'room-id': '42' })).toBe('broadcaster');
    expect(roleFromTags({ badges: null, 'user-id': '41', 'room-id': '42' })).toBe('everyone');
  });

  it('reads moderators from mod, the badge or user-type', () => {
    expect(roleFromTags({ mod: true })).toBe('moderator');
    expect(roleFromTags({ mod: '1' })).toBe('moderator');
    expect(roleFromTags({ badges: { moderator: '1' } })).toBe('moderator');
    expect(roleFromTags({ 'user-type': 'mod' })).toBe('moderator');
    expect(roleFromTags({ mod: false, 'user-type': null })).toBe('everyone');
  });

  it('reads VIPs and subscribers (founders too), highest role first', () => {
    expect(roleFromTags({ vip: true })).toBe('vip');
    expect(roleFromTags({ badges: { vip: '1' } })).toBe('vip');
    expect(roleFromTags({ subscriber: true })).toBe('subscriber');
    expect(roleFromTags({ badges: { founder: '0' } })).toBe('subscriber');
    expect(roleFromTags({ mod: true, subscriber: true, vip: true })).toBe('moderator');
    expect(roleFromTags({ badges: { broadcaster: '1', subscriber: '0' }, mod: false })).toBe(
      'broadcaster',
    );
    expect(roleFromTags({ subscriber: '0', vip: '0' })).toBe('everyone');
  });

  it("judges a Shared Chat message by the chatter's badges in the room it was typed in", () => {
    // gempir/go-twitch-irc message_test.go "Message from shared chat": moderator where the
    // copy landed, a subscriber in the origin room.
    const copy = {
      badges: { moderator: '1' },
      mod: true,
      'user-type': 'mod',
      'user-id': '488149571',
      'room-id': '655533779',
      'source-room-id': '655533779',
      'source-badges': 'subscriber/3',
    };
    expect(roleFromTags(copy)).toBe('subscriber');
    expect(roleFromTags({ ...copy, 'source-badges': 'moderator/1,subscriber/48' })).toBe(
      'moderator',
    );
    expect(roleFromTags({ ...copy, 'source-badges': null })).toBe('everyone');
    expect(roleFromTags({ ...copy, 'user-id': '655533779', 'source-badges': null })).toBe(
      'broadcaster',
    );
  });
});
