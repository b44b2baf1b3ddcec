import type { Logger } from 'pino';
import { TokenError } from './errors.js';
import type { TokenKind } from './helix-api.js';
import { OAuthError, type TwitchOAuthClient } from './oauth-client.js';
import { sleep } from './sleep.js';
import { describeKind, type TokenLedger, type Tracked } from './token-ledger.js';
import { TokenUnavailableError } from './token-source.js';
import type { RedisTokenStore, StoredToken } from './token-store.js';

export interface TokenRefreshDeps {
  store: RedisTokenStore;
  oauth: TwitchOAuthClient;
  ledger: TokenLedger;
  log: Logger;
  now: () => number;
  lockTtlMs: number;
  lockPollMs: number;
  /** Called with each token handed out, so the manager can notice a rotation. */
  noticeRotation: (kind: TokenKind, t: Tracked, token: string, isNew?: boolean) => void;
}

/**
 * Gets new tokens from Twitch: single-flight within this process and, for user and
 * broadcaster tokens, under a Redis lock across processes, because Twitch rotates the
 * refresh token and a second refresh with the old one fails.
 */
export class TokenRefresher {
  private readonly inflight = new Map<string, Promise<string>>();
  private readonly ledger: TokenLedger;

  constructor(private readonly deps: TokenRefreshDeps) {
    this.ledger = deps.ledger;
  }

  /** Client credentials; single-flight. App tokens do not invalidate each other, so no lock. */
  renewAppToken(rejected: string | undefined): Promise<string> {
    const key = 'app';
    const running = this.inflight.get(key);
    if (running) return running;
    const p = (async () => {
      const t = this.ledger.track('app');
      const stored = await this.deps.store.get('app');
      if (stored && stored.accessToken !== rejected) return stored.accessToken;
      try {
        const res = await this.deps.oauth.clientCredentials();
        await this.deps.store.set('app', {
          accessToken: res.accessToken,
          scopes: res.scopes,
          expiresAt:
            res.expiresIn !== undefined ? this.deps.now() + res.expiresIn * 1000 : undefined,
          storedAt: this.deps.now(),
        });
        this.ledger.setState(t, 'ok', 'app token obtained by client credentials');
        this.deps.log.info({ tokenKind: 'app' }, 'obtained an app token (client credentials)');
        return res.accessToken;
      } catch (err) {
        const e = err as OAuthError;
        if (e instanceof OAuthError && e.transient) {
          this.ledger.setUnreachable(t, 'could not get an app token', e);
          throw new TokenUnavailableError('app', `could not get an app token: ${e.message}`);
        }
        this.ledger.setState(
          t,
          'invalid',
          `Twitch refused client credentials (${e.message}); check TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET`,
          `Twitch refused the client credentials: ${e.message}`,
        );
        this.ledger.report(t, 'error', 'app');
        throw new TokenError('app', t.message);
      }
    })().finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }

  // ---- user and broadcaster refresh --------------------------------------------------

  /** One refresh per token at a time in this process; callers share its result. */
  refreshShared(kind: TokenKind, rejected: string, broadcasterId?: string): Promise<string> {
    const key = this.ledger.keyOf(kind, broadcasterId);
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
    const t = this.ledger.track(kind, broadcasterId);
    const before = { state: t.state, message: t.message };
    const deadline = this.deps.now() + 2 * this.deps.lockTtlMs;
    let refreshing = false;
    try {
      for (;;) {
        const stored = await this.deps.store.get(kind, broadcasterId);
        if (!stored) {
          this.ledger.setState(t, 'missing', this.ledger.missingMessage(kind, broadcasterId));
          throw new TokenError(kind, t.message);
        }
        const next = this.settledByStore(t, kind, stored, rejected, broadcasterId);
        if ('use' in next) return next.use;
        if (!refreshing) {
          refreshing = true;
          this.ledger.setState(
            t,
            'refreshing',
            `refreshing the ${describeKind(kind, broadcasterId)}`,
          );
        }
        const lock = await this.deps.store.tryLock(kind, this.deps.lockTtlMs, broadcasterId);
        if (lock) {
          try {
            return await this.refreshHoldingLock(t, kind, rejected, broadcasterId);
          } finally {
            await this.deps.store.unlock(kind, lock, broadcasterId).catch(() => undefined);
          }
        }
        // Another process is refreshing: wait for its token rather than burn the refresh token.
        while (
          this.deps.now() < deadline &&
          (await this.deps.store.isLocked(kind, broadcasterId))
        ) {
          await sleep(this.deps.lockPollMs);
          const s = await this.deps.store.get(kind, broadcasterId);
          if (s && s.accessToken !== rejected) break;
        }
        if (this.deps.now() >= deadline) {
          throw new TokenUnavailableError(
            kind,
            'timed out waiting for another process to refresh the token',
          );
        }
      }
    } catch (err) {
      if (err instanceof TokenUnavailableError && t.state === 'refreshing') {
        this.ledger.setState(t, before.state, before.message);
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
        this.ledger.setState(t, 'ok', `${describeKind(kind, broadcasterId)} refreshed`);
      }
      this.deps.noticeRotation(kind, t, stored.accessToken, true);
      return { use: stored.accessToken };
    }
    if (rejected === t.deadAccessToken) throw new TokenError(kind, t.message);
    if (!stored.refreshToken) {
      this.ledger.markInvalid(
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
    const stored = await this.deps.store.get(kind, broadcasterId);
    if (!stored) throw new TokenError(kind, this.ledger.missingMessage(kind, broadcasterId));
    const settled = this.settledByStore(t, kind, stored, rejected, broadcasterId);
    if ('use' in settled) return settled.use;
    let res;
    try {
      res = await this.deps.oauth.refresh(settled.refresh);
    } catch (err) {
      const e = err as Error;
      if (e instanceof OAuthError && e.transient) {
        this.deps.log.warn(
          { tokenKind: kind, broadcasterId, status: e.status },
          `could not refresh the ${describeKind(kind, broadcasterId)} for now: ${e.message}`,
        );
        throw new TokenUnavailableError(kind, `could not refresh the token for now: ${e.message}`);
      }
      this.ledger.markInvalid(t, kind, broadcasterId, rejected, `the refresh failed: ${e.message}`);
      throw new TokenError(kind, t.message);
    }
    const now = this.deps.now();
    const next: StoredToken = {
      ...stored,
      accessToken: res.accessToken,
      // Twitch rotates refresh tokens: the new one always replaces the old one.
      refreshToken: res.refreshToken ?? stored.refreshToken,
      scopes: res.scopes.length > 0 ? res.scopes : stored.scopes,
      expiresAt: res.expiresIn !== undefined ? now + res.expiresIn * 1000 : undefined,
      storedAt: now,
    };
    await this.deps.store.set(kind, next, broadcasterId);
    t.deadAccessToken = undefined;
    this.ledger.setState(t, 'ok', `${describeKind(kind, broadcasterId)} refreshed`);
    this.deps.log.info(
      { tokenKind: kind, broadcasterId },
      `refreshed the ${describeKind(kind, broadcasterId)}`,
    );
    this.deps.noticeRotation(kind, t, next.accessToken, true);
    return next.accessToken;
  }
}
