import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Journal } from './journal.js';

/** Gateway opcodes and close codes (Discord API v10) the stand-in speaks. */
const Op = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  PresenceUpdate: 3,
  VoiceStateUpdate: 4,
  Resume: 6,
  Reconnect: 7,
  RequestGuildMembers: 8,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
} as const;

export const GatewayClose = {
  UnknownError: 4000,
  UnknownOpcode: 4001,
  DecodeError: 4002,
  NotAuthenticated: 4003,
  AuthenticationFailed: 4004,
  AlreadyAuthenticated: 4005,
  InvalidShard: 4010,
  InvalidApiVersion: 4012,
  InvalidIntents: 4013,
  DisallowedIntents: 4014,
} as const;

/** GuildMembers, GuildPresences, MessageContent: need approval on the developer portal. */
const PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15);
const BUFFERED_EVENTS = 1000;

interface Dispatch {
  op: 0;
  t: string;
  s: number;
  d: unknown;
}

interface Session {
  id: string;
  seq: number;
  buffer: Dispatch[];
  ws?: WebSocket;
  intents: number;
}

export interface GatewayOptions {
  journal: Journal;
  botToken: () => string;
  heartbeatIntervalMs: number;
  allowPrivilegedIntents: boolean;
  resumeUrl: () => string;
  /** READY's d and the GUILD_CREATE payloads that follow it, built at identify time. */
  onIdentify: (sessionId: string) => { ready: Record<string, unknown>; guilds: unknown[] };
}

/** The gateway side of the stand-in: HELLO, IDENTIFY -> READY, heartbeats, RESUME, dispatch. */
export class GatewayServer {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sessions = new Map<string, Session>();
  private readonly sockets = new Set<WebSocket>();
  /** Sockets we closed on purpose: their session stays resumable whatever the echoed code. */
  private readonly closedByUs = new WeakSet<WebSocket>();

