import type { Rejection } from './rejections.js';

/** What became of one message of the bot. */
export type Verdict =
  /** Twitch echoed the bot's USERSTATE for the channel: the room shows it. */
  | { kind: 'shown' }
  /** Neither echo nor refusal within the window: taken as shown. */
  | { kind: 'assumed' }
  /** A NOTICE refused it: the room does not show it. */
  | { kind: 'refused'; rejection: Rejection }
  /** The connection closed before Twitch answered: whether it was shown is unknown. */
  | { kind: 'lost' };

interface Waiting {
  settle(verdict: Verdict): void;
  timer: NodeJS.Timeout;
}

/**
 * Twitch's answer to each message of the bot. Twitch answers every PRIVMSG at once, on the
 * same connection and in order: a USERSTATE for the channel when the room shows it, a
 * NOTICE with a msg_* id when it does not. The send queue keeps at most one message per
 * channel waiting for that answer, so an answer for a channel can only be about the one
 * message waiting there.
 *
 * When nothing comes within the window the message counts as shown: a server (or a proxy)
 * that never echoes must not stall the channel, and Twitch's answer normally takes one
 * round trip, far below the window.
 */
export class Verdicts {
  private readonly waiting = new Map<string, Waiting>();

  constructor(private readonly windowMs: number) {}

  /**
   * Call before the message is written: the answer may come back at once. `onVerdict` runs
   * synchronously with the line that decides it, so nothing can see the channel free
   * before the verdict is applied.
   */
  expect(channel: string, onVerdict: (verdict: Verdict) => void): void {
    this.settle(channel, { kind: 'lost' });
    const timer = setTimeout(() => this.settle(channel, { kind: 'assumed' }), this.windowMs);
    this.waiting.set(channel, { settle: onVerdict, timer });
  }

  waitingIn(channel: string): boolean {
    return this.waiting.has(channel);
  }

  /** The bot's USERSTATE in the channel (also sent on JOIN: ignored when nothing waits). */
  shown(channel: string): void {
    this.settle(channel, { kind: 'shown' });
  }

  /** A NOTICE refusing a message; false when no message of the channel was waiting. */
  refused(channel: string, rejection: Rejection): boolean {
    return this.settle(channel, { kind: 'refused', rejection });
  }

  /** The message was not written after all, or the connection closed. */
  lost(channel?: string): void {
    if (channel !== undefined) {
      this.settle(channel, { kind: 'lost' });
      return;
    }
    for (const c of [...this.waiting.keys()]) this.settle(c, { kind: 'lost' });
  }

  private settle(channel: string, verdict: Verdict): boolean {
    const w = this.waiting.get(channel);
    if (!w) return false;
    this.waiting.delete(channel);
    clearTimeout(w.timer);
    w.settle(verdict);
    return true;
  }
}
