import type { Logger } from 'pino';
import { nextAnswerMessage, type Answer } from './answer-merge.js';
import { ChatNotReadyError, ChatStoppedError } from './errors.js';
import { RateWindow, type TwitchChatLimits } from './limits.js';
import { CONTENT_BUDGET, DUPLICATE_SUFFIX, guardCommand, truncate } from './text.js';

/** The bot's standing in a channel, from its USERSTATE. */
export interface ChannelStanding {
  joined: boolean;
  /** Moderator or broadcaster: the higher message limit. */
  moderator: boolean;
  /** Moderator, VIP or broadcaster: no spacing or duplicate rule. */
  privileged: boolean;
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
}

export const DEFAULT_ANSWER_HOLD_MS = 250;
export const DEFAULT_MAX_MESSAGES_PER_ANSWER = 1;

interface AnswerSent {
  at: number;
  /** Messages of this answer so far. */
  count: number;
  /** Names were left waiting: the next message may go at once. */
  leftover: boolean;
}

interface Waiter {
  channel: string;
  resolve(): void;
  reject(err: Error): void;
}

interface TextOutgoing extends Waiter {
  kind: 'text';
  text: string;
  parentMessageId?: string;
}

/** Shrinks as its requesters are named; done when nobody is left. */
interface AnswerOutgoing extends Waiter {
  kind: 'answer';
  answer: Answer;
}

type Outgoing = TextOutgoing | AnswerOutgoing;

/** One message about to go: what it says, and which waiting items it completes. */
interface Planned {
  text: string;
  parentMessageId?: string;
  /** Applies what was sent to the items it was planned for; returns those it completed. */
  commit(): Set<Outgoing>;
  answer?: {
    key: string;
    /** After commit: some of its requesters are still waiting for the next message. */
    leftover: boolean;
  };
}

/**
 * The one outgoing queue of the process. Every message waits here until Twitch's limits let
 * it go: nothing is dropped, nothing is sent early. Channels take turns, so one busy channel
 * cannot starve the others.
 *
 * Answers of the same clip that wait in a channel leave as one message naming their
 * requesters, "+N others" for the names that do not fit (or, with maxMessagesPerAnswer,
 * in the next messages). Waiting happens exactly when chat is rate-limited, so a burst of
 * late requesters costs a few messages, not one each, while a lone answer still goes the
 * moment the limits allow.
 */
export class SendQueue {
  private readonly byChannel = new Map<string, Outgoing[]>();
  /** Channels with messages waiting, in turn order. */
  private turn: string[] = [];
  private readonly sent: RateWindow;
  private readonly last = new Map<string, { at: number; text: string }>();
  /** Per channel and answer key, while its messages follow each other. */
  private readonly answersSent = new Map<string, AnswerSent>();
  private readonly holdMs: number;
  private readonly maxPerAnswer: number;
  private timer: NodeJS.Timeout | undefined;
  private pumping = false;
  private stopped = false;

  constructor(private readonly deps: SendQueueDeps) {
    this.sent = new RateWindow(deps.limits.messageWindowMs, deps.limits.marginMs);
    this.holdMs = Math.max(0, deps.answerHoldMs ?? DEFAULT_ANSWER_HOLD_MS);
    this.maxPerAnswer = Math.max(1, deps.maxMessagesPerAnswer ?? DEFAULT_MAX_MESSAGES_PER_ANSWER);
  }

  /** Resolves once the message has left for Twitch. */
  send(channel: string, text: string, parentMessageId?: string): Promise<void> {
    return this.enqueue(channel, (waiter) => {
      const item: TextOutgoing = { ...waiter, kind: 'text', text };
      if (parentMessageId) item.parentMessageId = parentMessageId;
      return item;
    });
  }

