import { RateWindow, type TwitchChatLimits } from './limits.js';
import { DUPLICATE_SUFFIX } from './text.js';
import type { AnswerSent, ChannelStanding, Outgoing } from './send-queue-types.js';

/**
 * What Twitch's chat limits count, for the send queue: the messages in the window, the
 * bot's last message per channel (spacing, slow mode, the duplicate rule), waits after a
 * refusal, and the answers whose messages follow each other. Says how long a channel's
 * next message must wait; never sends.
 */
export class SendPacing {
  private readonly sent: RateWindow;
  /**
   * The bot's last message per channel, shown or not: what spacing counts from (when it
   * left, then when Twitch answered it).
   */
  private readonly last = new Map<string, { at: number; text: string }>();
  /** The last one Twitch showed: what its duplicate rule compares with. */
  private readonly lastShown = new Map<string, { at: number; text: string }>();
  /** A text Twitch just refused as a repeat: the next try uses the other form. */
  private readonly repeatOf = new Map<string, string>();
  /** After a refusal: not before this (epoch ms). */
  private readonly retryAt = new Map<string, number>();
  /** Per channel and answer key, while its messages follow each other. */
  private readonly answersSent = new Map<string, AnswerSent>();

  constructor(
    private readonly limits: TwitchChatLimits,
    private readonly holdMs: number,
  ) {
    this.sent = new RateWindow(limits.messageWindowMs, limits.marginMs);
  }

  /**
   * A line was written at `now`, saying `last.text`: counts it; the returned function moves
   * its count to when Twitch counted it. `last` is kept and may be moved later likewise.
   */
  written(channel: string, now: number, last: { at: number; text: string }): (at: number) => void {
    const counted = this.sent.record(now);
    this.last.set(channel, last);
    return counted;
  }

  shown(channel: string, at: number, text: string): void {
    this.lastShown.set(channel, { at, text });
    this.repeatOf.delete(channel);
    this.retryAt.delete(channel);
  }

  refusedAsRepeat(channel: string, text: string): void {
    this.repeatOf.set(channel, text);
  }

  notBefore(channel: string, at: number): void {
    this.retryAt.set(channel, at);
  }

  recentAnswer(channel: string, key: string, now: number): AnswerSent | undefined {
    const entry = this.answersSent.get(answerId(channel, key));
    return entry && now - entry.at < this.limits.messageWindowMs ? entry : undefined;
  }

  answerSent(channel: string, key: string, now: number, leftover: boolean): void {
    const before = this.recentAnswer(channel, key, now);
    for (const [id, entry] of this.answersSent) {
      if (now - entry.at >= this.limits.messageWindowMs) this.answersSent.delete(id);
    }
    const count = (before?.count ?? 0) + 1;
    this.answersSent.set(answerId(channel, key), { at: now, count, leftover });
  }

  /** How long the channel's next message (`head`) must wait from `now`; 0: it may go. */
  waitMs(
    channel: string,
    standing: ChannelStanding,
    head: Outgoing | undefined,
    now: number,
  ): number {
    const { limits } = this;
    const limit = standing.moderator ? limits.moderatorLimit : limits.normalLimit;
    let wait = this.sent.waitMs(limit, now);
    const last = this.last.get(channel);
    if (!standing.privileged && last) {
      const spacing = Math.max(limits.channelSpacingMs, standing.slowMs ?? 0);
      wait = Math.max(wait, last.at + spacing + limits.marginMs - now);
    }
    const retryAt = this.retryAt.get(channel);
    if (retryAt !== undefined) wait = Math.max(wait, retryAt - now);
    if (head?.kind === 'answer') {
      // Where nothing else spaces messages (moderator, VIP, a verified bot's budget), this
      // is what lets a burst of late requesters gather instead of leaving one by one. Names
      // already waiting from the previous message have gathered: they need no hold.
      const before = this.recentAnswer(channel, head.answer.key, now);
      if (before && !before.leftover) wait = Math.max(wait, before.at + this.holdMs - now);
    }
    return Math.max(0, wait);
  }

  /**
   * Twitch drops a message identical to the bot's previous one there within its window: a
   * repeat gets an invisible suffix. When Twitch called a text a repeat all the same (its
   * unique-chat mode compares with everyone's messages), the next try uses the other form.
   */
  avoidRepeat(channel: string, text: string, now: number): string {
    const refused = this.repeatOf.get(channel);
    if (refused === text) return `${text}${DUPLICATE_SUFFIX}`;
    if (refused === `${text}${DUPLICATE_SUFFIX}`) return text;
    const last = this.lastShown.get(channel);
    const { duplicateWindowMs, marginMs } = this.limits;
    if (!last || last.text !== text || now - last.at >= duplicateWindowMs + marginMs) return text;
    return `${text}${DUPLICATE_SUFFIX}`;
  }
}

function answerId(channel: string, key: string): string {
  return `${channel}\n${key}`;
}
