import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { channelLogin, formatLine, parseLine, userPrefix, type IrcLine } from './irc.js';
import { MODE_CHANGE, REFUSAL, type Notice } from './notices.js';
import {
  applyModes,
  OPEN_ROOM,
  roomRefusal,
  type RoomModes,
  type RoomModesChange,
} from './room-modes.js';
import {
  ChatRules,
  shownText,
  TWITCH_CHAT_LIMITS,
  type BotStanding,
  type ChatStandInLimits,
  type ChatViolation,
} from './rules.js';
import {
  globalUserstateTags,
  privmsgTags,
  privmsgText,
  sharedChatTags,
  roomstateTags,
  userstateTags,
  type ChatterMessage,
} from './tags.js';

/** What the bot said, as the stand-in received it. */
export interface BotMessage {
  /** The bot account's login. */
  login: string;
  /** Channel login, without '#'. */
  channel: string;
  text: string;
  replyParentMsgId?: string;
  /** epoch ms */
  at: number;
}

/** A message of the bot the room did not show, and the NOTICE that said why. */
export interface RejectedMessage {
  login: string;
  channel: string;
  text: string;
  /** The NOTICE's msg-id, e.g. msg_slowmode. */
  msgId: string;
  notice: string;
  /** epoch ms */
  at: number;
}

export interface ChatStandInOptions {
  limits?: Partial<ChatStandInLimits>;
  /**
   * Send USERSTATE after each message of the bot the room showed, as Twitch does. Default
   * true; false plays a server that never confirms, for clients that must do without.
   */
  echoUserstate?: boolean;
  /** After RECONNECT, connections still open this long are closed (Twitch does the same). */
  reconnectGraceMs?: number;
  /** How many bot messages `sent` keeps (oldest go first). */
  journalLimit?: number;
}

/**
 * Resolves a chat token (without "oauth:"; tmi.js lowercases it) to the account's login, or
 * undefined when Twitch would refuse it.
 */
export type TokenValidator = (token: string) => string | undefined | Promise<string | undefined>;

export interface ChannelSetup {
  roomId?: string;
  botIsModerator?: boolean;
  botIsVip?: boolean;
  botIsSubscriber?: boolean;
  /** epoch ms since when the bot follows the channel; null: it does not (the default). */
  botFollowedAt?: number | null;
  /** Banned: every message of the bot is refused with msg_banned. */
  botBanned?: boolean;
  /** epoch ms until which the bot is timed out (msg_timedout); null lifts it. */
  botTimedOutUntil?: number | null;
  /** The channel requires a verified email, which the bot account lacks (msg_verified_email). */
  botNeedsVerifiedEmail?: boolean;
  /**
   * Twitch refuses the bot's JOIN with this NOTICE msg-id (msg_channel_suspended: the channel
   * is suspended or gone; msg_banned: the bot is banned there); null lets it in again.
   */
  refuseJoin?: 'msg_channel_suspended' | 'msg_banned' | null;
}

interface Channel {
  login: string;
  roomId: string;
  botIsModerator: boolean;
  botIsVip: boolean;
  botIsSubscriber: boolean;
  botFollowedAt?: number;
  botBanned: boolean;
  botTimedOutUntil?: number;
  botNeedsVerifiedEmail: boolean;
  refuseJoin?: 'msg_channel_suspended' | 'msg_banned';
  modes: RoomModes;
  /** Messages the room showed lately, for unique-chat mode. */
  recent: { at: number; text: string }[];
  members: Set<Conn>;
}

interface Conn {
  ws: WebSocket;
  pass?: string;
  /** Set once logged in. */
  login?: string;
  anonymous: boolean;
  channels: Set<string>;
}

const SERVER = 'tmi.twitch.tv';

/**
 * A local Twitch chat (IRC over WebSocket) that tmi.js 1.8.5 accepts as the real one. Tests
 * and the demo speak through it as viewers, moderators and the broadcaster, read what the bot
 * sent, and check that the bot kept to Twitch's sending and joining limits.
 */