  /**
   * A clip's answer for some of its requesters. Resolves once every one of them was answered
   * (named, or at the clip's last message counted in "+N others"), possibly in messages shared
   * with other answers of the same key.
   */
  sendAnswer(channel: string, answer: Answer): Promise<void> {
    // Copied: the queue takes names off it as they are sent.
    const own: Answer = { key: answer.key, body: answer.body, to: [...answer.to] };
    return this.enqueue(channel, (waiter) => ({ ...waiter, kind: 'answer', answer: own }));
  }

  private enqueue(channel: string, make: (waiter: Waiter) => Outgoing): Promise<void> {
    if (this.stopped) return Promise.reject(new ChatStoppedError());
    return new Promise((resolve, reject) => {
      const item = make({ channel, resolve, reject });
      let list = this.byChannel.get(channel);
      if (!list) {
        list = [];
        this.byChannel.set(channel, list);
        this.turn.push(channel);
      }
      list.push(item);
      this.kick();
    });
  }

  /** How many sends wait (answers that will share a message count one each). */
  size(): number {
    let n = 0;
    for (const list of this.byChannel.values()) n += list.length;
    return n;
  }

  /** Something changed (connected, joined, standing): try to send now. */
  kick(): void {
    if (this.stopped || this.pumping) return;
    void this.pump();
  }

