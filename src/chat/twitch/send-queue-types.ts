import type { Logger } from 'pino';
import type { TwitchChatLimits } from './limits.js';
import type { Answer } from './answer-merge.js';
import type { Rejection } from './rejections.js';
import type { Refusal } from './restrictions.js';
import type { Verdicts } from './verdicts.js';

/** The bot's standing in a channel, from its USERSTATE. */
export interface ChannelStanding {
  joined: boolean;
  /** Moderator or broadcaster: the higher message limit. */
  moderator: boolean;
  /** Moderator, VIP or broadcaster: no spacing or duplicate rule, no chat mode. */
  privileged: boolean;
  /** Slow mode: least time between two of the bot's messages there (0 or absent: off). */
  slowMs?: number;
}

export interface SendQueueDeps {
  limits: TwitchChatLimits;
  standing(channel: string): ChannelStanding;
  connected(): boolean;
  /** Writes one raw IRC line; rejects when the connection is not open (nothing was sent). */
  transmit(line: string): Promise<void>;
  log: Logger;
  onSent?(channel: string, text: string): void;
  /**
   * After a message answering a clip went to a channel, the next one for the same clip waits
   * this long so that answers arriving meanwhile share it. The first answer never waits.
   * Default 250 ms.
   */
  answerHoldMs?: number;
  /**
   * How many messages one clip's answer may take in a channel (while they follow each other
   * within the message window) so as to name everyone. Up to the last, names that do not
   * fit wait for the next message; the last names what fits and counts the rest as
   * "+N others". Default 1: every message answers all who wait, the fewest messages.
   */
  maxMessagesPerAnswer?: number;
  /**
   * Twitch's answer to each message (USERSTATE: shown; NOTICE: refused). With it, a message
   * is done when Twitch has shown it, and the channel's next one waits for that answer.
   * Without it, a message is done once it has left.
   */
  verdicts?: Verdicts;
  /** Why nothing can be sent to the channel now; asked before each message goes. */
  refusal?(channel: string): Refusal | undefined;
  /** Twitch refused a message for a reason that outlives it (a ban, a chat mode). */
  onChannelRefused?(channel: string, rejection: Rejection): void;
  /**
   * After Twitch refused a message as too fast, the first wait before it goes again
   * (doubling with each refusal). Slow mode waits what Twitch says. Default 2000 ms.
   */
  retryAfterRefusalMs?: number;
  /** Refusals for passing reasons one send takes before it fails (ChatRefusedError). Default 5. */
  maxRefusals?: number;
}

export const SEND_QUEUE_DEFAULTS = {
  answerHoldMs: 250,
  maxMessagesPerAnswer: 1,
  retryAfterRefusalMs: 2_000,
  maxRefusals: 5,
} as const satisfies Partial<SendQueueDeps>;

export interface AnswerSent {
  at: number;
  /** Messages of this answer so far. */
  count: number;
  /** Names were left waiting: the next message may go at once. */
  leftover: boolean;
}

export interface Waiter {
  channel: string;
  resolve(): void;
  reject(err: Error): void;
  /** Times Twitch refused a message carrying it, for a passing reason. */
  refusals?: number;
  /**
   * Awaited just before a line carrying it is written to the socket (answer-marks.ts records
   * the answer as sent there). Before, not after: a process killed right after the write
   * would otherwise leave no mark, and the process taking its reply over would say it again.
   */
  beforeWrite?(): Promise<void>;
}

export interface TextOutgoing extends Waiter {
  kind: 'text';
  text: string;
  parentMessageId?: string;
}

/** Shrinks as its requesters are named; done when nobody is left. */
export interface AnswerOutgoing extends Waiter {
  kind: 'answer';
  answer: Answer;
}

export type Outgoing = TextOutgoing | AnswerOutgoing;

/** One message about to go: what it says, and which waiting items it completes. */
export interface Planned {
  text: string;
  parentMessageId?: string;
  /** The waiting items it was planned for (a refusal concerns them all). */
  items: Outgoing[];
  /** Applies what was sent to the items it was planned for; returns those it completed. */
  commit(): Set<Outgoing>;
  answer?: {
    key: string;
    /** After commit: some of its requesters are still waiting for the next message. */
    leftover: boolean;
  };
}
