import type { Role } from '../../core/command.js';

/**
 * The tags a role is read from, as tmi.js hands them over: badges parsed into an object, and
 * "1"/"0" already turned into booleans (raw strings are accepted too).
 */
export interface RoleTags {
  badges?: Record<string, string | undefined> | null;
  mod?: unknown;
  vip?: unknown;
  subscriber?: unknown;
  'user-type'?: unknown;
  'user-id'?: unknown;
  'room-id'?: unknown;
  /** Shared Chat: the room the message was typed in. */
  'source-room-id'?: unknown;
  /** Shared Chat: the chatter's badges in that room ("moderator/1,subscriber/12"). */
  'source-badges'?: unknown;
}

const truthy = (v: unknown): boolean => v === true || v === '1';

/**
 * The highest role the message's tags prove. A Shared Chat message (it has source-room-id)
 * is judged by the chatter's badges in the channel it was typed in (source-badges): its
 * badges, mod and vip tags describe the channel that received the copy (gempir/go-twitch-irc
 * message_test.go "Message from shared chat": badges=moderator/1, mod=1 in the receiving
 * room, source-badges=subscriber/3 in the origin).
 */
export function roleFromTags(tags: RoleTags): Role {
  const sourceRoom = tags['source-room-id'];
  if (typeof sourceRoom === 'string' && sourceRoom !== '') {
    return roleFromBadges(
      parseBadges(tags['source-badges']),
      typeof tags['user-id'] === 'string' && tags['user-id'] === sourceRoom,
    );
  }
  const badges = tags.badges ?? {};
  const userId = typeof tags['user-id'] === 'string' ? tags['user-id'] : undefined;
  if (badges.broadcaster !== undefined || (userId !== undefined && userId === tags['room-id'])) {
    return 'broadcaster';
  }
  if (truthy(tags.mod) || badges.moderator !== undefined || tags['user-type'] === 'mod') {
    return 'moderator';
  }
  if (truthy(tags.vip) || badges.vip !== undefined) return 'vip';
  if (truthy(tags.subscriber) || badges.subscriber !== undefined || badges.founder !== undefined) {
    return 'subscriber';
  }
  return 'everyone';
}

/** Role from badges alone (no mod/vip/subscriber tags to go by). */
function roleFromBadges(badges: Record<string, string | undefined>, ownRoom: boolean): Role {
  if (ownRoom || badges.broadcaster !== undefined) return 'broadcaster';
  if (badges.moderator !== undefined) return 'moderator';
  if (badges.vip !== undefined) return 'vip';
  if (badges.subscriber !== undefined || badges.founder !== undefined) return 'subscriber';
  return 'everyone';
}

/** "moderator/1,subscriber/12" as { moderator: '1', subscriber: '12' }. */
export function parseBadges(value: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  if (typeof value !== 'string') return out;
  for (const badge of value.split(',')) {
    const [name, version] = badge.split('/');
    if (name) out[name] = version;
  }
  return out;
}
