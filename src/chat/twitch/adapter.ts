import type { Logger } from 'pino';
import type { RichReply } from '../../core/command.js';
import { UndeliverableError } from '../../replies/delivery-errors.js';
import {
  saidInChat,
  type ReplyEnvelope,
  type ReplySender,
  type ReplyTarget,
} from '../../core/clip.js';
import { TWITCH_CHAT_DEFAULTS, type TwitchChatAdapterOptions } from './adapter-options.js';
import { addressees, autoClipLead, requestsByChannel } from './answer-addressees.js';
import { AutoClipFeed } from './autoclip-feed.js';
import { TwitchChatConnection, type BotStanding } from './connection.js';
import { ChatNotReadyError } from './errors.js';
import { resultBody } from './format.js';
import { withoutCheermotes } from './cheer.js';
import { isPartnerCopy, toIncomingCommand, type MessageTags } from './incoming.js';
import { JoinQueue } from './join-queue.js';
import { TWITCH_LIMITS, type TwitchChatLimits } from './limits.js';
import { readRejection } from './rejections.js';
import { ChannelRestrictions, type Refusal } from './restrictions.js';
import { readRoomState } from './room-state.js';
import { SendQueue, type ChannelStanding, type SendQueueDeps } from './send-queue.js';
import { outgoingMessages, sanitizeOutgoing } from './text.js';
import { Verdicts } from './verdicts.js';

export { TWITCH_CHAT_DEFAULTS, type TwitchChatAdapterOptions } from './adapter-options.js';

const NOT_STANDING: ChannelStanding = { joined: false, moderator: false, privileged: false };

/**
 * Twitch chat over tmi.js: turns chat lines into commands for the router, and sends every
 * answer through one queue that keeps Twitch's limits.
 */
export class TwitchChatAdapter implements ReplySender {
  readonly platform = 'twitch' as const;