export class TwitchChatStandIn {
  /** Every message the bot sent that Twitch would have shown. */
  readonly sent: BotMessage[] = [];
  /** Every message or join that broke one of Twitch's limits (dropped messages included). */
  readonly violations: ChatViolation[] = [];
  /** Every message of the bot refused with a NOTICE (chat modes, bans, limits). */
  readonly rejected: RejectedMessage[] = [];
  /**
   * 'bot-message' (BotMessage), 'join' / 'part' / 'join-refused' ({ login, channel }), 'violation'
   * (ChatViolation), 'rejected' (RejectedMessage), 'login' ({ login }), 'login-failed'
   * ({ nick }), 'disconnect' ({ login }).
   */
  readonly events = new EventEmitter();

  private readonly limits: ChatStandInLimits;
  private readonly rules: ChatRules;
  private readonly reconnectGraceMs: number;
  private readonly journalLimit: number;
  private readonly echoUserstate: boolean;
  private readonly channels = new Map<string, Channel>();
  private readonly conns = new Set<Conn>();
  private readonly userIds = new Map<string, string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Shared Chat: each channel of a session -> every channel of it. */
  private readonly sessions = new Map<string, string[]>();
  private validator: TokenValidator | undefined;
  private server: WebSocketServer | undefined;
  private nextId = 100_000;

  constructor(opts: ChatStandInOptions = {}) {
    this.limits = { ...TWITCH_CHAT_LIMITS, ...opts.limits };
    this.rules = new ChatRules(this.limits);
    this.reconnectGraceMs = opts.reconnectGraceMs ?? 1_000;
    this.journalLimit = opts.journalLimit ?? 10_000;
    this.echoUserstate = opts.echoUserstate ?? true;
    this.events.setMaxListeners(0);
  }

