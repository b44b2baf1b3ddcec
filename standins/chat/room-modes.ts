import { REFUSAL, type Notice } from './notices.js';

/** A room's chat modes, as ROOMSTATE carries them. */
export interface RoomModes {
  /** Seconds a chatter must wait between two messages; 0: off. */
  slow: number;
  /** Minutes a chatter must have followed the channel; -1: off, 0: any follower. */
  followersOnly: number;
  subsOnly: boolean;
  emoteOnly: boolean;
  /** Unique-chat mode: a message repeating a recent one is refused. */
  r9k: boolean;
}

/** What setRoomState takes: only the modes that change; followersOnly false (or -1) is off. */
export type RoomModesChange = Partial<Omit<RoomModes, 'followersOnly'>> & {
  followersOnly?: number | false;
};

export const OPEN_ROOM: RoomModes = {
  slow: 0,
  followersOnly: -1,
  subsOnly: false,
  emoteOnly: false,
  r9k: false,
};

/** The bot's situation in one room, as far as the chat modes care. */
export interface BotInRoom {
  broadcaster: boolean;
  /** Moderator, VIP or broadcaster: no chat mode applies. */
  privileged: boolean;
  subscriber: boolean;
  /** epoch ms since when the bot follows the channel; undefined: it does not. */
  followedAt?: number;
  banned: boolean;
  /** epoch ms */
  timedOutUntil?: number;
  /** The channel requires a verified email and the bot account has none. */
  needsVerifiedEmail: boolean;
  /** epoch ms of its last message the room showed. */
  lastAcceptedAt?: number;
  /** Unique-chat mode would call this message a repeat. */
  repeat: boolean;
}

/** ROOMSTATE's tags for these modes (all of them, or those named in `only`). */
export function modeTags(
  modes: RoomModes,
  only?: ReadonlySet<keyof RoomModes>,
): Record<string, string> {
  const all: [keyof RoomModes, string, string][] = [
    ['emoteOnly', 'emote-only', modes.emoteOnly ? '1' : '0'],
    ['followersOnly', 'followers-only', String(modes.followersOnly)],
    ['r9k', 'r9k', modes.r9k ? '1' : '0'],
    ['slow', 'slow', String(modes.slow)],
    ['subsOnly', 'subs-only', modes.subsOnly ? '1' : '0'],
  ];
  return Object.fromEntries(
    all.filter(([key]) => !only || only.has(key)).map(([, tag, value]) => [tag, value]),
  );
}

/** Applies a change; returns the modes whose value really changed. */
export function applyModes(modes: RoomModes, change: RoomModesChange): Set<keyof RoomModes> {
  const changed = new Set<keyof RoomModes>();
  const next: Partial<RoomModes> = {};
  if (change.slow !== undefined) next.slow = Math.max(0, Math.round(change.slow));
  if (change.followersOnly !== undefined) {
    const f = change.followersOnly;
    next.followersOnly = f === false || f < 0 ? -1 : Math.round(f);
  }
  if (change.subsOnly !== undefined) next.subsOnly = change.subsOnly;
  if (change.emoteOnly !== undefined) next.emoteOnly = change.emoteOnly;
  if (change.r9k !== undefined) next.r9k = change.r9k;
  for (const [key, value] of Object.entries(next) as [keyof RoomModes, never][]) {
    if (modes[key] === value) continue;
    modes[key] = value;
    changed.add(key);
  }
  return changed;
}

/**
 * The NOTICE Twitch answers a message with when the room will not show it: a ban or a
 * timeout, then (unless the bot is moderator, VIP or broadcaster) the room's chat modes.
 */
export function roomRefusal(
  channel: string,
  modes: RoomModes,
  bot: BotInRoom,
  now: number,
): Notice | undefined {
  if (!bot.broadcaster) {
    if (bot.banned) return REFUSAL.banned(channel);
    if (bot.timedOutUntil !== undefined && bot.timedOutUntil > now) {
      return REFUSAL.timedOut(Math.ceil((bot.timedOutUntil - now) / 1000));
    }
  }
  if (bot.privileged) return undefined;
  if (bot.needsVerifiedEmail) return REFUSAL.verifiedEmail();
  // The bot's answers are words and links, never only emotes.
  if (modes.emoteOnly) return REFUSAL.emoteOnly();
  if (modes.subsOnly && !bot.subscriber) return REFUSAL.subsOnly(channel);
  if (modes.followersOnly >= 0) {
    if (bot.followedAt === undefined) {
      return modes.followersOnly === 0
        ? REFUSAL.followersOnlyZero(channel)
        : REFUSAL.followersOnly(channel, modes.followersOnly);
    }
    const followedMin = Math.floor((now - bot.followedAt) / 60_000);
    if (followedMin < modes.followersOnly) {
      return REFUSAL.followersOnlyFollowed(modes.followersOnly, followedMin);
    }
  }
  if (modes.slow > 0 && bot.lastAcceptedAt !== undefined) {
    const left = bot.lastAcceptedAt + modes.slow * 1000 - now;
    if (left > 0) return REFUSAL.slowMode(Math.ceil(left / 1000));
  }
  if (modes.r9k && bot.repeat) return REFUSAL.r9k();
  return undefined;
}
