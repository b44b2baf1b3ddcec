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
});
