import type { Logger } from 'pino';
import type { ReplyEnvelope, ReplySender } from '../../core/clip.js';
import { HandOffError, UndeliverableError } from '../../replies/delivery-errors.js';
import type { TwitchChatAdapter } from './adapter.js';
import { requestsByChannel } from './answer-addressees.js';
import type { AnswerMarks } from './answer-marks.js';
import type { ChannelLeases } from './channel-leases.js';
import { ChatNotReadyError } from './errors.js';

export interface TwitchReplySenderOptions {
  chat: TwitchChatAdapter;
  /** Set when channels are leased among processes (CHANNEL_LEASE_MS). */
  leases?: ChannelLeases;
  /** What already left (a crash between send and acknowledgement): not said again. */
  marks?: AnswerMarks;
  log: Logger;
  /** How long an answer waits for a channel nobody reads (a takeover under way). */
  holderWaitMs?: number;
  pollMs?: number;
}

export const TWITCH_REPLY_SENDER_DEFAULTS = {
  holderWaitMs: 15_000,
  pollMs: 250,
} as const satisfies Partial<TwitchReplySenderOptions>;

/**
 * The Twitch reply sender the reply lane sees. Around the chat adapter:
 * - answers already sent (AnswerMarks) are not sent again; a send is marked just before its
 *   line is written;
 * - with leases, only the process that reads a channel's chat sends there (it is joined,
 *   and it sees Twitch's verdict on what it sent). An answer for a channel another process
 *   holds is handed to that process's reply consumer (HandOffError: the lane moves the entry
 *   to its pending list); one for a channel nobody holds just now (a takeover under way)
 *   waits here for a holder, rather than in the lane's growing backoff.
 */
export class TwitchReplySender implements ReplySender {
  readonly platform = 'twitch' as const;

  constructor(private readonly opts: TwitchReplySenderOptions) {}

  ready(): boolean {
    return this.opts.chat.ready();
  }

  async deliver(envelope: ReplyEnvelope): Promise<void> {
    const channels = [...requestsByChannel(envelope.requests).keys()];
    for (const c of channels) await this.mustRead(c);
    let todo = envelope;
    const marks = this.opts.marks;
    if (marks) {
      const left = await marks.unanswered(envelope);
      if (left.length === 0) {
        this.opts.log.info(
          { jobId: envelope.result.jobId },
          'answer already sent (before a crash); not sent again',
        );
        return;
      }
      todo = { ...envelope, requests: left };
    }
    // Marked before its line is written (awaited): see AnswerMarks.
    const beforeWrite = marks
      ? () =>
          marks
            .mark(todo)
            .catch((err: unknown) =>
              this.opts.log.warn({ err: String(err) }, 'could not mark an answer as sent'),
            )
      : undefined;
    try {
      await this.opts.chat.deliver(todo, beforeWrite);
    } catch (err) {
      // Given up while it waited in the send queue (the lease moved): the holder sends it.
      for (const c of channels) await this.mustRead(c);
      throw err;
    }
  }

  /** Returns when this process reads the channel; throws where another must deliver. */
  private async mustRead(channel: string): Promise<void> {
    const leases = this.opts.leases;
    if (!leases) return;
    const d = TWITCH_REPLY_SENDER_DEFAULTS;
    const deadline = Date.now() + (this.opts.holderWaitMs ?? d.holderWaitMs);
    for (;;) {
      if (leases.reads(channel)) return;
      const holder = await leases.holder(channel);
      if (holder && holder !== leases.owner) {
        throw new HandOffError(`#${channel} is read by another process`, holder);
      }
      if (!(await leases.listed(channel))) {
        throw new UndeliverableError(`#${channel} is not in the channel list`, 'not_in_channel');
      }
      if (Date.now() >= deadline) {
        throw new ChatNotReadyError(channel, 'no process reads it just now');
      }
      await new Promise((r) => setTimeout(r, this.opts.pollMs ?? d.pollMs));
    }
  }
}
