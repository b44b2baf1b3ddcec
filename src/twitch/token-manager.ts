import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { TokenError } from './errors.js';
import type { TokenKind } from './helix-api.js';
import { OAuthError, TwitchOAuthClient, type TokenValidation } from './oauth-client.js';
import { networkCause } from '../ops/network-cause.js';
import { sleep } from './sleep.js';
import { type HelixTokenSource, TokenUnavailableError } from './token-source.js';
import { RedisTokenStore, type StoredToken } from './token-store.js';

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

/** 'unreachable': Twitch's OAuth server did not answer, so nothing is known yet. */
export type TokenStateName = 'ok' | 'missing' | 'invalid' | 'refreshing' | 'unreachable';

export interface TokenStatus {
  state: TokenStateName;
  /** One line for /healthz and `clipbot doctor`; never contains a token. */
  message: string;
  /** What went wrong, without the advice the message ends with (for doctor's own fix line). */
  problem?: string;
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

/** Per token (kind + broadcaster) facts this process learned; memory only. */
interface Tracked {
  state: TokenStateName;
  message: string;
  problem?: string;
  /** An access token that was rejected and could not be refreshed: not tried again. */
  deadAccessToken?: string;
  /** The error was logged; it is logged once until the token works again. */
  reported: boolean;
  /** The access token last handed out, to notice a rotation done by another process. */
  lastAccessToken?: string;
  /** From the latest validation of `validatedToken`. */
  validatedToken?: string;
  validation?: TokenValidation;
  validatedExpiresAt?: number;
}

const CLIP_SCOPE = 'clips:edit';

function describeKind(kind: TokenKind, broadcasterId?: string): string {
  return kind === 'broadcaster' ? `broadcaster token (${broadcasterId ?? '?'})` : `${kind} token`;
}

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
  private readonly tracked = new Map<string, Tracked>();
  private readonly inflight = new Map<string, Promise<string>>();
  private readonly seedHash: string | undefined;
  private readonly lockTtlMs: number;
  private readonly lockPollMs: number;
  private readonly skewMs: number;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private validating: Promise<void> | undefined;

