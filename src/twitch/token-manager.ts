import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { TokenError } from './errors.js';
import type { TokenKind } from './helix-api.js';
import { TwitchOAuthClient, type TokenValidation } from './oauth-client.js';
import {
  CLIP_SCOPE,
  TokenLedger,
  describeKind,
  type TokenStatus,
  type Tracked,
} from './token-ledger.js';
import { TokenRefresher } from './token-refresh.js';
import { type HelixTokenSource, TokenUnavailableError } from './token-source.js';
import { RedisTokenStore, type StoredToken } from './token-store.js';

export type { TokenStateName, TokenStatus } from './token-ledger.js';

export interface TokenManagerOptions {
  redis: Redis;
  /** Key prefix (REDIS_KEY_PREFIX); tokens live under `${prefix}:tokens:*`. */
  prefix: string;
  /** Such as https://id.twitch.tv/oauth2 */
  authUrl: string;
  clientId: string;
  clientSecret?: string;
  /** From TWITCH_ACCESS_TOKEN / TWITCH_REFRESH_TOKEN. */
  seedUserToken?: { accessToken: string; refreshToken?: string };
  log: Logger;
  /** How often the user token is checked with GET /oauth2/validate (Twitch asks hourly). */
  validateIntervalS: number;
  /** Timeout of one OAuth request. */
  timeoutMs?: number;
  /** How long one process may hold the refresh lock. */
  lockTtlMs?: number;
  /** How often a process waiting for another's refresh looks at Redis again. */
  lockPollMs?: number;
  /** A token this close to its known expiry is refreshed before use. */
  expirySkewS?: number;
  now?: () => number;
}

export interface BotIdentity {
  login: string;
  userId: string;
  scopes: string[];
}

/** What `clipbot auth` hands over after the device code flow. */
export interface NewTokens {
  accessToken: string;
  refreshToken?: string;
  scopes?: string[];
  /** Seconds */
  expiresIn?: number;
}

export const TOKEN_MANAGER_DEFAULTS = {
  timeoutMs: 10_000,
  /** The refresh lock outlives one OAuth request by this much. */
  lockMarginMs: 2_000,
  lockPollMs: 50,
  expirySkewS: 60,
} as const;

/** Short, non-reversible fingerprint of the configured seed, to notice when it changes. */
export function seedHash(seed: { accessToken: string; refreshToken?: string }): string {
  return createHash('sha256')
    .update(`${seed.accessToken}\n${seed.refreshToken ?? ''}`)
    .digest('hex')
    .slice(0, 16);
}

/**
 * Owns the bot's Twitch credentials: the user token (bot account), the app token (client
 * credentials) and broadcasters' tokens. They live in Redis so every process shares the
 * latest; refreshes are single-flight within a process and locked across processes,
 * because Twitch rotates the refresh token and a second refresh with the old one fails.
 *
 * Emits 'user-token' (accessToken) whenever the bot's user token changes, so the chat
 * connection can reconnect with it.
 */
export class TokenManager extends EventEmitter implements HelixTokenSource {
  private readonly store: RedisTokenStore;
  private readonly oauth: TwitchOAuthClient;
  private readonly ledger: TokenLedger;
  private readonly refresher: TokenRefresher;
  private readonly seedHash: string | undefined;
  private readonly skewMs: number;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private validating: Promise<void> | undefined;

  constructor(private readonly opts: TokenManagerOptions) {
    super();
    this.store = new RedisTokenStore(opts.redis, opts.prefix);
    const timeoutMs = opts.timeoutMs ?? TOKEN_MANAGER_DEFAULTS.timeoutMs;
    this.oauth = new TwitchOAuthClient({
      authUrl: opts.authUrl,
      clientId: opts.clientId,
      clientSecret: opts.clientSecret,
      timeoutMs,
    });
    this.seedHash = opts.seedUserToken ? seedHash(opts.seedUserToken) : undefined;
    this.skewMs = (opts.expirySkewS ?? TOKEN_MANAGER_DEFAULTS.expirySkewS) * 1000;
    this.now = opts.now ?? Date.now;
    this.ledger = new TokenLedger(opts.log, opts.authUrl, this.now);
    this.refresher = new TokenRefresher({
      store: this.store,
      oauth: this.oauth,
      ledger: this.ledger,
      log: opts.log,
      now: this.now,
      lockTtlMs: opts.lockTtlMs ?? timeoutMs + TOKEN_MANAGER_DEFAULTS.lockMarginMs,
      lockPollMs: opts.lockPollMs ?? TOKEN_MANAGER_DEFAULTS.lockPollMs,
      noticeRotation: (kind, t, token, isNew) => this.noticeRotation(kind, t, token, isNew),
    });
  }

