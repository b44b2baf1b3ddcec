import type { Rejection } from './rejections.js';
import { OPEN_ROOM, type RoomState } from './room-state.js';

/** What the chat modes care about in the bot's standing (from its USERSTATE). */
export interface ModeStanding {
  /** Moderator, VIP or broadcaster: no chat mode applies. */
  privileged: boolean;
  subscriber: boolean;
}

/** Why nothing is sent to a channel now. */
export interface Refusal {
  /** Short token (UndeliverableError.reason). */
  reason: string;
  message: string;
}

type ModeKey = NonNullable<Rejection['mode']>;

const ROOM_KEY: Record<ModeKey, keyof RoomState> = {
  subsOnly: 'subsOnly',
  followersOnly: 'followersOnlyMin',
  emoteOnly: 'emoteOnly',
};

const modeOn = (room: RoomState, mode: ModeKey): boolean =>
  mode === 'followersOnly' ? room.followersOnlyMin >= 0 : room[ROOM_KEY[mode]] === true;

/**
 * Per channel: its chat modes (ROOMSTATE), and what Twitch said when it refused one of the
 * bot's messages for good. Tells whether an answer can be sent there at all, and how far
 * apart slow mode wants the bot's messages.
 */
export class ChannelRestrictions {
  private readonly rooms = new Map<string, RoomState>();
  private readonly blocks = new Map<string, { rejection: Rejection; until: number }>();

  /**
   * @param holdMs how long a refusal for good (ban, a chat mode the bot cannot meet) holds
   *   when nothing says it is over: then one message is allowed to find out.
   */
  constructor(private readonly holdMs: number) {}

  /** A ROOMSTATE: every mode on JOIN, only the changed one otherwise. */
  updateRoom(channel: string, change: Partial<RoomState>): void {
    const before = this.rooms.get(channel);
    const room = { ...(before ?? OPEN_ROOM), ...change };
    this.rooms.set(channel, room);
    const mode = this.blocks.get(channel)?.rejection.mode;
    if (!mode) return;
    // The mode is off, or set to something else (a shorter follow time): try again.
    const key = ROOM_KEY[mode];
    const changed = before !== undefined && change[key] !== undefined && before[key] !== room[key];
    if (changed || !modeOn(room, mode)) this.blocks.delete(channel);
  }

  room(channel: string): RoomState {
    return this.rooms.get(channel) ?? OPEN_ROOM;
  }

  /** Left the channel, or lost the connection: the next JOIN brings a full ROOMSTATE. */
  forgetRoom(channel: string): void {
    this.rooms.delete(channel);
  }

  forgetRooms(): void {
    this.rooms.clear();
  }

  /** Twitch refused a message in the channel for a reason that outlives the message. */
  block(channel: string, rejection: Rejection, now: number): void {
    const forMs = rejection.reason === 'timed_out' ? (rejection.forMs ?? this.holdMs) : this.holdMs;
    this.blocks.set(channel, { rejection, until: now + forMs });
  }

  /** Why nothing the bot says in the channel would be shown now; undefined when it may be. */
  refusal(channel: string, bot: ModeStanding, now: number): Refusal | undefined {
    const block = this.blocks.get(channel);
    if (block) {
      const mode = block.rejection.mode;
      const over = now >= block.until || (mode !== undefined && bot.privileged);
      if (over) this.blocks.delete(channel);
      else {
        const { msgId, text, reason } = block.rejection;
        return {
          reason,
          message: `Twitch refuses the bot's messages in #${channel} (${msgId}: ${text})`,
        };
      }
    }
    if (bot.privileged) return undefined;
    // Known before sending: the bot's answers are never only emotes, and a subscription
    // shows in its USERSTATE. Followers-only is not: only Twitch knows when the bot followed.
    const room = this.room(channel);
    if (room.emoteOnly) {
      return { reason: 'emote_only', message: `#${channel} is in emote-only mode` };
    }
    if (room.subsOnly && !bot.subscriber) {
      return { reason: 'subs_only', message: `#${channel} is in subscribers-only mode` };
    }
    return undefined;
  }

  /** Slow mode's spacing for the bot's messages in the channel (0 when it does not apply). */
  slowMs(channel: string, bot: ModeStanding): number {
    return bot.privileged ? 0 : this.room(channel).slowS * 1000;
  }
}
