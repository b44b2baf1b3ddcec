import { randomUUID } from 'node:crypto';
import { channelLogin, formatLine } from './irc.js';
import { MODE_CHANGE, type Notice } from './notices.js';
import { applyModes, type RoomModes, type RoomModesChange } from './room-modes.js';
import { sharedChatTags, roomstateTags, type ChatterMessage } from './tags.js';
import {
  noticeLine,
  SERVER,
  type BotMessage,
  type Conn,
  type TokenValidator,
  type ChannelSetup,
} from './chat-types.js';
import { ChatIrcServer } from './irc-server.js';
import { giftLines, raidLine, type NoticeUser } from './user-notices.js';

export type {
  BotMessage,
  ChannelSetup,
  ChatStandInOptions,
  RejectedMessage,
  TokenValidator,
} from './chat-types.js';

/**
 * A local Twitch chat (IRC over WebSocket) that tmi.js 1.8.5 accepts as the real one. Tests
 * and the demo speak through it as viewers, moderators and the broadcaster, read what the bot
 * sent, and check that the bot kept to Twitch's sending and joining limits.
 */
export class TwitchChatStandIn extends ChatIrcServer {
  /** Replaces the default, which accepts any non-empty token as the account named by NICK. */
  setTokenValidator(validator: TokenValidator | undefined): void {
    this.validator = validator;
  }

  /** Declares a channel (room id, the bot's standing). Changes reach joined bots at once. */
  setChannel(login: string, setup: ChannelSetup): void {
    const channel = this.channel(login);
    if (setup.roomId !== undefined) channel.roomId = setup.roomId;
    if (setup.botIsModerator !== undefined) channel.botIsModerator = setup.botIsModerator;
    if (setup.botIsVip !== undefined) channel.botIsVip = setup.botIsVip;
    if (setup.botIsSubscriber !== undefined) channel.botIsSubscriber = setup.botIsSubscriber;
    if (setup.botFollowedAt !== undefined) channel.botFollowedAt = setup.botFollowedAt ?? undefined;
    if (setup.botBanned !== undefined) channel.botBanned = setup.botBanned;
    if (setup.botTimedOutUntil !== undefined) {
      channel.botTimedOutUntil = setup.botTimedOutUntil ?? undefined;
    }
    if (setup.botNeedsVerifiedEmail !== undefined) {
      channel.botNeedsVerifiedEmail = setup.botNeedsVerifiedEmail;
    }
    if (setup.refuseJoin !== undefined) channel.refuseJoin = setup.refuseJoin ?? undefined;
    const badgesChanged =
      setup.botIsModerator !== undefined ||
      setup.botIsVip !== undefined ||
      setup.botIsSubscriber !== undefined;
    if (!badgesChanged) return;
    for (const conn of channel.members) if (!conn.anonymous) this.sendUserstate(conn, channel);
  }

  /**
   * Changes a room's chat modes, as a moderator's /slow, /followers, /subscribers,
   * /emoteonly or /uniquechat would: everyone in the room gets a ROOMSTATE carrying only
   * what changed, and the NOTICE announcing it. Joins from now on see every mode.
   */
  setRoomState(channel: string, change: RoomModesChange): void {
    const room = this.channel(channelLogin(channel));
    const changed = applyModes(room.modes, change);
    if (changed.size === 0) return;
    const lines = [
      formatLine({
        tags: roomstateTags(room.roomId, room.modes, changed),
        prefix: SERVER,
        command: 'ROOMSTATE',
        params: [`#${room.login}`],
      }),
    ];
    const m = room.modes;
    const notices: Notice[] = [];
    if (changed.has('slow')) notices.push(MODE_CHANGE.slow(m.slow));
    if (changed.has('followersOnly')) notices.push(MODE_CHANGE.followersOnly(m.followersOnly));
    if (changed.has('subsOnly')) notices.push(MODE_CHANGE.subsOnly(m.subsOnly));
    if (changed.has('emoteOnly')) notices.push(MODE_CHANGE.emoteOnly(m.emoteOnly));
    if (changed.has('r9k')) notices.push(MODE_CHANGE.r9k(m.r9k));
    for (const n of notices) lines.push(noticeLine(room.login, n));
    for (const conn of room.members) this.send(conn, lines);
  }

  /** A room's chat modes now. */
  roomState(channel: string): RoomModes {
    return { ...this.channel(channelLogin(channel)).modes };
  }

  /** Fixes a user's id (the bot's, or a chatter's) to match what the Helix stand-in says. */
  setUserId(login: string, userId: string): void {
    this.userIds.set(login.toLowerCase(), userId);
  }

  /**
   * A chatter's message, delivered to every connection in the channel. Returns its id. In a
   * Shared Chat session every channel of the session gets a copy of its own (own id, own
   * room-id, the chatter's badges there) carrying the origin's source-* tags.
   */
  say(channel: string, msg: ChatterMessage): string {
    const room = this.channel(channelLogin(channel));
    const id = msg.id ?? randomUUID();
    const partners = this.sessions.get(room.login);
    if (!partners) {
      this.deliver(room, this.privmsgLine(room, { ...msg, id }).line, msg.text);
      return id;
    }
    const role = msg.role ?? 'viewer';
    const userId =
      msg.userId ?? (role === 'broadcaster' ? room.roomId : this.userIdOf(msg.login.toLowerCase()));
    const source = sharedChatTags({
      roomId: room.roomId,
      messageId: id,
      role,
      ...(msg.months !== undefined ? { months: msg.months } : {}),
    });
    for (const login of partners) {
      const target = this.channel(login);
      const copy: ChatterMessage =
        target === room
          ? { ...msg, id, userId, tags: { ...source, ...msg.tags } }
          : {
              ...msg,
              id: randomUUID(),
              userId,
              role: msg.partnerRoles?.[login] ?? 'viewer',
              tags: { ...source, ...msg.tags },
            };
      this.deliver(target, this.privmsgLine(target, copy).line, msg.text);
    }
    return id;
  }