  constructor(private readonly opts: TokenManagerOptions) {
    super();
    this.store = new RedisTokenStore(opts.redis, opts.prefix);
    const timeoutMs = opts.timeoutMs ?? 10_000;
    this.oauth = new TwitchOAuthClient({
      authUrl: opts.authUrl,
      clientId: opts.clientId,
      clientSecret: opts.clientSecret,
      timeoutMs,
    });
    this.seedHash = opts.seedUserToken ? seedHash(opts.seedUserToken) : undefined;
    this.lockTtlMs = opts.lockTtlMs ?? timeoutMs + 2_000;
    this.lockPollMs = opts.lockPollMs ?? 50;
    this.skewMs = (opts.expirySkewS ?? 60) * 1000;
    this.now = opts.now ?? Date.now;
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
    const t = this.track(kind, broadcasterId);
    const stored = await this.store.get(kind, broadcasterId);
    if (!stored) {
      this.setState(t, 'missing', this.missingMessage(kind, broadcasterId));
      throw new TokenError(kind, t.message);
    }
    if (stored.accessToken === t.deadAccessToken) throw new TokenError(kind, t.message);
    const expiresAt =
      stored.expiresAt ??
      (t.validatedToken === stored.accessToken ? t.validatedExpiresAt : undefined);
    if (expiresAt !== undefined && expiresAt - this.skewMs <= this.now() && stored.refreshToken) {
      try {
        return await this.refreshShared(kind, stored.accessToken, broadcasterId);
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
    if (kind === 'app') return this.renewAppToken(rejectedToken);
    return this.refreshShared(kind, rejectedToken, broadcasterId);
  }

  /** For /healthz and `doctor`. */
  state(kind: TokenKind, broadcasterId?: string): TokenStatus {
    if (kind === 'app' && !this.appTokenAvailable()) {
      return {
        state: 'missing',
        message: 'no TWITCH_CLIENT_SECRET: reads use the user token',
      };
    }
    const t = this.tracked.get(this.keyOf(kind, broadcasterId));
    if (!t) {
      return { state: 'missing', message: `${describeKind(kind, broadcasterId)} not checked yet` };
    }
    return { state: t.state, message: t.message, problem: t.problem };
  }

  /** The bot account as the latest validation saw it. */
  botIdentity(): BotIdentity | undefined {
    const v = this.tracked.get('user')?.validation;
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
    const t = this.track(kind, broadcasterId);
    this.recordValidation(t, tokens.accessToken, v);
    this.setState(t, 'ok', this.okMessage(kind, broadcasterId, v));
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
    const t = this.track('user');
    try {
      const stored = await this.store.get('user');
      if (!stored) {
        this.setState(t, 'missing', this.missingMessage('user'));
        this.report(t, 'warn', 'user');
        return;
      }
      let token = stored.accessToken;
      if (token === t.deadAccessToken) return;
      let v = await this.oauth.validate(token);
      if (!v) {
        token = await this.refreshShared('user', token);
        v = await this.oauth.validate(token);
        if (!v) {
          this.markInvalid(t, 'user', undefined, token, 'Twitch rejected the refreshed token');
          return;
        }
      }
      this.recordValidation(t, token, v);
      if (v.clientId && v.clientId !== this.opts.clientId) {
        this.markInvalid(
          t,
          'user',
          undefined,
          undefined,
          `the user token was issued to another client id than TWITCH_CLIENT_ID (${this.opts.clientId})`,
        );
        return;
      }
      this.setState(t, 'ok', this.okMessage('user', undefined, v));
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
        this.setUnreachable(t, 'could not validate the user token', err as Error);
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
    return this.renewAppToken(stored?.accessToken);
  }

  /** Client credentials; single-flight. App tokens do not invalidate each other, so no lock. */
  private renewAppToken(rejected: string | undefined): Promise<string> {
    const key = 'app';
    const running = this.inflight.get(key);
    if (running) return running;
    const p = (async () => {
      const t = this.track('app');
      const stored = await this.store.get('app');
      if (stored && stored.accessToken !== rejected) return stored.accessToken;
      try {
        const res = await this.oauth.clientCredentials();
        await this.store.set('app', {
          accessToken: res.accessToken,
          scopes: res.scopes,
          expiresAt: res.expiresIn !== undefined ? this.now() + res.expiresIn * 1000 : undefined,
          storedAt: this.now(),
        });
        this.setState(t, 'ok', 'app token obtained by client credentials');
        this.opts.log.info({ tokenKind: 'app' }, 'obtained an app token (client credentials)');
        return res.accessToken;
      } catch (err) {
        const e = err as OAuthError;
        if (e instanceof OAuthError && e.transient) {
          this.setUnreachable(t, 'could not get an app token', e);
          throw new TokenUnavailableError('app', `could not get an app token: ${e.message}`);
        }
        this.setState(
          t,
          'invalid',
          `Twitch refused client credentials (${e.message}); check TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET`,
          `Twitch refused the client credentials: ${e.message}`,
        );
        this.report(t, 'error', 'app');
        throw new TokenError('app', t.message);
      }
    })().finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }

  // ---- user and broadcaster refresh --------------------------------------------------

  /** One refresh per token at a time in this process; callers share its result. */
  private refreshShared(
    kind: TokenKind,
    rejected: string,
    broadcasterId?: string,
  ): Promise<string> {
    const key = this.keyOf(kind, broadcasterId);
    const running = this.inflight.get(key);
    if (running) return running;
    const p = this.refreshLocked(kind, rejected, broadcasterId).finally(() =>
      this.inflight.delete(key),
    );
    this.inflight.set(key, p);
    return p;
  }

  private async refreshLocked(
    kind: TokenKind,
    rejected: string,
    broadcasterId?: string,
  ): Promise<string> {
    const t = this.track(kind, broadcasterId);
    const before = { state: t.state, message: t.message };
    const deadline = this.now() + 2 * this.lockTtlMs;
    let refreshing = false;
    try {
      for (;;) {
        const stored = await this.store.get(kind, broadcasterId);
        if (!stored) {
          this.setState(t, 'missing', this.missingMessage(kind, broadcasterId));
          throw new TokenError(kind, t.message);
        }
        const next = this.settledByStore(t, kind, stored, rejected, broadcasterId);
        if ('use' in next) return next.use;
        if (!refreshing) {
          refreshing = true;
          this.setState(t, 'refreshing', `refreshing the ${describeKind(kind, broadcasterId)}`);
        }
        const lock = await this.store.tryLock(kind, this.lockTtlMs, broadcasterId);
        if (lock) {
          try {
            return await this.refreshHoldingLock(t, kind, rejected, broadcasterId);
          } finally {
            await this.store.unlock(kind, lock, broadcasterId).catch(() => undefined);
          }
        }
        // Another process is refreshing: wait for its token rather than burn the refresh token.
        while (this.now() < deadline && (await this.store.isLocked(kind, broadcasterId))) {
          await sleep(this.lockPollMs);
          const s = await this.store.get(kind, broadcasterId);
          if (s && s.accessToken !== rejected) break;
        }
        if (this.now() >= deadline) {
          throw new TokenUnavailableError(
            kind,
            'timed out waiting for another process to refresh the token',
          );
        }
      }
    } catch (err) {
      if (err instanceof TokenUnavailableError && t.state === 'refreshing') {
        this.setState(t, before.state, before.message);
      }
      throw err;
    }
  }

  /**
   * What the stored token already decides, checked before taking the refresh lock and again
   * under it: a token someone else already put in place of the rejected one is used, and a
   * rejected token that cannot be refreshed is marked invalid (thrown). Otherwise: the
   * refresh token to use.
   */
  private settledByStore(
    t: Tracked,
    kind: TokenKind,
    stored: StoredToken,
    rejected: string,
    broadcasterId?: string,
  ): { use: string } | { refresh: string } {
    if (stored.accessToken !== rejected) {
      if (stored.accessToken === t.deadAccessToken) throw new TokenError(kind, t.message);
      if (t.state !== 'ok') {
        this.setState(t, 'ok', `${describeKind(kind, broadcasterId)} refreshed`);
      }
      this.noticeRotation(kind, t, stored.accessToken, true);
      return { use: stored.accessToken };
    }
    if (rejected === t.deadAccessToken) throw new TokenError(kind, t.message);
    if (!stored.refreshToken) {
      this.markInvalid(
        t,
        kind,
        broadcasterId,
        rejected,
        'it was rejected and there is no refresh token',
      );
      throw new TokenError(kind, t.message);
    }
    return { refresh: stored.refreshToken };
  }

  private async refreshHoldingLock(
    t: Tracked,
    kind: TokenKind,
    rejected: string,
    broadcasterId?: string,
  ): Promise<string> {
    // Re-read under the lock: the previous holder may have finished just now.
    const stored = await this.store.get(kind, broadcasterId);
    if (!stored) throw new TokenError(kind, this.missingMessage(kind, broadcasterId));
    const settled = this.settledByStore(t, kind, stored, rejected, broadcasterId);
    if ('use' in settled) return settled.use;
    let res;
    try {
      res = await this.oauth.refresh(settled.refresh);
    } catch (err) {
      const e = err as Error;
      if (e instanceof OAuthError && e.transient) {
        this.opts.log.warn(
          { tokenKind: kind, broadcasterId, status: e.status },
          `could not refresh the ${describeKind(kind, broadcasterId)} for now: ${e.message}`,
        );
        throw new TokenUnavailableError(kind, `could not refresh the token for now: ${e.message}`);
      }
      this.markInvalid(t, kind, broadcasterId, rejected, `the refresh failed: ${e.message}`);
      throw new TokenError(kind, t.message);
    }
    const now = this.now();
    const next: StoredToken = {
      ...stored,
      accessToken: res.accessToken,
      // Twitch rotates refresh tokens: the new one always replaces the old one.
      refreshToken: res.refreshToken ?? stored.refreshToken,
      scopes: res.scopes.length > 0 ? res.scopes : stored.scopes,
      expiresAt: res.expiresIn !== undefined ? now + res.expiresIn * 1000 : undefined,
      storedAt: now,
    };
    await this.store.set(kind, next, broadcasterId);
    t.deadAccessToken = undefined;
    this.setState(t, 'ok', `${describeKind(kind, broadcasterId)} refreshed`);
    this.opts.log.info(
      { tokenKind: kind, broadcasterId },
      `refreshed the ${describeKind(kind, broadcasterId)}`,
    );
    this.noticeRotation(kind, t, next.accessToken, true);
    return next.accessToken;
  }

  // ---- bookkeeping -------------------------------------------------------------------

  private keyOf(kind: TokenKind, broadcasterId?: string): string {
    return kind === 'broadcaster' ? `broadcaster:${broadcasterId ?? ''}` : kind;
  }

  private track(kind: TokenKind, broadcasterId?: string): Tracked {
    const key = this.keyOf(kind, broadcasterId);
    let t = this.tracked.get(key);
    if (!t) {
      t = {
        state: 'missing',
        message: `${describeKind(kind, broadcasterId)} not checked yet`,
        reported: false,
      };
      this.tracked.set(key, t);
    }
    return t;
  }

  private setState(t: Tracked, state: TokenStateName, message: string, problem?: string): void {
    t.state = state;
    t.message = message;
    t.problem = problem;
    if (state === 'ok') t.reported = false;
  }

  /** No answer from Twitch (5xx, 429, or none at all): says so, never blames the credentials. */
  private setUnreachable(t: Tracked, what: string, err: Error): void {
    const why =
      err instanceof OAuthError && err.status > 0
        ? `Twitch answered ${err.status}`
        : (networkCause(err.message) ?? err.message);
    const problem = `${what}: ${why} (${err instanceof OAuthError ? err.endpoint : 'OAuth'} at ${this.opts.authUrl})`;
    this.setState(t, 'unreachable', `${problem}; will try again`, problem);
  }

  private markInvalid(
    t: Tracked,
    kind: TokenKind,
    broadcasterId: string | undefined,
    deadToken: string | undefined,
    why: string,
  ): void {
    if (deadToken !== undefined) t.deadAccessToken = deadToken;
    const fix = kind === 'broadcaster' ? 'run `clipbot auth --broadcaster`' : 'run `clipbot auth`';
    const problem = `the ${describeKind(kind, broadcasterId)} cannot be used: ${why}`;
    this.setState(t, 'invalid', `${problem}; ${fix}`, problem);
    this.report(t, 'error', kind, broadcasterId);
  }

  /** Logs a token problem once, until the token works again. */
  private report(
    t: Tracked,
    level: 'error' | 'warn',
    kind: TokenKind,
    broadcasterId?: string,
  ): void {
    if (t.reported) return;
    t.reported = true;
    this.opts.log[level]({ tokenKind: kind, broadcasterId, tokenState: t.state }, t.message);
  }

  private recordValidation(t: Tracked, token: string, v: TokenValidation): void {
    t.validatedToken = token;
    t.validation = v;
    t.validatedExpiresAt = v.expiresIn > 0 ? this.now() + v.expiresIn * 1000 : undefined;
  }

  /** Emits 'user-token' when the user token differs from the one last handed out. */
  private noticeRotation(kind: TokenKind, t: Tracked, token: string, isNew = false): void {
    const changed = t.lastAccessToken !== token && (isNew || t.lastAccessToken !== undefined);
    t.lastAccessToken = token;
    if (kind === 'user' && changed) this.emit('user-token', token);
  }

  private missingMessage(kind: TokenKind, broadcasterId?: string): string {
    if (kind === 'broadcaster') {
      return `no token stored for broadcaster ${broadcasterId ?? '?'}: run \`clipbot auth --broadcaster\``;
    }
    return 'no user token: set TWITCH_ACCESS_TOKEN or run `clipbot auth`';
  }

  private okMessage(
    kind: TokenKind,
    broadcasterId: string | undefined,
    v: TokenValidation,
  ): string {
    const who = v.login ? ` for ${v.login}` : '';
    const expires =
      v.expiresIn > 0 ? `expires in ${Math.round(v.expiresIn / 60)} min` : 'does not expire';
    const lacks =
      kind === 'user' && !v.scopes.includes(CLIP_SCOPE) ? `; MISSING ${CLIP_SCOPE}` : '';
    return `${describeKind(kind, broadcasterId)}${who} is valid (${expires}; scopes: ${v.scopes.join(' ') || 'none'}${lacks})`;
  }
}
