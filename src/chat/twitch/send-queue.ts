import type { Logger } from 'pino';
import { ChatNotReadyError, ChatStoppedError } from './errors.js';
import { RateWindow, type TwitchChatLimits } from './limits.js';
import { DUPLICATE_SUFFIX } from './text.js';

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
}

interface Outgoing {
  channel: string;
  text: string;
  parentMessageId?: string;
  resolve(): void;
  reject(err: Error): void;
}

/**
 * The one outgoing queue of the process. Every message waits here until Twitch's limits let
 * it go: nothing is dropped, nothing is sent early. Channels take turns, so one busy channel
 * cannot starve the others.
 */
export class SendQueue {
  private readonly byChannel = new Map<string, Outgoing[]>();
  /** Channels with messages waiting, in turn order. */
  private turn: string[] = [];
  private readonly sent: RateWindow;
  private readonly last = new Map<string, { at: number; text: string }>();
  private timer: NodeJS.Timeout | undefined;
  private pumping = false;
  private stopped = false;

  constructor(private readonly deps: SendQueueDeps) {
    this.sent = new RateWindow(deps.limits.messageWindowMs, deps.limits.marginMs);
  }

  /** Resolves once the message has left for Twitch. */
  send(channel: string, text: string, parentMessageId?: string): Promise<void> {
    if (this.stopped) return Promise.reject(new ChatStoppedError());
    return new Promise((resolve, reject) => {
      const item: Outgoing = { channel, text, resolve, reject };
      if (parentMessageId) item.parentMessageId = parentMessageId;
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

  /** How many messages wait. */
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
    if (!list || !item) return true;
    const text = this.avoidDuplicate(channel, item.text, now);
    const tag = item.parentMessageId
      ? `@reply-parent-msg-id=${item.parentMessageId.replace(/[^A-Za-z0-9-]/g, '')} `
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
    list.shift();
    // The channel goes to the back of the line, or leaves it when it has nothing more.
    this.turn = this.turn.filter((c) => c !== channel);
    if (list.length > 0) this.turn.push(channel);
    else this.byChannel.delete(channel);
    this.deps.onSent?.(channel, text);
    item.resolve();
    return true;
  }

  private waitMs(channel: string, standing: ChannelStanding, now: number): number {
    const { limits } = this.deps;
    const limit = standing.moderator ? limits.moderatorLimit : limits.normalLimit;
    let wait = this.sent.waitMs(limit, now);
    const last = this.last.get(channel);
    if (!standing.privileged && last) {
      wait = Math.max(wait, last.at + limits.channelSpacingMs + limits.marginMs - now);
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