  /**
   * Starts a Shared Chat session between the channels (up to six on Twitch): from now on a
   * chatter's message in one of them reaches all of them.
   */
  startSharedChat(channels: string[]): void {
    const logins = channels.map(channelLogin);
    for (const login of logins) this.sessions.set(login, logins);
  }

  endSharedChat(channel: string): void {
    for (const login of this.sessions.get(channelLogin(channel)) ?? []) this.sessions.delete(login);
  }

  /**
   * One raw line exactly as given (a line captured from real Twitch, say), to every
   * connection in the channel, or to every connection when no channel is named.
   */
  sendRaw(line: string, channel?: string): void {
    const conns = channel
      ? (this.channels.get(channelLogin(channel))?.members ?? new Set<Conn>())
      : this.conns;
    for (const conn of conns) this.send(conn, line);
  }

  /** A raid arrives: the USERNOTICE (msg-id=raid) Twitch sends the raided channel. */
  raid(channel: string, raider: NoticeUser, viewers = 10): void {
    const room = this.channel(channelLogin(channel));
    const line = raidLine(room, this.noticeUser(raider), viewers, Date.now());
    for (const conn of room.members) this.send(conn, line);
  }

  /**
   * Gifted subs: many gifters at once, each to their recipients (one: a `subgift`; more: a
   * community gift, `submysterygift` then a `subgift` each), in one WebSocket frame.
   */
  giftSubs(channel: string, gifts: readonly { gifter: NoticeUser; recipients: string[] }[]): void {
    const room = this.channel(channelLogin(channel));
    const now = Date.now();
    const lines = gifts.flatMap((g) =>
      giftLines(
        room,
        this.noticeUser(g.gifter),
        g.recipients.map((login) => this.noticeUser({ login })),
        now,
      ),
    );
    for (const conn of room.members) this.send(conn, lines);
  }

  private noticeUser(u: NoticeUser): Required<NoticeUser> {
    const login = u.login.toLowerCase();
    return {
      login,
      displayName: u.displayName ?? u.login,
      userId: u.userId ?? this.userIdOf(login),
    };
  }

  /**
   * Many chatters' messages at once, written to each connection as one WebSocket frame (as
   * Twitch batches lines under load): for floods whose writer must outpace the reader.
   * Returns the ids in order.
   */
  sayMany(messages: readonly { channel: string; msg: ChatterMessage }[]): string[] {
    const frames = new Map<Conn, string[]>();
    const ids = messages.map(({ channel, msg }) => {
      const room = this.channel(channelLogin(channel));
      const { id, line } = this.privmsgLine(room, msg);
      this.remember(room, msg.text, Date.now());
      for (const conn of room.members) {
        if (!this.hears(conn)) continue;
        const lines = frames.get(conn);
        if (lines) lines.push(line);
        else frames.set(conn, [line]);
      }
      return id;
    });
    for (const [conn, lines] of frames) this.send(conn, lines);
    return ids;
  }

  /**
   * Chatters' lines (say, sayMany) stop reaching, or reach again, the connections logged in
   * as `login`; everything else (joins, notices, PONGs) still does. For the benchmark: two
   * bots joined to the same channels take turns at reading the same flood.
   */
  deafen(login: string, deaf = true): void {
    if (deaf) this.deaf.add(login.toLowerCase());
    else this.deaf.delete(login.toLowerCase());
  }

  /** Whether a logged-in (not anonymous) connection (of `login`, if given) is in the channel. */
  joined(channel: string, login?: string): boolean {
    const room = this.channels.get(channelLogin(channel));
    if (!room) return false;
    for (const conn of room.members)
      if (!conn.anonymous && (login === undefined || conn.login === login.toLowerCase()))
        return true;
    return false;
  }

  joinedChannels(): string[] {
    return [...this.channels.values()].filter((c) => this.joined(c.login)).map((c) => c.login);
  }

  connectionCount(): number {
    return this.conns.size;
  }

  /** Cuts every connection without a word, like a network failure. */
  dropConnections(): void {
    for (const conn of this.conns) conn.ws.terminate();
  }

  /** Asks every client to reconnect; those still connected after the grace period are cut. */
  sendReconnect(): void {
    const conns = [...this.conns];
    for (const conn of conns) this.send(conn, formatLine({ prefix: SERVER, command: 'RECONNECT' }));
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      for (const conn of conns) if (this.conns.has(conn)) conn.ws.terminate();
    }, this.reconnectGraceMs);
    this.timers.add(timer);
  }

  /** Resolves with the first bot message (already sent or to come) that matches. */
  waitForMessage(
    match: (m: BotMessage) => boolean,
    opts: { timeoutMs?: number; after?: number } = {},
  ): Promise<BotMessage> {
    const after = opts.after ?? 0;
    const found = this.sent.find((m) => m.at >= after && match(m));
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const onMessage = (m: BotMessage): void => {
        if (m.at < after || !match(m)) return;
        cleanup();
        resolve(m);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error('chat stand-in: no matching bot message in time'));
      }, opts.timeoutMs ?? 5_000);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.events.off('bot-message', onMessage);
      };
      this.events.on('bot-message', onMessage);
    });
  }
}
