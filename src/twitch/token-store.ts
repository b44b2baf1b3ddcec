import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { script } from '../redis/scripts.js';
import type { TokenKind } from './helix-api.js';

/** A token as kept in Redis. JSON; the access and refresh tokens are the only secrets. */
export interface StoredToken {
  accessToken: string;
  refreshToken?: string;
  scopes?: string[];
  /** Epoch ms; absent when unknown or the token does not expire. */
  expiresAt?: number;
  /** Epoch ms when this token was stored. */
  storedAt: number;
  login?: string;
  userId?: string;
  /** Hash of the TWITCH_ACCESS_TOKEN/REFRESH_TOKEN this token descends from. */
  seedHash?: string;
}

const RELEASE_SCRIPT = script('lease-release');

/**
 * Tokens in Redis, so a restart or another process uses the latest (Twitch rotates the
 * refresh token on every refresh; a stale copy in one process would be useless).
 */
export class RedisTokenStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  key(kind: TokenKind, broadcasterId?: string): string {
    if (kind === 'broadcaster') {
      if (!broadcasterId) throw new Error('a broadcaster token needs the broadcaster id');
      return `${this.prefix}:tokens:broadcaster:${broadcasterId}`;
    }
    return `${this.prefix}:tokens:${kind}`;
  }

  async get(kind: TokenKind, broadcasterId?: string): Promise<StoredToken | undefined> {
    const raw = await this.redis.get(this.key(kind, broadcasterId));
    if (!raw) return undefined;
    try {
      const parsed = JSON.parse(raw) as Partial<StoredToken>;
      if (typeof parsed.accessToken !== 'string' || parsed.accessToken.length === 0)
        return undefined;
      return { storedAt: 0, ...parsed, accessToken: parsed.accessToken };
    } catch {
      return undefined;
    }
  }

  async set(kind: TokenKind, token: StoredToken, broadcasterId?: string): Promise<void> {
    await this.redis.set(this.key(kind, broadcasterId), JSON.stringify(token));
  }

  async delete(kind: TokenKind, broadcasterId?: string): Promise<void> {
    await this.redis.del(this.key(kind, broadcasterId));
  }

  /** Broadcaster ids that have a stored token. */
  async broadcasterIds(): Promise<string[]> {
    const base = `${this.prefix}:tokens:broadcaster:`;
    const ids: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${base}*`, 'COUNT', 200);
      cursor = next;
      for (const k of keys) ids.push(k.slice(base.length));
    } while (cursor !== '0');
    return ids;
  }

  private lockKey(kind: TokenKind, broadcasterId?: string): string {
    return `${this.prefix}:tokens:lock:${kind}${broadcasterId ? `:${broadcasterId}` : ''}`;
  }

  /**
   * A short lock so only one process refreshes a token at a time: two refreshes with the
   * same refresh token would leave one process holding an invalidated one.
   * Returns the lock's value to release it with, or undefined when someone else holds it.
   */
  async tryLock(
    kind: TokenKind,
    ttlMs: number,
    broadcasterId?: string,
  ): Promise<string | undefined> {
    const value = randomUUID();
    const ok = await this.redis.set(this.lockKey(kind, broadcasterId), value, 'PX', ttlMs, 'NX');
    return ok === 'OK' ? value : undefined;
  }

  async isLocked(kind: TokenKind, broadcasterId?: string): Promise<boolean> {
    return (await this.redis.exists(this.lockKey(kind, broadcasterId))) === 1;
  }

  async unlock(kind: TokenKind, value: string, broadcasterId?: string): Promise<void> {
    await RELEASE_SCRIPT.run(this.redis, [this.lockKey(kind, broadcasterId)], [value]);
  }
}
