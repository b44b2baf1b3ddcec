import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { WebSocketServer } from 'ws';
import { formatLine, userPrefix } from './irc.js';
import { type Notice } from './notices.js';
import { OPEN_ROOM } from './room-modes.js';
import {
  ChatRules,
  TWITCH_CHAT_LIMITS,
  type BotStanding,
  type ChatStandInLimits,
  type ChatViolation,
} from './rules.js';
import { privmsgTags, privmsgText, userstateTags, type ChatterMessage } from './tags.js';
import {
  noticeLine,
  SERVER,
  type BotMessage,
  type Channel,
  type ChatStandInOptions,
  type Conn,
  type RejectedMessage,
  type TokenValidator,
} from './chat-types.js';

/**
 * The rooms of the chat stand-in and what they remember: who is in which channel, the bot's
 * standing there, its messages (shown and refused) and the limits they are checked against.
 */
export class ChatRooms {
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

  protected readonly limits: ChatStandInLimits;
  protected readonly rules: ChatRules;
  protected readonly reconnectGraceMs: number;
  protected readonly journalLimit: number;
  protected readonly echoUserstate: boolean;
  protected readonly channels = new Map<string, Channel>();
  protected readonly conns = new Set<Conn>();
  protected readonly userIds = new Map<string, string>();
  protected readonly timers = new Set<NodeJS.Timeout>();
  /** Shared Chat: each channel of a session -> every channel of it. */
  protected readonly sessions = new Map<string, string[]>();
  /** Logins whose connections chatters' lines do not reach (StandIn.deafen). */
  protected readonly deaf = new Set<string>();
  protected validator: TokenValidator | undefined;
  protected server: WebSocketServer | undefined;
  protected nextId = 100_000;

  constructor(opts: ChatStandInOptions = {}) {
    this.limits = { ...TWITCH_CHAT_LIMITS, ...opts.limits };
    this.rules = new ChatRules(this.limits);
    this.reconnectGraceMs = opts.reconnectGraceMs ?? 1_000;
    this.journalLimit = opts.journalLimit ?? 10_000;
    this.echoUserstate = opts.echoUserstate ?? true;
    this.events.setMaxListeners(0);
  }

  protected deliver(room: Channel, line: string, text: string): void {
    this.remember(room, text, Date.now());
    for (const conn of room.members) if (this.hears(conn)) this.send(conn, line);
  }

  protected hears(conn: Conn): boolean {
    return conn.login === undefined || !this.deaf.has(conn.login);
  }

  protected privmsgLine(room: Channel, msg: ChatterMessage): { id: string; line: string } {
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

  /** Answers the bot's message with the NOTICE that refuses it; the room never shows it. */
  protected reject(
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
  protected isRepeat(room: Channel, text: string, now: number): boolean {
    const since = now - this.limits.duplicateWindowMs;
    return room.recent.some((m) => m.at > since && m.text === text);
  }

  protected remember(room: Channel, text: string, now: number): void {
    const since = now - this.limits.duplicateWindowMs;
    while (room.recent.length > 0 && (room.recent[0]!.at <= since || room.recent.length > 1000)) {
      room.recent.shift();
    }
    room.recent.push({ at: now, text });
  }

  protected standing(login: string, room: Channel): BotStanding {
    const broadcaster = login === room.login;
    const moderator = broadcaster || room.botIsModerator;
    return { moderator, privileged: moderator || room.botIsVip };
  }

  protected sendUserstate(conn: Conn, room: Channel): void {
    if (conn.channels.has(room.login)) this.send(conn, this.userstateLine(conn, room));
  }

  protected userstateLine(conn: Conn, room: Channel): string {
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

  protected recordViolation(v: ChatViolation): void {
    this.violations.push(v);
    this.events.emit('violation', v);
  }

  protected channel(login: string): Channel {
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

  protected userIdOf(login: string): string {
    let id = this.userIds.get(login);
    if (!id) {
      id = String(this.nextId++);
      this.userIds.set(login, id);
    }
    return id;
  }

  protected send(conn: Conn, lines: string | string[]): void {
    if (conn.ws.readyState !== conn.ws.OPEN) return;
    const text = Array.isArray(lines) ? lines.join('\r\n') : lines;
    conn.ws.send(`${text}\r\n`);
  }
}
