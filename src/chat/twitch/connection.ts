import type { Logger } from 'pino';
import tmi from 'tmi.js';
import type { MessageTags } from './incoming.js';

/** TWITCH_CHAT_URL ("wss://host:port") as tmi.js takes it. */
export function parseChatUrl(chatUrl: string): { server: string; port: number; secure: boolean } {
  const url = new URL(chatUrl);
  const secure = url.protocol === 'wss:';
  if (!secure && url.protocol !== 'ws:') throw new Error(`TWITCH_CHAT_URL must be ws:// or wss://`);
  const port = url.port ? Number(url.port) : secure ? 443 : 80;
  return { server: url.hostname, port, secure };
}

/** The bot's badges in a channel, from its USERSTATE. */
export interface BotStanding {
  moderator: boolean;
  /** Moderator, VIP or broadcaster. */
  privileged: boolean;
  subscriber: boolean;
}

/** What the connection reports; the adapter decides what it means. */
export interface ChatConnectionHandlers {
  onConnected(): void;
  onDisconnected(reason: string): void;
  onJoin(channel: string): void;
  onPart(channel: string): void;
  /** The bot's USERSTATE in a channel (on join and after each of its messages shown). */
  onStanding(channel: string, standing: BotStanding): void;
  /** A channel's ROOMSTATE, raw tags (every mode on join, the changed one after). */
  onRoomState(channel: string, tags: Record<string, unknown>): void;
  /** A NOTICE about a channel, with its msg-id. */
  onNotice(channel: string, msgId: string, text: string): void;
  onChat(channel: string, tags: MessageTags, text: string): void;
  /** A USERNOTICE (subs, gifts, raids...), raw tags; its text is the viewer's message, if any. */
  onUserNotice?(channel: string, tags: Record<string, unknown>, text: string): void;
}

export interface ChatConnectionOptions {
  chatUrl: string;
  botLogin: string;
  /** Read on every (re)connect, so a refreshed token is used by the next login. */
  getToken: () => Promise<string>;
  log: Logger;
  /** Reconnect after a dropped connection (tmi.js's backoff). */
  reconnect: boolean;
  reconnectIntervalMs: number;
  maxReconnectIntervalMs: number;
  /** After a refused login, wait this long (doubling up to 64x) before trying again. */
  authRetryMs: number;
  /** tmi.js closes the connection when a PING goes unanswered this long. */
  pingTimeoutMs: number;
}

interface RawMessage {
  command?: string;
  params?: string[];
  tags?: Record<string, unknown>;
}

/** The few tmi.js fields it offers no method for. */
interface TmiInternals {
  /** tmi.js sets it to false for good after a refused login. */
  reconnect: boolean;
}

// tmi.js closes the socket itself and never retries after these; we retry with backoff.
const LOGIN_REFUSED =
  /Login unsuccessful|Login authentication failed|Error logging in|Improperly formatted auth|Invalid NICK/;
const TOKEN_UNAVAILABLE = 'Could not get a token.';