  /** The bot left the channel: what waits for it can never be sent. */
  dropChannel(channel: string, reason: string): void {
    const list = this.byChannel.get(channel);
    if (!list) return;
    this.byChannel.delete(channel);
    this.turn = this.turn.filter((c) => c !== channel);
    for (const item of list) item.reject(new ChatNotReadyError(channel, reason));
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const list of this.byChannel.values()) {
      for (const item of list) item.reject(new ChatStoppedError());
    }
    this.byChannel.clear();
    this.turn = [];
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    try {
      while (!this.stopped && this.turn.length > 0 && this.deps.connected()) {
        const now = Date.now();
        let earliest = Infinity;
        let chosen: string | undefined;
        for (const channel of this.turn) {
          const standing = this.deps.standing(channel);
          // Not joined: a join (or a reconnect) kicks the queue again.
          if (!standing.joined) continue;
          const wait = this.waitMs(channel, standing, now);
          if (wait === 0) {
            chosen = channel;
            break;
          }
          earliest = Math.min(earliest, now + wait);
        }
        if (chosen === undefined) {
          if (earliest !== Infinity) {
            this.timer = setTimeout(() => this.kick(), Math.max(1, earliest - now));
          }
          return;
        }
        const ok = await this.sendHead(chosen, now);
        if (!ok) return;
      }
    } finally {
      this.pumping = false;
    }
  }

  /** Sends the oldest message of the channel; false when the connection refused it. */
  private async sendHead(channel: string, now: number): Promise<boolean> {
    const list = this.byChannel.get(channel);
    const item = list?.[0];
    if (!list || !item) {
      // Nothing to send after all: out of the line, or the pump would pick it forever.
      this.turn = this.turn.filter((c) => c !== channel);
      return true;
    }
    const planned = item.kind === 'text' ? plainMessage(item) : this.answerMessage(list, item, now);
    const text = this.avoidDuplicate(channel, safeStart(planned.text), now);
    const tag = planned.parentMessageId
      ? `@reply-parent-msg-id=${planned.parentMessageId.replace(/[^A-Za-z0-9-]/g, '')} `
      : '';
    try {
      await this.deps.transmit(`${tag}PRIVMSG #${channel} :${text}`);
    } catch (err) {
      // The socket closed under us: the message stays first in line for the reconnect.
      this.deps.log.debug({ err: String(err), channel }, 'twitch chat send deferred');
      return false;
    }
    this.sent.record(now);
    this.last.set(channel, { at: now, text });
    this.deps.onSent?.(channel, text);
    // Dropped or stopped while it was on the wire: its items were already rejected.
    if (this.byChannel.get(channel) !== list) return true;
    const done = planned.commit();
    if (planned.answer) {
      this.noteAnswerSent(channel, planned.answer.key, now, planned.answer.leftover);
    }
    // New items may have joined the list meanwhile; they stay, in order.
    const remaining = list.filter((i) => !done.has(i));
    // The channel goes to the back of the line, or leaves it when it has nothing more.
    this.turn = this.turn.filter((c) => c !== channel);
    if (remaining.length > 0) {
      this.byChannel.set(channel, remaining);
      this.turn.push(channel);
    } else {
      this.byChannel.delete(channel);
    }
    for (const d of done) d.resolve();
    return true;
  }

  /** The next message for the head answer and every waiting answer of the same key. */
  private answerMessage(list: Outgoing[], head: AnswerOutgoing, now: number): Planned {
    const key = head.answer.key;
    const group = list.filter(
      (i): i is AnswerOutgoing => i.kind === 'answer' && i.answer.key === key,
    );
    const before = this.recentAnswer(head.channel, key, now);
    const message = nextAnswerMessage(
      group.map((g) => g.answer),
      { last: (before?.count ?? 0) + 1 >= this.maxPerAnswer },
    );
    const answer = { key, leftover: false };
    const planned: Planned = {
      text: message.text,
      answer,
      // Only the items planned for: answers that arrived while it was on the wire wait.
      commit: () => {
        const done = new Set<Outgoing>();
        for (const g of group) {
          g.answer.to = g.answer.to.filter((p) => !message.answered.has(p.id));
          if (g.answer.to.length === 0) done.add(g);
          else answer.leftover = true;
        }
        return done;
      },
    };
    if (message.parentMessageId) planned.parentMessageId = message.parentMessageId;
    return planned;
  }

  private recentAnswer(channel: string, key: string, now: number): AnswerSent | undefined {
    const entry = this.answersSent.get(answerId(channel, key));
    return entry && now - entry.at < this.deps.limits.messageWindowMs ? entry : undefined;
  }

  private noteAnswerSent(channel: string, key: string, now: number, leftover: boolean): void {
    const before = this.recentAnswer(channel, key, now);
    for (const [id, entry] of this.answersSent) {
      if (now - entry.at >= this.deps.limits.messageWindowMs) this.answersSent.delete(id);
    }
    const count = (before?.count ?? 0) + 1;
    this.answersSent.set(answerId(channel, key), { at: now, count, leftover });
  }

  private waitMs(channel: string, standing: ChannelStanding, now: number): number {
    const { limits } = this.deps;
    const limit = standing.moderator ? limits.moderatorLimit : limits.normalLimit;
    let wait = this.sent.waitMs(limit, now);
    const last = this.last.get(channel);
    if (!standing.privileged && last) {
      wait = Math.max(wait, last.at + limits.channelSpacingMs + limits.marginMs - now);
    }
    const head = this.byChannel.get(channel)?.[0];
    if (head?.kind === 'answer') {
      // Where nothing else spaces messages (moderator, VIP, a verified bot's budget), this
      // is what lets a burst of late requesters gather instead of leaving one by one. Names
      // already waiting from the previous message have gathered: they need no hold.
      const before = this.recentAnswer(channel, head.answer.key, now);
      if (before && !before.leftover) wait = Math.max(wait, before.at + this.holdMs - now);
    }
    return Math.max(0, wait);
  }

  private avoidDuplicate(channel: string, text: string, now: number): string {
    const last = this.last.get(channel);
    const { duplicateWindowMs, marginMs } = this.deps.limits;
    if (!last || last.text !== text || now - last.at >= duplicateWindowMs + marginMs) return text;
    return `${text}${DUPLICATE_SUFFIX}`;
  }
}

/** The last word on what leaves: whatever built the text, it never runs as a chat command. */
function safeStart(text: string): string {
  const guarded = guardCommand(text);
  return guarded === text ? text : truncate(guarded, CONTENT_BUDGET);
}

function plainMessage(item: TextOutgoing): Planned {
  const planned: Planned = { text: item.text, commit: () => new Set([item]) };
  if (item.parentMessageId) planned.parentMessageId = item.parentMessageId;
  return planned;
}

function answerId(channel: string, key: string): string {
  return `${channel}\n${key}`;
}
