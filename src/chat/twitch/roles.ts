import type { Role } from '../../../commands/types.js';

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
}

const truthy = (v: unknown): boolean => v === true || v === '1';

/** The highest role the message's tags prove. */
export function roleFromTags(tags: RoleTags): Role {
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