  constructor(private readonly opts: GatewayOptions) {}

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, req));
  }

  /** Sessions that are identified and currently connected. */
  connectedSessions(): number {
    return [...this.sessions.values()].filter((s) => s.ws).length;
  }

  /** Sends an event to every live session (buffered for a session that is resuming). */
  dispatch(t: string, d: unknown): void {
    for (const session of this.sessions.values()) this.send(session, t, d);
  }

  /** Drops every connection with this close code; with 4000 the clients resume. */
  disconnectAll(code: number = GatewayClose.UnknownError, reason = 'stand-in disconnect'): void {
    for (const ws of this.sockets) {
      this.closedByUs.add(ws);
      ws.close(code, reason);
    }
  }

  /** Asks every client to reconnect and resume (opcode 7), as Discord does before maintenance. */
  requestReconnect(): void {
    for (const ws of this.sockets) this.sendRaw(ws, { op: Op.Reconnect, d: null });
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.sockets.clear();
    this.sessions.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private onConnection(ws: WebSocket, req: IncomingMessage): void {
    this.sockets.add(ws);
    const query = new URL(req.url ?? '/', 'ws://localhost').searchParams;
    let session: Session | undefined;
    ws.on('close', (code) => {
      this.sockets.delete(ws);
      this.opts.journal.add({
        kind: 'gateway',
        at: Date.now(),
        event: 'closed',
        code,
        sessionId: session?.id,
      });
      if (!session || session.ws !== ws) return;
      session.ws = undefined;
      // A client closing with 1000/1001 ends its session; anything else may resume.
      if ((code === 1000 || code === 1001) && !this.closedByUs.has(ws))
        this.sessions.delete(session.id);
    });
    ws.on('error', () => undefined);
    if (query.get('v') !== '10') {
      ws.close(GatewayClose.InvalidApiVersion, 'Invalid API version.');
      return;
    }
    if ((query.get('encoding') ?? 'json') !== 'json') {
      ws.close(GatewayClose.DecodeError, 'Only json encoding is supported by the stand-in.');
      return;
    }
    this.sendRaw(ws, {
      op: Op.Hello,
      d: {
        heartbeat_interval: this.opts.heartbeatIntervalMs,
        _trace: ['["clipbot-standin-gateway"]'],
      },
      s: null,
      t: null,
    });
    ws.on('message', (data, isBinary) => {
      let payload: { op?: unknown; d?: unknown };
      try {
        payload = JSON.parse(
          isBinary ? Buffer.from(data as Buffer).toString('utf8') : String(data),
        ) as {
          op?: unknown;
          d?: unknown;
        };
      } catch {
        ws.close(GatewayClose.DecodeError, 'Error while decoding payload.');
        return;
      }
      switch (payload.op) {
        case Op.Heartbeat:
          this.sendRaw(ws, { op: Op.HeartbeatAck });
          return;
        case Op.Identify:
          if (session) {
            ws.close(GatewayClose.AlreadyAuthenticated, 'Already authenticated.');
            return;
          }
          session = this.identify(ws, payload.d);
          return;
        case Op.Resume:
          if (session) {
            ws.close(GatewayClose.AlreadyAuthenticated, 'Already authenticated.');
            return;
          }
          session = this.resume(ws, payload.d);
          return;
        case Op.PresenceUpdate:
        case Op.VoiceStateUpdate:
        case Op.RequestGuildMembers:
          if (!session) ws.close(GatewayClose.NotAuthenticated, 'Not authenticated.');
          return;
        default:
          ws.close(GatewayClose.UnknownOpcode, 'Unknown opcode.');
      }
    });
  }

  private identify(ws: WebSocket, d: unknown): Session | undefined {
    const data = (d ?? {}) as { token?: unknown; intents?: unknown; shard?: unknown };
    this.opts.journal.add({ kind: 'gateway', at: Date.now(), event: 'identify' });
    if (data.token !== this.opts.botToken()) {
      ws.close(GatewayClose.AuthenticationFailed, 'Authentication failed.');
      return undefined;
    }
    if (data.shard !== undefined) {
      const shard = data.shard as unknown[];
      if (!Array.isArray(shard) || shard[0] !== 0 || shard[1] !== 1) {
        ws.close(GatewayClose.InvalidShard, 'Invalid shard.');
        return undefined;
      }
    }
    if (typeof data.intents !== 'number' || !Number.isInteger(data.intents) || data.intents < 0) {
      ws.close(GatewayClose.InvalidIntents, 'Invalid intent(s).');
      return undefined;
    }
    if (!this.opts.allowPrivilegedIntents && (data.intents & PRIVILEGED_INTENTS) !== 0) {
      ws.close(GatewayClose.DisallowedIntents, 'Disallowed intent(s).');
      return undefined;
    }
    const session: Session = {
      id: randomBytes(16).toString('hex'),
      seq: 0,
      buffer: [],
      ws,
      intents: data.intents,
    };
    this.sessions.set(session.id, session);
    const { ready, guilds } = this.opts.onIdentify(session.id);
    this.send(session, 'READY', {
      v: 10,
      session_id: session.id,
      resume_gateway_url: this.opts.resumeUrl(),
      session_type: 'normal',
      shard: [0, 1],
      ...ready,
    });
    this.opts.journal.add({
      kind: 'gateway',
      at: Date.now(),
      event: 'ready',
      sessionId: session.id,
    });
    for (const guild of guilds) this.send(session, 'GUILD_CREATE', guild);
    return session;
  }

  private resume(ws: WebSocket, d: unknown): Session | undefined {
    const data = (d ?? {}) as { token?: unknown; session_id?: unknown; seq?: unknown };
    const session =
      typeof data.session_id === 'string' ? this.sessions.get(data.session_id) : undefined;
    this.opts.journal.add({
      kind: 'gateway',
      at: Date.now(),
      event: 'resume',
      sessionId: session?.id,
    });
    if (data.token !== this.opts.botToken()) {
      ws.close(GatewayClose.AuthenticationFailed, 'Authentication failed.');
      return undefined;
    }
    const seq = typeof data.seq === 'number' ? data.seq : -1;
    if (!session || seq > session.seq || (session.buffer[0] && seq < session.buffer[0].s - 1)) {
      this.opts.journal.add({ kind: 'gateway', at: Date.now(), event: 'invalid_session' });
      this.sendRaw(ws, { op: Op.InvalidSession, d: false });
      return undefined;
    }
    if (session.ws && session.ws !== ws) {
      this.closedByUs.add(session.ws);
      session.ws.close(GatewayClose.UnknownError, 'Session resumed elsewhere.');
    }
    session.ws = ws;
    for (const event of session.buffer) if (event.s > seq) this.sendRaw(ws, event);
    this.send(session, 'RESUMED', { _trace: ['["clipbot-standin-gateway"]'] });
    this.opts.journal.add({
      kind: 'gateway',
      at: Date.now(),
      event: 'resumed',
      sessionId: session.id,
    });
    return session;
  }

  private send(session: Session, t: string, d: unknown): void {
    session.seq += 1;
    const event: Dispatch = { op: Op.Dispatch, t, s: session.seq, d };
    session.buffer.push(event);
    if (session.buffer.length > BUFFERED_EVENTS) session.buffer.shift();
    if (session.ws) this.sendRaw(session.ws, event);
  }

  private sendRaw(ws: WebSocket, payload: unknown): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(payload));
  }
}
