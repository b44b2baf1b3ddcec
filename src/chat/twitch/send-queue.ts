import { UndeliverableError } from '../../replies/delivery-errors.js';
import { nextAnswerMessage, type Answer } from './answer-merge.js';
import { ChatNotReadyError, ChatRefusedError, ChatStoppedError } from './errors.js';
import type { Rejection } from './rejections.js';
import { SendPacing } from './send-pacing.js';
import {
  SEND_QUEUE_DEFAULTS,
  type AnswerOutgoing,
  type Outgoing,
  type Planned,
  type SendQueueDeps,
  type TextOutgoing,
  type Waiter,
} from './send-queue-types.js';
import { CONTENT_BUDGET, guardCommand, truncate } from './text.js';
import type { Verdict } from './verdicts.js';

export {
  SEND_QUEUE_DEFAULTS,
  type ChannelStanding,
  type SendQueueDeps,
} from './send-queue-types.js';

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
  private readonly pacing: SendPacing;
  private readonly retryMs: number;
  private readonly maxRefusals: number;
  private readonly maxPerAnswer: number;
  private timer: NodeJS.Timeout | undefined;
  private pumping = false;
  private stopped = false;

  constructor(private readonly deps: SendQueueDeps) {
    const holdMs = Math.max(0, deps.answerHoldMs ?? SEND_QUEUE_DEFAULTS.answerHoldMs);
    this.pacing = new SendPacing(deps.limits, holdMs);
    this.maxPerAnswer = Math.max(
      1,
      deps.maxMessagesPerAnswer ?? SEND_QUEUE_DEFAULTS.maxMessagesPerAnswer,
    );
    this.retryMs = Math.max(0, deps.retryAfterRefusalMs ?? SEND_QUEUE_DEFAULTS.retryAfterRefusalMs);
    this.maxRefusals = Math.max(1, deps.maxRefusals ?? SEND_QUEUE_DEFAULTS.maxRefusals);
  }

  /** Resolves once Twitch has shown the message (or, without verdicts, once it has left). */
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
  sendAnswer(channel: string, answer: Answer, beforeWrite?: () => Promise<void>): Promise<void> {
    // Copied: the queue takes names off it as they are sent.
    const own: Answer = { key: answer.key, body: answer.body, to: [...answer.to] };
    return this.enqueue(channel, (waiter) => ({
      ...waiter,
      kind: 'answer',
      answer: own,
      ...(beforeWrite ? { beforeWrite } : {}),
    }));
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
    this.failChannel(channel, new ChatNotReadyError(channel, reason));
  }

  /** Everything waiting for the channel fails with `err`. */
  failChannel(channel: string, err: Error): void {
    const list = this.byChannel.get(channel);
    if (!list) return;
    this.byChannel.delete(channel);
    this.turn = this.turn.filter((c) => c !== channel);
    for (const item of list) item.reject(err);
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
          // Its last message still waits for Twitch's answer, which kicks the queue.
          if (this.deps.verdicts?.waitingIn(channel)) continue;
          const refusal = this.deps.refusal?.(channel);
          if (refusal) {
            this.failChannel(channel, new UndeliverableError(refusal.message, refusal.reason));
            continue;
          }
          const wait = this.pacing.waitMs(channel, standing, this.byChannel.get(channel)?.[0], now);
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
    const text = this.pacing.avoidRepeat(channel, safeStart(planned.text), now);
    const tag = planned.parentMessageId
      ? `@reply-parent-msg-id=${planned.parentMessageId.replace(/[^A-Za-z0-9-]/g, '')} `
      : '';
    // Before the verdict is expected, so nothing arriving meanwhile is taken for it. Marked
    // before the write: a process killed just after it would leave no mark. A mark and no line
    // (killed in between) is an answer lost, which "no viewer gets two answers" prefers.
    const marking = planned.items.flatMap((it) => (it.beforeWrite ? [it.beforeWrite()] : []));
    // Only then awaited: a line with nothing to mark leaves in the same tick.
    if (marking.length > 0) await Promise.all(marking);
    const verdicts = this.deps.verdicts;
    const last = { at: now, text };
    // Set once the line is written.
    let counted: ((at: number) => void) | undefined = undefined;
    let early: { verdict: Verdict; at: number } | undefined;
    /** Applies Twitch's answer to the written line, that came `at`. */
    const answered = (verdict: Verdict, at: number): void => {
      // Twitch counted the line when it arrived, no later than its answer: the limits and
      // the spacing count from there, so a line held up on the way (longer than the margin)
      // cannot bring the next one too close to it. Lost: it may never have arrived.
      if (verdict.kind !== 'lost') {
        counted?.(at);
        last.at = Math.max(last.at, at);
      }
      this.settle(channel, list, planned, text, now, verdict);
    };
    // Registered before the write. Its answer is applied the moment it comes (a verdict
    // that came before the write's promise settled, once that has).
    verdicts?.expect(channel, (verdict) => {
      if (!counted) {
        early = { verdict, at: Date.now() };
        return;
      }
      answered(verdict, Date.now());
      this.kick();
    });
    try {
      await this.deps.transmit(`${tag}PRIVMSG #${channel} :${text}`);
    } catch (err) {
      verdicts?.lost(channel);
      // The socket closed under us: the message stays first in line for the reconnect.
      this.deps.log.debug({ err: String(err), channel }, 'twitch chat send deferred');
      return false;
    }
    counted = this.pacing.written(channel, now, last);
    if (!verdicts) answered({ kind: 'shown' }, now);
    else if (early) answered(early.verdict, early.at);
    return true;
  }

  /** Applies Twitch's answer to a message sent at `sentAt`. */
  private settle(
    channel: string,
    list: Outgoing[],
    planned: Planned,
    text: string,
    sentAt: number,
    verdict: Verdict,
  ): void {
    if (this.stopped) return;
    const shown = verdict.kind === 'shown' || verdict.kind === 'assumed';
    if (shown) {
      if (verdict.kind === 'assumed') {
        this.deps.log.debug({ channel }, 'twitch chat: no answer to a message; counted as shown');
      }
      this.pacing.shown(channel, sentAt, text);
      this.deps.onSent?.(channel, text);
    }
    // Dropped meanwhile: its items were already rejected.
    if (this.byChannel.get(channel) !== list) return;
    // Lost: shown or not, nobody can tell. It goes again after the reconnect: a repeat is
    // better than a lost answer.
    if (verdict.kind === 'lost') return;
    if (verdict.kind === 'refused') {
      this.refused(channel, list, planned, text, verdict.rejection);
      return;
    }
    const done = planned.commit();
    if (planned.answer) {
      this.pacing.answerSent(channel, planned.answer.key, sentAt, planned.answer.leftover);
    }
    this.remove(channel, list, done);
    for (const d of done) d.resolve();
  }

  /**
   * Twitch did not show the message. A passing reason (slow mode, too fast, a repeat): it
   * goes again later, as it will be then. For good: what it carried fails as undeliverable,
   * and with a channel-wide reason (ban, timeout, chat mode) everything waiting there.
   */
  private refused(
    channel: string,
    list: Outgoing[],
    planned: Planned,
    text: string,
    rejection: Rejection,
  ): void {
    const { msgId, reason, scope } = rejection;
    this.deps.log.info({ channel, msgId, reason }, 'twitch chat refused a message of the bot');
    const undeliverable = (): UndeliverableError =>
      new UndeliverableError(`Twitch refused the bot's message in #${channel} (${msgId})`, reason);
    if (scope === 'channel') {
      this.deps.onChannelRefused?.(channel, rejection);
      this.failChannel(channel, undeliverable());
      return;
    }
    if (scope === 'message') {
      const failed = new Set(planned.items);
      this.remove(channel, list, failed);
      for (const f of failed) f.reject(undeliverable());
      return;
    }
    if (rejection.repeat) this.pacing.refusedAsRepeat(channel, text);
    const failed = new Set<Outgoing>();
    let most = 0;
    for (const item of planned.items) {
      item.refusals = (item.refusals ?? 0) + 1;
      most = Math.max(most, item.refusals);
      if (item.refusals >= this.maxRefusals) failed.add(item);
    }
    // A repeat only needs other words; the spacing from `last` still applies.
    const wait = rejection.forMs ?? (rejection.repeat ? 0 : this.retryMs * 2 ** (most - 1));
    this.pacing.notBefore(channel, Date.now() + wait + this.deps.limits.marginMs);
    if (failed.size === 0) return;
    this.remove(channel, list, failed);
    for (const f of failed) f.reject(new ChatRefusedError(channel, msgId, f.refusals ?? 0));
  }

  /** Takes items off the channel's list; the channel goes to the back of the line. */
  private remove(channel: string, list: Outgoing[], gone: ReadonlySet<Outgoing>): void {
    // New items may have joined the list meanwhile; they stay, in order.
    const remaining = list.filter((i) => !gone.has(i));
    this.turn = this.turn.filter((c) => c !== channel);
    if (remaining.length > 0) {
      this.byChannel.set(channel, remaining);
      this.turn.push(channel);
    } else {
      this.byChannel.delete(channel);
    }
  }

  /** The next message for the head answer and every waiting answer of the same key. */
  private answerMessage(list: Outgoing[], head: AnswerOutgoing, now: number): Planned {
    const key = head.answer.key;
    const group = list.filter(
      (i): i is AnswerOutgoing => i.kind === 'answer' && i.answer.key === key,
    );
    const before = this.pacing.recentAnswer(head.channel, key, now);
    const message = nextAnswerMessage(
      group.map((g) => g.answer),
      { last: (before?.count ?? 0) + 1 >= this.maxPerAnswer },
    );
    const answer = { key, leftover: false };
    const planned: Planned = {
      text: message.text,
      items: group,
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
}

/** The last word on what leaves: whatever built the text, it never runs as a chat command. */
function safeStart(text: string): string {
  const guarded = guardCommand(text);
  return guarded === text ? text : truncate(guarded, CONTENT_BUDGET);
}

function plainMessage(item: TextOutgoing): Planned {
  const planned: Planned = { text: item.text, items: [item], commit: () => new Set([item]) };
  if (item.parentMessageId) planned.parentMessageId = item.parentMessageId;
  return planned;
}
