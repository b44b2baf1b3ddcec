/** Twitch's chat limits for a (not verified) bot account, and how far we keep from them. */
export interface TwitchChatLimits {
  /** The sliding window of the message limits. */
  messageWindowMs: number;
  /** Messages per window, counted over every channel, when sending where the bot is not moderator. */
  normalLimit: number;
  /** Messages per window when sending where the bot is moderator or broadcaster. */
  moderatorLimit: number;
  /** Where the bot is not moderator, VIP or broadcaster: least time between two messages. */
  channelSpacingMs: number;
  /** Same condition: an identical message within this is dropped by Twitch. */
  duplicateWindowMs: number;
  joinWindowMs: number;
  joinLimit: number;
  /**
   * Added to every wait. Events count from Twitch's answer once it comes (see RateWindow); the
   * margin covers a line whose answer never came, counted from when it left.
   */
  marginMs: number;
}

export const TWITCH_LIMITS: TwitchChatLimits = {
  messageWindowMs: 30_000,
  normalLimit: 20,
  moderatorLimit: 100,
  channelSpacingMs: 1_000,
  duplicateWindowMs: 30_000,
  joinWindowMs: 10_000,
  joinLimit: 20,
  marginMs: 150,
};

/**
 * Times of past events in a sliding window; tells how long until one more is allowed.
 *
 * An event counts from the moment it is recorded (when it leaves) and, once its answer comes,
 * from that answer: Twitch counts a line when it arrives, which is no later than its answer.
 * Counting from the send alone breaks the limit whenever one line is held up on the way
 * longer than the margin (a TCP retransmit, a stalled process) and the next is not.
 */
export class RateWindow {
  /** Sorted by time. */
  private readonly events: { at: number }[] = [];

  constructor(
    private readonly windowMs: number,
    private readonly marginMs: number,
  ) {}

  /** 0 when one more event fits under `limit` now, else the milliseconds until it does. */
  waitMs(limit: number, now: number): number {
    this.trim(now);
    if (this.events.length < limit) return 0;
    const blocking = this.events[this.events.length - limit]!.at;
    return Math.max(0, blocking + this.windowMs + this.marginMs - now);
  }

  /** Counts one event at `now`; call the function returned when its answer came (at `at`). */
  record(now: number): (at: number) => void {
    const event = { at: now };
    this.events.push(event);
    return (at) => {
      if (at <= event.at) return;
      event.at = at;
      this.events.sort((a, b) => a.at - b.at);
    };
  }

  private trim(now: number): void {
    let drop = 0;
    while (
      drop < this.events.length &&
      this.events[drop]!.at + this.windowMs + this.marginMs <= now
    ) {
      drop++;
    }
    if (drop > 0) this.events.splice(0, drop);
  }
}
