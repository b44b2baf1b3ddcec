import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { channelLogin, formatLine, parseLine, userPrefix, type IrcLine } from './irc.js';
import { REFUSAL } from './notices.js';
import { roomRefusal } from './room-modes.js';
import { shownText } from './rules.js';
import { globalUserstateTags, privmsgTags, roomstateTags } from './tags.js';
import { noticeLine, lastAccepted, SERVER, type BotMessage, type Conn } from './chat-types.js';
import { ChatRooms } from './chat-rooms.js';

/** The IRC side as tmi.js meets it: connections, login, JOIN, PART and the bot's PRIVMSG. */
export class ChatIrcServer extends ChatRooms {
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

  protected accept(ws: WebSocket): void {
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

  protected forget(conn: Conn): void {
    if (!this.conns.delete(conn)) return;
    for (const login of conn.channels) this.channels.get(login)?.members.delete(conn);
    if (conn.login) this.events.emit('disconnect', { login: conn.login });
  }

  protected async handle(conn: Conn, line: IrcLine): Promise<void> {
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

  protected async login(conn: Conn, nick: string): Promise<void> {
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

  protected refuse(conn: Conn, nick: string, notice: string): void {
    this.events.emit('login-failed', { nick });
    conn.ws.send(`:${SERVER} NOTICE * :${notice}\r\n`, () => conn.ws.close());
  }

  protected welcome(conn: Conn): void {
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

  protected join(conn: Conn, login: string): void {
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

  protected part(conn: Conn, login: string): void {
    const user = conn.login ?? '';
    this.channels.get(login)?.members.delete(conn);
    conn.channels.delete(login);
    this.send(conn, `:${userPrefix(user)} PART #${login}`);
    if (!conn.anonymous) this.events.emit('part', { login: user, channel: login });
  }

  protected privmsg(conn: Conn, line: IrcLine): void {
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
}