  private readonly log: Logger;
  private readonly botLogin: string;
  private readonly prefix: string;
  private readonly connection: TwitchChatConnection;
  private readonly joins: JoinQueue;
  private readonly queue: SendQueue;
  private readonly standings = new Map<string, BotStanding>();
  private readonly verdicts: Verdicts;
  private readonly restrictions: ChannelRestrictions;
  private readonly displayNames = new Map<string, string>();
  private readonly autoclip: AutoClipFeed | undefined;
  private unsubscribe: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly opts: TwitchChatAdapterOptions) {
    this.log = opts.log.child({ component: 'twitch-chat' });
    this.botLogin = opts.botLogin.toLowerCase();
    this.prefix = opts.commandPrefix ?? TWITCH_CHAT_DEFAULTS.commandPrefix;
    const limits: TwitchChatLimits = { ...TWITCH_LIMITS, ...opts.limits };
    this.autoclip = opts.autoclip && new AutoClipFeed(opts.autoclip, this.botLogin);
    this.verdicts = new Verdicts(opts.confirmWindowMs ?? TWITCH_CHAT_DEFAULTS.confirmWindowMs);
    this.restrictions = new ChannelRestrictions(
      opts.refusalHoldMs ?? TWITCH_CHAT_DEFAULTS.refusalHoldMs,
    );
    this.connection = new TwitchChatConnection(
      {
        chatUrl: opts.chatUrl,
        botLogin: this.botLogin,
        getToken: opts.getToken,
        log: this.log,
        reconnect: opts.reconnect ?? TWITCH_CHAT_DEFAULTS.reconnect,
        reconnectIntervalMs: opts.reconnectIntervalMs ?? TWITCH_CHAT_DEFAULTS.reconnectIntervalMs,
        maxReconnectIntervalMs:
          opts.maxReconnectIntervalMs ?? TWITCH_CHAT_DEFAULTS.maxReconnectIntervalMs,
        authRetryMs: opts.authRetryMs ?? TWITCH_CHAT_DEFAULTS.authRetryMs,
        pingTimeoutMs: opts.pingTimeoutMs ?? TWITCH_CHAT_DEFAULTS.pingTimeoutMs,
      },
      {
        onConnected: () => this.onConnected(),
        onDisconnected: () => {
          this.standings.clear();
          this.restrictions.forgetRooms();
          this.verdicts.lost();
          this.joins.onDisconnected();
        },
        onJoin: (channel) => {
          this.joins.markJoined(channel);
          this.queue.kick();
        },
        onPart: (channel) => {
          this.autoclip?.parted(channel);
          this.restrictions.forgetRoom(channel);
          this.joins.markParted(channel);
        },
        onStanding: (channel, standing) => {
          this.standings.set(channel, standing);
          this.verdicts.shown(channel);
          this.queue.kick();
        },
        onRoomState: (channel, tags) => {
          this.autoclip?.roomState(channel, tags);
          this.restrictions.updateRoom(channel, readRoomState(tags));
          this.queue.kick();
        },
        onNotice: (channel, msgId, text) => this.onNotice(channel, msgId, text),
        onChat: (channel, tags, text) => {
          this.autoclip?.message(tags, text);
          this.onChat(channel, tags, text);
        },
        onUserNotice: (_channel, tags, text) => this.autoclip?.userNotice(tags, text),
      },
    );
    this.joins = new JoinQueue({
      limits,
      join: (channel) => this.connection.join(channel),
      part: (channel) => this.connection.part(channel),
      log: this.log,
      // Nothing waiting for that channel can ever be sent on this connection; it is tried
      // again on the next connection or when the channel is added again, never in a loop.
      onRefused: (channel, reason) => {
        this.opts.metrics?.chatJoinsRefused.inc({ platform: 'twitch', reason });
        this.queue.dropChannel(channel, `join refused: ${reason}`);
      },
    });
    const tuning: Pick<
      SendQueueDeps,
      'answerHoldMs' | 'maxMessagesPerAnswer' | 'retryAfterRefusalMs' | 'maxRefusals'
    > = {};
    if (opts.answerHoldMs !== undefined) tuning.answerHoldMs = opts.answerHoldMs;
    if (opts.maxMessagesPerAnswer !== undefined)
      tuning.maxMessagesPerAnswer = opts.maxMessagesPerAnswer;
    if (opts.retryAfterRefusalMs !== undefined)
      tuning.retryAfterRefusalMs = opts.retryAfterRefusalMs;
    if (opts.maxRefusals !== undefined) tuning.maxRefusals = opts.maxRefusals;
    this.queue = new SendQueue({
      ...tuning,
      limits,
      log: this.log,
      connected: () => this.connection.isConnected(),
      standing: (channel) => this.standing(channel),
      transmit: (line) => this.connection.raw(line),
      onSent: () => this.opts.metrics?.chatMessagesSent.inc({ platform: 'twitch' }),
      verdicts: this.verdicts,
      refusal: (channel) => this.refusal(channel),
      onChannelRefused: (channel, rejection) =>
        this.restrictions.block(channel, rejection, Date.now()),
    });
  }

  /** Loads the channel list, follows its changes and starts connecting (does not wait). */
  async start(): Promise<void> {
    this.unsubscribe = this.opts.channels.onChange((change) => {
      const login = change.login.toLowerCase();
      if (change.op === 'add') this.joins.want(login);
      else this.leave(login);
    });
    this.joins.setWanted((await this.opts.channels.list()).map((l) => l.toLowerCase()));
    this.connection.start();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribe?.();
    this.joins.stop();
    this.queue.stop();
    this.verdicts.lost();
    await this.connection.stop();
  }

  isConnected(): boolean {
    return this.connection.isConnected();
  }

  joinedChannels(): string[] {
    return this.joins.joinedChannels();
  }

  /** Channels Twitch would not let the bot join (suspended, bot banned), with the msg-id. */
  refusedChannels(): { channel: string; reason: string }[] {
    return this.joins.refusedChannels();
  }

  /** Messages waiting for Twitch's limits (for /metrics or /healthz). */
  queuedMessages(): number {
    return this.queue.size();
  }

  /** Connected; and, when a channel is named, joined to it. */
  ready(channel?: string): boolean {
    if (!this.connection.isConnected()) return false;
    return channel === undefined || this.joins.isJoined(channel.toLowerCase());
  }

  /**
   * The token changed. The next login uses it in any case; a connection that is down (for
   * instance after a refused token) logs in again now. `force` also replaces a live
   * connection, which costs rejoining every channel at Twitch's join rate.
   */
  async updateToken(opts: { force?: boolean } = {}): Promise<void> {
    await this.connection.relogin(opts.force ?? false);
  }

  /**
   * Per channel, a message naming every requester ("+N others" beyond what fits), threaded
   * under the first one's message. Answers of the same clip waiting in the queue (held back
   * by Twitch's limits) share one. Resolves when Twitch has shown every requester's answer
   * (its USERSTATE echo, or no refusal within confirmWindowMs).
   *
   * Throws UndeliverableError when it never will be: the bot is not and will not be in the
   * channel (removed from the channel list, Twitch refused the join), or Twitch refuses the
   * bot's messages there (banned, timed out, a chat mode it cannot meet: emote-only,
   * subscribers-only, followers-only). ChatNotReadyError (worth retrying) while
   * disconnected or the join is under way; ChatRefusedError (worth retrying) when Twitch
   * kept refusing it for passing reasons. `beforeWrite`: awaited before a line carrying it leaves.
   */
  async deliver(envelope: ReplyEnvelope, beforeWrite?: () => Promise<void>): Promise<void> {
    // A quiet automatic clip is only posted to Discord (a join after the clip ended lands here).
    const outcome = envelope.result.outcome;
    const groups = requestsByChannel(envelope.requests.filter((r) => saidInChat(r, outcome)));
    for (const channel of groups.keys()) {
      this.undeliverableTo(channel);
      const refusal = this.refusal(channel);
      if (refusal) throw new UndeliverableError(refusal.message, refusal.reason);
      if (!this.ready(channel)) {
        throw new ChatNotReadyError(
          channel,
          this.connection.isConnected() ? 'join pending' : 'disconnected',
        );
      }
    }
    // Timed by the reply dispatcher (requestToAnswer), which sees this promise settle.
    await Promise.all(
      [...groups].map(async ([channel, requests]) => {
        const body = sanitizeOutgoing(autoClipLead(requests) + resultBody(envelope.result));
        // The same clip and the same words: only such answers may share a message.
        const key = `${envelope.result.jobId}\n${body}`;
        try {
          await this.queue.sendAnswer(
            channel,
            { key, body, to: addressees(requests, envelope.result) },
            beforeWrite,
          );
        } catch (err) {
          // Dropped from the queue because the channel went away while it waited.
          this.undeliverableTo(channel);
          throw err;
        }
      }),
    );
  }

  /** Throws UndeliverableError when nothing will ever be sent to the channel. */
  private undeliverableTo(channel: string): void {
    if (this.stopped) return;
    if (!this.joins.isWanted(channel)) {
      throw new UndeliverableError(`#${channel} is not in the channel list`, 'not_in_channel');
    }
    const refusal = this.joins.refusal(channel);
    if (refusal !== undefined) {
      throw new UndeliverableError(
        `Twitch refused to join #${channel} (${refusal})`,
        'join_refused',
      );
    }
  }

  /**
   * An immediate answer (IncomingCommand.reply): a threaded reply, split into messages of at
   * most 500 characters. Queued even while disconnected; rejected if the bot leaves the channel.
   */
  async reply(target: ReplyTarget, answer: string | RichReply): Promise<void> {
    if (target.platform !== 'twitch')
      throw new Error('TwitchChatAdapter.reply: not a Twitch target');
    const channel = target.channel.replace(/^#/, '').toLowerCase();
    // Nothing would ever send it: the bot is not meant to be there, or may not be.
    if (!this.joins.isWanted(channel)) throw new ChatNotReadyError(channel, 'not a joined channel');
    const refusal = this.joins.refusal(channel);
    if (refusal !== undefined) throw new ChatNotReadyError(channel, `join refused: ${refusal}`);
    const refused = this.refusal(channel);
    if (refused) throw new UndeliverableError(refused.message, refused.reason);
    const parts = outgoingMessages(typeof answer === 'string' ? answer : answer.text);
    await Promise.all(parts.map((part) => this.queue.send(channel, part, target.parentMessageId)));
  }

  private onConnected(): void {
    this.joins.onConnected();
    this.queue.kick();
    // Changes published while the connection (or Redis) was down are not replayed: resync.
    this.opts.channels.list().then(
      (list) => {
        if (!this.stopped) this.joins.setWanted(list.map((l) => l.toLowerCase()));
      },
      (err: unknown) =>
        this.log.warn({ err: String(err) }, 'twitch chat: could not reload channel list'),
    );
  }

  private leave(channel: string): void {
    this.joins.unwant(channel);
    this.queue.dropChannel(channel, 'channel removed');
  }

  private standing(channel: string): ChannelStanding {
    if (!this.joins.isJoined(channel)) return NOT_STANDING;
    const s = this.standings.get(channel);
    const broadcaster = channel === this.botLogin;
    const privileged = broadcaster || (s?.privileged ?? false);
    return {
      joined: true,
      moderator: broadcaster || (s?.moderator ?? false),
      privileged,
      slowMs: this.restrictions.slowMs(channel, { privileged, subscriber: false }),
    };
  }

  /** Why Twitch would not show anything the bot says in the channel now. */
  private refusal(channel: string): Refusal | undefined {
    const s = this.standings.get(channel);
    const privileged = channel === this.botLogin || (s?.privileged ?? false);
    return this.restrictions.refusal(
      channel,
      { privileged, subscriber: s?.subscriber ?? false },
      Date.now(),
    );
  }

  private onNotice(channel: string, msgId: string, text: string): void {
    const rejection = readRejection(msgId, text);
    if (!rejection) return;
    if (this.verdicts.refused(channel, rejection)) return;
    // No message waits for it (it came after the window): a refusal for good still says
    // what the next answers would meet.
    this.log.debug({ channel, msgId }, 'twitch chat: a refusal no waiting message matches');
    if (rejection.scope === 'channel') {
      this.restrictions.block(channel, rejection, Date.now());
      this.queue.kick();
    }
  }

  private onChat(channel: string, tags: MessageTags, rawText: string): void {
    if ((tags.username ?? '').toLowerCase() === this.botLogin) return;
    const text = tags.bits ? withoutCheermotes(rawText, Number(tags.bits)) : rawText;
    if (tags.badges?.broadcaster !== undefined && tags['display-name'] && !isPartnerCopy(tags)) {
      this.displayNames.set(channel, tags['display-name']);
    }
    const channelDisplayName = this.displayNames.get(channel);
    const input = toIncomingCommand(
      { channel, tags, text, receivedAt: Date.now() },
      {
        prefix: this.prefix,
        botLogin: this.botLogin,
        ...(channelDisplayName ? { channelDisplayName } : {}),
        reply: (target, answer) => this.reply(target, answer),
      },
    );
    if (!input) return;
    Promise.resolve()
      .then(() => this.opts.onCommand(input))
      .catch((err: unknown) => {
        this.log.error({ err, requestId: input.requestId, channel }, 'twitch chat command failed');
      });
  }
}