const chan = (channel: string): string => channel.replace(/^#/, '').toLowerCase();

/**
 * One tmi.js client and the parts of its life tmi.js leaves to us: logging in again after a
 * refused token (the token may have been refreshed since), stopping cleanly, and never
 * letting tmi.js rejoin channels on its own (the join queue paces joins).
 */
export class TwitchChatConnection {
  private readonly client: tmi.Client;
  private connected = false;
  private stopped = false;
  private started = false;
  private authFailures = 0;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly opts: ChatConnectionOptions,
    private readonly handlers: ChatConnectionHandlers,
  ) {
    const { server, port, secure } = parseChatUrl(opts.chatUrl);
    const log = opts.log;
    this.client = new tmi.Client({
      options: { skipUpdatingEmotesets: true, skipMembership: true, messagesLogLevel: 'info' },
      connection: {
        server,
        port,
        secure,
        reconnect: opts.reconnect,
        reconnectInterval: opts.reconnectIntervalMs,
        maxReconnectInterval: opts.maxReconnectIntervalMs,
        reconnectDecay: 1.5,
        timeout: opts.pingTimeoutMs,
      },
      identity: { username: opts.botLogin, password: () => this.token() },
      // tmi.js rewrites this array in place; it is ours alone and stays empty.
      channels: [],
      logger: {
        info: (m: string) => log.trace({ tmi: m }, 'tmi'),
        warn: (m: string) => log.debug({ tmi: m }, 'tmi'),
        error: (m: string) => log.debug({ tmi: m }, 'tmi'),
      },
    });
    this.listen();
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.internals().reconnect = false;
    if (this.client.readyState() === 'OPEN' || this.client.readyState() === 'CONNECTING') {
      await withTimeout(this.client.disconnect(), 2_000).catch(() => undefined);
    }
    this.connected = false;
  }

  isConnected(): boolean {
    return this.connected && this.client.readyState() === 'OPEN';
  }

  /**
   * Logs in again now with whatever getToken returns. When `force` is false and the
   * connection is up, the new token simply serves the next login.
   */
  async relogin(force: boolean): Promise<void> {
    if (this.stopped || !this.started) return;
    if (this.isConnected()) {
      if (!force) return;
      await withTimeout(this.client.disconnect(), 2_000).catch(() => undefined);
      this.connect();
      return;
    }
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      this.authFailures = 0;
      this.connect();
    }
    // Otherwise tmi.js is already on its way back and will read the new token.
  }

  join(channel: string): Promise<unknown> {
    return this.client.join(channel);
  }

  part(channel: string): Promise<unknown> {
    return this.client.part(channel);
  }

  /** Writes one raw line; rejects when the socket is not open (then nothing was sent). */
  async raw(line: string): Promise<void> {
    if (!this.isConnected()) throw new Error('not connected');
    await this.client.raw(line);
  }

  private async token(): Promise<string> {
    const token = await this.opts.getToken();
    return token.replace(/^oauth:/i, '');
  }

  private connect(): void {
    if (this.stopped) return;
    this.internals().reconnect = this.opts.reconnect;
    // Failures arrive as 'disconnected' as well; that is where they are handled.
    this.client.connect().catch(() => undefined);
  }

  private listen(): void {
    const c = this.client;
    c.on('connecting', () => {
      // A reconnect tmi.js had scheduled before stop(): end it at once.
      if (this.stopped) c.disconnect().catch(() => undefined);
    });
    c.on('connected', () => {
      // tmi.js is about to rejoin every channel of the last connection at its own pace;
      // emptying its list leaves the joins to our queue, which keeps Twitch's join limit.
      c.getChannels().length = 0;
      c.getOptions().channels?.splice(0);
      if (this.stopped) {
        c.disconnect().catch(() => undefined);
        return;
      }
      this.connected = true;
      this.authFailures = 0;
      this.opts.log.info('twitch chat connected');
      this.handlers.onConnected();
    });
    c.on('disconnected', (reason: string) => this.disconnected(reason));
    c.on('join', (channel, _user, self) => {
      if (self) this.handlers.onJoin(chan(channel));
    });
    c.on('part', (channel, _user, self) => {
      if (self) this.handlers.onPart(chan(channel));
    });
    c.on('raw_message', (_copy, message) => {
      // Read before tmi.js parses the tags: raw strings, the same on every version.
      const { command, params, tags } = message as RawMessage;
      const target = params?.[0];
      if (!target?.startsWith('#')) return;
      const channel = chan(target);
      if (command === 'USERSTATE') {
        this.handlers.onStanding(channel, this.standing(channel, tags ?? {}));
      } else if (command === 'ROOMSTATE') {
        this.handlers.onRoomState(channel, tags ?? {});
      } else if (command === 'NOTICE' && typeof tags?.['msg-id'] === 'string') {
        this.handlers.onNotice(channel, tags['msg-id'], params?.[1] ?? '');
      } else if (command === 'USERNOTICE') {
        this.handlers.onUserNotice?.(channel, tags ?? {}, params?.[1] ?? '');
      }
    });
    // tmi.js reports a /me line as 'action' and a message with bits as 'cheer', never as
    // 'chat' (tmi.js lib/client.js, PRIVMSG): all three are what a viewer typed in chat.
    const onChat = (channel: string, tags: unknown, text: string): void =>
      this.handlers.onChat(chan(channel), tags as MessageTags, text);
    c.on('chat', (channel, tags, text, self) => {
      if (!self) onChat(channel, tags, text);
    });
    c.on('action', (channel, tags, text, self) => {
      if (!self) onChat(channel, tags, text);
    });
    c.on('cheer', (channel, tags, text) => onChat(channel, tags, text));
  }

  private standing(channel: string, tags: Record<string, unknown>): BotStanding {
    const badges = typeof tags.badges === 'string' ? tags.badges : '';
    const has = (badge: string): boolean => new RegExp(`(^|,)${badge}/`).test(badges);
    const broadcaster = channel === this.opts.botLogin.toLowerCase() || has('broadcaster');
    const moderator =
      broadcaster || tags.mod === '1' || tags['user-type'] === 'mod' || has('moderator');
    const subscriber = tags.subscriber === '1' || has('subscriber') || has('founder');
    return { moderator, privileged: moderator || tags.vip === '1' || has('vip'), subscriber };
  }

  private disconnected(reason: string): void {
    const was = this.connected;
    this.connected = false;
    if (was || !this.stopped) this.handlers.onDisconnected(reason);
    if (this.stopped) return;
    if (LOGIN_REFUSED.test(reason) || reason === TOKEN_UNAVAILABLE) {
      this.opts.log.error(
        { reason: LOGIN_REFUSED.test(reason) ? 'login refused' : 'no token' },
        'twitch chat login failed; the bot token may be invalid or lack chat:read/chat:edit',
      );
      if (reason === TOKEN_UNAVAILABLE) this.client.disconnect().catch(() => undefined);
      this.scheduleRetry();
    } else if (was) {
      this.opts.log.warn({ reason }, 'twitch chat disconnected');
    }
  }

  private scheduleRetry(): void {
    clearTimeout(this.retryTimer);
    const delay = this.opts.authRetryMs * 2 ** Math.min(this.authFailures, 6);
    this.authFailures++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect();
    }, delay);
  }

  private internals(): TmiInternals {
    return this.client as unknown as TmiInternals;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