  get clientId(): string {
    return this.opts.clientId;
  }

  appTokenAvailable(): boolean {
    return this.oauth.hasClientSecret();
  }

  /** Subscribes to user token changes; returns the unsubscribe function. */
  onUserToken(listener: (accessToken: string) => void): () => void {
    this.on('user-token', listener);
    return () => this.off('user-token', listener);
  }

  /** Seeds from the environment, validates, and schedules validation. Never throws for a bad token. */
  async start(): Promise<void> {
    await this.applySeed();
    await this.validate();
    if (this.appTokenAvailable()) {
      try {
        await this.getToken('app');
      } catch {
        // Already recorded and logged by getToken; reads fall back to failing clearly.
      }
    }
    this.stopTimer();
    this.timer = setInterval(() => void this.validate(), this.opts.validateIntervalS * 1000);
    this.timer.unref();
  }

  stop(): void {
    this.stopTimer();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Stores the configured token when Redis has none, or when the operator changed it. */
  private async applySeed(): Promise<void> {
    const seed = this.opts.seedUserToken;
    if (!seed) return;
    const stored = await this.store.get('user');
    if (stored && stored.seedHash === this.seedHash) return;
    // Said where it happens: the token outlives the variable, and a wrong one would
    // otherwise be tried again at every start until someone removes it.
    this.opts.log.info(
      { tokenKind: 'user' },
      (stored
        ? 'TWITCH_ACCESS_TOKEN differs from the one the stored user token came from: storing it in Redis'
        : 'storing TWITCH_ACCESS_TOKEN in Redis as the bot token') +
        '; it stays there when the variable is removed (`clipbot auth --forget` removes it)',
    );
    await this.store.set('user', {
      accessToken: seed.accessToken,
      refreshToken: seed.refreshToken,
      storedAt: this.now(),
      seedHash: this.seedHash,
    });
  }

  async getToken(kind: TokenKind, broadcasterId?: string): Promise<string> {
    if (kind === 'app') return this.getAppToken();
    const t = this.ledger.track(kind, broadcasterId);
    const stored = await this.store.get(kind, broadcasterId);
    if (!stored) {
      this.ledger.setState(t, 'missing', this.ledger.missingMessage(kind, broadcasterId));
      throw new TokenError(kind, t.message);
    }
    if (stored.accessToken === t.deadAccessToken) throw new TokenError(kind, t.message);
    const expiresAt =
      stored.expiresAt ??
      (t.validatedToken === stored.accessToken ? t.validatedExpiresAt : undefined);
    if (expiresAt !== undefined && expiresAt - this.skewMs <= this.now() && stored.refreshToken) {
      try {
        return await this.refresher.refreshShared(kind, stored.accessToken, broadcasterId);
      } catch (err) {
        // Twitch's OAuth server is down: the old token may still have a few seconds.
        if (err instanceof TokenUnavailableError) return stored.accessToken;
        throw err;
      }
    }
    this.noticeRotation(kind, t, stored.accessToken);
    return stored.accessToken;
  }

  async refreshAfter401(
    kind: TokenKind,
    rejectedToken: string,
    broadcasterId?: string,
  ): Promise<string> {
    if (kind === 'app') return this.refresher.renewAppToken(rejectedToken);
    return this.refresher.refreshShared(kind, rejectedToken, broadcasterId);
  }

  /** For /healthz and `doctor`. */
  state(kind: TokenKind, broadcasterId?: string): TokenStatus {
    if (kind === 'app' && !this.appTokenAvailable()) {
      return {
        state: 'missing',
        message: 'no TWITCH_CLIENT_SECRET: reads use the user token',
      };
    }
    const t = this.ledger.get(kind, broadcasterId);
    if (!t) {
      return { state: 'missing', message: `${describeKind(kind, broadcasterId)} not checked yet` };
    }
    return { state: t.state, message: t.message, problem: t.problem };
  }

  /** The bot account as the latest validation saw it. */
  botIdentity(): BotIdentity | undefined {
    const v = this.ledger.get('user')?.validation;
    if (!v?.login || !v.userId) return undefined;
    return { login: v.login, userId: v.userId, scopes: [...v.scopes] };
  }

  /**
   * Stores tokens obtained by `clipbot auth`. Validates them first, to learn whose they
   * are: a broadcaster token is filed under its owner's id.
   */
  async storeTokens(
    kind: TokenKind,
    tokens: NewTokens,
    broadcasterId?: string,
  ): Promise<{ login?: string; userId?: string; scopes: string[] }> {
    let v: TokenValidation | null;
    try {
      v = await this.oauth.validate(tokens.accessToken);
    } catch (err) {
      throw new TokenError(kind, `could not validate the new token: ${(err as Error).message}`);
    }
    if (!v) throw new TokenError(kind, 'Twitch rejected the new token (GET /oauth2/validate: 401)');
    if (kind === 'broadcaster') {
      if (broadcasterId && v.userId && broadcasterId !== v.userId) {
        throw new TokenError(kind, `the token belongs to user ${v.userId}, not ${broadcasterId}`);
      }
      broadcasterId = broadcasterId ?? v.userId;
      if (!broadcasterId) throw new TokenError(kind, 'the token does not belong to a user');
    }
    const scopes = tokens.scopes && tokens.scopes.length > 0 ? tokens.scopes : v.scopes;
    const expiresIn = tokens.expiresIn ?? (v.expiresIn > 0 ? v.expiresIn : undefined);
    const record: StoredToken = {
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      scopes,
      expiresAt: expiresIn !== undefined ? this.now() + expiresIn * 1000 : undefined,
      storedAt: this.now(),
      login: v.login,
      userId: v.userId,
      seedHash: kind === 'user' ? this.seedHash : undefined,
    };
    await this.store.set(kind, record, broadcasterId);
    const t = this.ledger.track(kind, broadcasterId);
    this.ledger.recordValidation(t, tokens.accessToken, v);
    this.ledger.setState(t, 'ok', this.ledger.okMessage(kind, broadcasterId, v));
    this.noticeRotation(kind, t, tokens.accessToken, true);
    return { login: v.login, userId: v.userId, scopes };
  }

  /**
   * Checks the user token with GET /oauth2/validate (at start and every
   * validateIntervalS): records who the bot is, refreshes a rejected token, and reports
   * one that cannot be refreshed. Never throws.
   */
  validate(): Promise<void> {
    this.validating ??= this.validateUser().finally(() => {
      this.validating = undefined;
    });
    return this.validating;
  }

  private async validateUser(): Promise<void> {
    const t = this.ledger.track('user');
    try {
      const stored = await this.store.get('user');
      if (!stored) {
        this.ledger.setState(t, 'missing', this.ledger.missingMessage('user'));
        this.ledger.report(t, 'warn', 'user');
        return;
      }
      let token = stored.accessToken;
      if (token === t.deadAccessToken) return;
      let v = await this.oauth.validate(token);
      if (!v) {
        token = await this.refresher.refreshShared('user', token);
        v = await this.oauth.validate(token);
        if (!v) {
          this.ledger.markInvalid(
            t,
            'user',
            undefined,
            token,
            'Twitch rejected the refreshed token',
          );
          return;
        }
      }
      this.ledger.recordValidation(t, token, v);
      if (v.clientId && v.clientId !== this.opts.clientId) {
        this.ledger.markInvalid(
          t,
          'user',
          undefined,
          undefined,
          `the user token was issued to another client id than TWITCH_CLIENT_ID (${this.opts.clientId})`,
        );
        return;
      }
      this.ledger.setState(t, 'ok', this.ledger.okMessage('user', undefined, v));
      if (!v.scopes.includes(CLIP_SCOPE)) {
        this.opts.log.warn(
          { tokenKind: 'user', login: v.login, scopes: v.scopes },
          `the bot's user token lacks the ${CLIP_SCOPE} scope: creating clips will fail`,
        );
      }
      this.noticeRotation('user', t, token);
    } catch (err) {
      if (err instanceof TokenError && !(err instanceof TokenUnavailableError)) return; // recorded already
      if (t.state !== 'ok') {
        this.ledger.setUnreachable(t, 'could not validate the user token', err as Error);
      }
      this.opts.log.warn(
        { tokenKind: 'user', err: { message: (err as Error).message } },
        'could not validate the user token; will try again',
      );
    }
  }

  // ---- app token ---------------------------------------------------------------------

  private async getAppToken(): Promise<string> {
    if (!this.appTokenAvailable()) {
      throw new TokenError('app', 'no TWITCH_CLIENT_SECRET configured: no app token');
    }
    const stored = await this.store.get('app');
    if (stored && (stored.expiresAt === undefined || stored.expiresAt - this.skewMs > this.now())) {
      return stored.accessToken;
    }
    return this.refresher.renewAppToken(stored?.accessToken);
  }

  /** Emits 'user-token' when the user token differs from the one last handed out. */
  private noticeRotation(kind: TokenKind, t: Tracked, token: string, isNew = false): void {
    const changed = t.lastAccessToken !== token && (isNew || t.lastAccessToken !== undefined);
    t.lastAccessToken = token;
    if (kind === 'user' && changed) this.emit('user-token', token);
  }
}