  async start(): Promise<{ url: string; port: number }> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    this.server = server;
    server.on('connection', (ws) => this.accept(ws));
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    const { port } = server.address() as AddressInfo;
    return { url: `ws://127.0.0.1:${port}`, port };
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const conn of this.conns) conn.ws.terminate();
    this.conns.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

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

  private deliver(room: Channel, line: string, text: string): void {
    this.remember(room, text, Date.now());
    for (const conn of room.members) this.send(conn, line);
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
        const lines = frames.get(conn);
        if (lines) lines.push(line);
        else frames.set(conn, [line]);
      }
      return id;
    });
    for (const [conn, lines] of frames) this.send(conn, lines);
    return ids;
  }

  private privmsgLine(room: Channel, msg: ChatterMessage): { id: string; line: string } {
    const login = msg.login.toLowerCase();
    const id = msg.id ?? randomUUID();
    const userId = msg.userId ?? (msg.role === 'broadcaster' ? room.roomId : this.userIdOf(login));
    const line = formatLine({
      tags: privmsgTags(
        { login: room.login, roomId: room.roomId },
        { ...msg, id, userId },
        Date.now(),
      ),
      prefix: userPrefix(login),
      command: 'PRIVMSG',
      params: [`#${room.login}`],
      trailing: privmsgText(msg),
    });
    return { id, line };
  }

  /** Whether a logged-in (not anonymous) connection is in the channel. */
  joined(channel: string): boolean {
    const room = this.channels.get(channelLogin(channel));
    if (!room) return false;
    for (const conn of room.members) if (!conn.anonymous) return true;
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

  private accept(ws: WebSocket): void {
    const conn: Conn = { ws, anonymous: false, channels: new Set() };
    this.conns.add(conn);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const lines = data.toString().split(/\r?\n/);
      for (const raw of lines) {
        if (raw.trim() === '') continue;
        const line = parseLine(raw);
        // A broken line or a closed socket must not take the stand-in down.
        if (line) this.handle(conn, line).catch(() => undefined);
      }
    });
    ws.on('error', () => undefined);
    ws.on('close', () => this.forget(conn));
  }

  private forget(conn: Conn): void {
    if (!this.conns.delete(conn)) return;
    for (const login of conn.channels) this.channels.get(login)?.members.delete(conn);
    if (conn.login) this.events.emit('disconnect', { login: conn.login });
  }

  private async handle(conn: Conn, line: IrcLine): Promise<void> {
    switch (line.command) {
      case 'CAP':
        if (line.params[0] === 'REQ') {
          this.send(conn, `:${SERVER} CAP * ACK :${line.params[1] ?? ''}`);
        }
        return;
      case 'PASS':
        conn.pass = line.params[0];
        return;
      case 'NICK':
        return this.login(conn, (line.params[0] ?? '').toLowerCase());
      case 'PING':
        // tmi.js only reads a PONG that has no prefix.
        this.send(conn, `PONG :${SERVER}`);
        return;
      case 'PONG':
        return;
      case 'QUIT':
        conn.ws.close();
        return;
    }
    if (!conn.login) return;
    switch (line.command) {
      case 'JOIN':
        for (const ch of (line.params[0] ?? '').split(','))
          if (ch) this.join(conn, channelLogin(ch));
        return;
      case 'PART':
        for (const ch of (line.params[0] ?? '').split(','))
          if (ch) this.part(conn, channelLogin(ch));
        return;
      case 'PRIVMSG':
        return this.privmsg(conn, line);
      default:
        this.send(conn, `:${SERVER} 421 ${conn.login} ${line.command} :Unknown command`);
    }
  }

  private async login(conn: Conn, nick: string): Promise<void> {
    if (/^justinfan\d+$/.test(nick)) {
      conn.anonymous = true;
      conn.login = nick;
      this.welcome(conn);
      return;
    }
    const token = conn.pass?.replace(/^oauth:/i, '') ?? '';
    if (token === '') {
      this.refuse(conn, nick, 'Improperly formatted auth');
      return;
    }
    let login: string | undefined;
    try {
      login = this.validator ? await this.validator(token) : nick;
    } catch {
      login = undefined;
    }
    if (!login) {
      this.refuse(conn, nick, 'Login authentication failed');
      return;
    }
    conn.login = login.toLowerCase();
    this.welcome(conn);
    this.events.emit('login', { login: conn.login });
  }

  private refuse(conn: Conn, nick: string, notice: string): void {
    this.events.emit('login-failed', { nick });
    conn.ws.send(`:${SERVER} NOTICE * :${notice}\r\n`, () => conn.ws.close());
  }

  private welcome(conn: Conn): void {
    const login = conn.login ?? '';
    const lines = [
      `:${SERVER} 001 ${login} :Welcome, GLHF!`,
      `:${SERVER} 002 ${login} :Your host is ${SERVER}`,
      `:${SERVER} 003 ${login} :This server is rather new`,
      `:${SERVER} 004 ${login} :-`,
      `:${SERVER} 375 ${login} :-`,
      `:${SERVER} 372 ${login} :You are in a maze of twisty passages, all alike.`,
      `:${SERVER} 376 ${login} :>`,
    ];
    if (!conn.anonymous) {
      lines.push(
        formatLine({
          tags: globalUserstateTags({ displayName: login, userId: this.userIdOf(login) }),
          prefix: SERVER,
          command: 'GLOBALUSERSTATE',
        }),
      );
    }
    this.send(conn, lines);
  }

  private join(conn: Conn, login: string): void {
    if (!/^[a-z0-9_]{1,25}$/.test(login)) {
      this.send(conn, `:${SERVER} NOTICE #${login} :Invalid channel name.`);
      return;
    }
    const user = conn.login ?? '';
    if (!conn.anonymous) {
      const violation = this.rules.checkJoin(user, login, Date.now());
      if (violation) this.recordViolation(violation);
    }
    const room = this.channel(login);
    if (room.refuseJoin && !conn.anonymous) {
      const notice =
        room.refuseJoin === 'msg_banned' ? REFUSAL.banned(login) : REFUSAL.channelSuspended();
      this.send(conn, noticeLine(login, notice));
      this.events.emit('join-refused', { login: user, channel: login, msgId: notice.msgId });
      return;
    }
    room.members.add(conn);
    conn.channels.add(login);
    const lines = [
      `:${userPrefix(user)} JOIN #${login}`,
      `:${user}.${SERVER} 353 ${user} = #${login} :${user}`,
      `:${user}.${SERVER} 366 ${user} #${login} :End of /NAMES list`,
    ];
    if (!conn.anonymous) lines.push(this.userstateLine(conn, room));
    // tmi.js resolves a join on USERSTATE followed by this ROOMSTATE: keep them together.
    lines.push(
      formatLine({
        tags: roomstateTags(room.roomId, room.modes),
        prefix: SERVER,
        command: 'ROOMSTATE',
        params: [`#${login}`],
      }),
    );
    this.send(conn, lines);
    if (!conn.anonymous) this.events.emit('join', { login: user, channel: login });
  }

  private part(conn: Conn, login: string): void {
    const user = conn.login ?? '';
    this.channels.get(login)?.members.delete(conn);
    conn.channels.delete(login);
    this.send(conn, `:${userPrefix(user)} PART #${login}`);
    if (!conn.anonymous) this.events.emit('part', { login: user, channel: login });
  }

  private privmsg(conn: Conn, line: IrcLine): void {
    if (conn.anonymous) return;
    const login = conn.login ?? '';
    const channel = channelLogin(line.params[0] ?? '');
    // Twitch drops the tag block first, so its rules and the room see what is left.
    const text = shownText(line.params[1] ?? '');
    const room = this.channel(channel);
    const now = Date.now();
    const standing = this.standing(login, room);
    const refusal = roomRefusal(
      channel,
      room.modes,
      {
        broadcaster: login === room.login,
        privileged: standing.privileged,
        subscriber: room.botIsSubscriber,
        ...(room.botFollowedAt !== undefined ? { followedAt: room.botFollowedAt } : {}),
        banned: room.botBanned,
        ...(room.botTimedOutUntil !== undefined ? { timedOutUntil: room.botTimedOutUntil } : {}),
        needsVerifiedEmail: room.botNeedsVerifiedEmail,
        ...lastAccepted(this.rules.lastAcceptedAt(login, channel)),
        repeat: this.isRepeat(room, text, now),
      },
      now,
    );
    if (refusal) {
      this.reject(conn, { login, channel, text, at: now }, refusal);
      return;
    }
    const violation = this.rules.checkMessage(login, channel, text, standing, now);
    if (violation) {
      this.recordViolation(violation);
      // Twitch says so for these; an over-long line is simply not shown.
      const notice =
        violation.kind === 'duplicate'
          ? REFUSAL.duplicate()
          : violation.kind === 'too_fast' || violation.kind === 'rate_limit'
            ? REFUSAL.rateLimit()
            : undefined;
      if (notice) this.reject(conn, { login, channel, text, at: now }, notice);
      return;
    }
    this.remember(room, text, now);
    const replyParentMsgId = line.tags['reply-parent-msg-id'] || undefined;
    const message: BotMessage = replyParentMsgId
      ? { login, channel, text, replyParentMsgId, at: now }
      : { login, channel, text, at: now };
    this.sent.push(message);
    if (this.sent.length > this.journalLimit)
      this.sent.splice(0, this.sent.length - this.journalLimit);
    if (this.echoUserstate) this.sendUserstate(conn, room);
    const relay = formatLine({
      tags: privmsgTags(
        { login: room.login, roomId: room.roomId },
        {
          login,
          text,
          id: randomUUID(),
          userId: this.userIdOf(login),
          role: this.standing(login, room).moderator ? 'moderator' : 'viewer',
        },
        now,
      ),
      prefix: userPrefix(login),
      command: 'PRIVMSG',
      params: [`#${channel}`],
      trailing: text,
    });
    for (const other of room.members) if (other !== conn) this.send(other, relay);
    this.events.emit('bot-message', message);
  }

  /** Answers the bot's message with the NOTICE that refuses it; the room never shows it. */
  private reject(
    conn: Conn,
    message: { login: string; channel: string; text: string; at: number },
    notice: Notice,
  ): void {
    const entry: RejectedMessage = { ...message, msgId: notice.msgId, notice: notice.text };
    this.rejected.push(entry);
    if (this.rejected.length > this.journalLimit) {
      this.rejected.splice(0, this.rejected.length - this.journalLimit);
    }
    this.send(conn, noticeLine(message.channel, notice));
    this.events.emit('rejected', entry);
  }

  /** Unique-chat mode: the same text shown in the room within the duplicate window. */
  private isRepeat(room: Channel, text: string, now: number): boolean {
    const since = now - this.limits.duplicateWindowMs;
    return room.recent.some((m) => m.at > since && m.text === text);
  }

  private remember(room: Channel, text: string, now: number): void {
    const since = now - this.limits.duplicateWindowMs;
    while (room.recent.length > 0 && (room.recent[0]!.at <= since || room.recent.length > 1000)) {
      room.recent.shift();
    }
    room.recent.push({ at: now, text });
  }

  private standing(login: string, room: Channel): BotStanding {
    const broadcaster = login === room.login;
    const moderator = broadcaster || room.botIsModerator;
    return { moderator, privileged: moderator || room.botIsVip };
  }

  private sendUserstate(conn: Conn, room: Channel): void {
    if (conn.channels.has(room.login)) this.send(conn, this.userstateLine(conn, room));
  }

  private userstateLine(conn: Conn, room: Channel): string {
    const login = conn.login ?? '';
    return formatLine({
      tags: userstateTags({
        displayName: login,
        broadcaster: login === room.login,
        moderator: room.botIsModerator,
        vip: room.botIsVip,
        subscriber: room.botIsSubscriber,
      }),
      prefix: SERVER,
      command: 'USERSTATE',
      params: [`#${room.login}`],
    });
  }

  private recordViolation(v: ChatViolation): void {
    this.violations.push(v);
    this.events.emit('violation', v);
  }

  private channel(login: string): Channel {
    let room = this.channels.get(login);
    if (!room) {
      room = {
        login,
        roomId: String(this.nextId++),
        botIsModerator: false,
        botIsVip: false,
        botIsSubscriber: false,
        botBanned: false,
        botNeedsVerifiedEmail: false,
        modes: { ...OPEN_ROOM },
        recent: [],
        members: new Set(),
      };
      this.channels.set(login, room);
    }
    return room;
  }

  private userIdOf(login: string): string {
    let id = this.userIds.get(login);
    if (!id) {
      id = String(this.nextId++);
      this.userIds.set(login, id);
    }
    return id;
  }

  private send(conn: Conn, lines: string | string[]): void {
    if (conn.ws.readyState !== conn.ws.OPEN) return;
    const text = Array.isArray(lines) ? lines.join('\r\n') : lines;
    conn.ws.send(`${text}\r\n`);
  }
}

function noticeLine(channel: string, notice: Notice): string {
  return formatLine({
    tags: { 'msg-id': notice.msgId },
    prefix: SERVER,
    command: 'NOTICE',
    params: [`#${channel}`],
    trailing: notice.text,
  });
}

function lastAccepted(at: number | undefined): { lastAcceptedAt?: number } {
  return at === undefined ? {} : { lastAcceptedAt: at };
}
