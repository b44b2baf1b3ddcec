/** A channel's chat modes, from its ROOMSTATE. */
export interface RoomState {
  /** Seconds between two messages of a chatter who is not moderator, VIP or broadcaster; 0: off. */
  slowS: number;
  /** Minutes a chatter must have followed; -1: off, 0: any follower. */
  followersOnlyMin: number;
  subsOnly: boolean;
  emoteOnly: boolean;
  /** Unique-chat mode. */
  r9k: boolean;
}

export const OPEN_ROOM: Readonly<RoomState> = {
  slowS: 0,
  followersOnlyMin: -1,
  subsOnly: false,
  emoteOnly: false,
  r9k: false,
};

/**
 * The modes a ROOMSTATE's raw tags set. On JOIN Twitch sends every mode; when a moderator
 * changes one, only that one: absent tags leave the mode as it was.
 */
export function readRoomState(tags: Record<string, unknown>): Partial<RoomState> {
  const out: Partial<RoomState> = {};
  const num = (key: string): number | undefined => {
    const v = tags[key];
    if (typeof v !== 'string' || v.trim() === '') return undefined;
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  };
  const flag = (key: string): boolean | undefined => {
    const v = tags[key];
    return v === '1' || v === true ? true : v === '0' || v === false ? false : undefined;
  };
  const slow = num('slow');
  if (slow !== undefined) out.slowS = Math.max(0, slow);
  const followers = num('followers-only');
  if (followers !== undefined) out.followersOnlyMin = followers < 0 ? -1 : followers;
  const subs = flag('subs-only');
  if (subs !== undefined) out.subsOnly = subs;
  const emote = flag('emote-only');
  if (emote !== undefined) out.emoteOnly = emote;
  const r9k = flag('r9k');
  if (r9k !== undefined) out.r9k = r9k;
  return out;
}
