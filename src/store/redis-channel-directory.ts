import type { Redis } from 'ioredis';
import type { HelixApi } from '../twitch/helix-api.js';
import type { HelixUser } from '../twitch/types.js';
import type { ChannelDirectory, TwitchChannelRef } from '../core/stores.js';
import { normalizeLogin } from '../core/twitch-login.js';

export interface RedisChannelDirectoryOptions {
  redis: Redis;
  prefix: string;
  helix: HelixApi;
  /** How long a found user is cached. Logins can be renamed, so not forever. */
  ttlS?: number;
  /** How long "no such user" is cached, so a typo repeated in chat costs one Helix call. */
  missTtlS?: number;
}

const MISS = '-';

export const CHANNEL_DIRECTORY_DEFAULTS = {
  ttlS: 86_400,
  missTtlS: 300,
} as const satisfies Partial<RedisChannelDirectoryOptions>;

/** Twitch login <-> id through Get Users, cached in Redis for every process. */
export class RedisChannelDirectory implements ChannelDirectory {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly helix: HelixApi;
  private readonly ttlS: number;
  private readonly missTtlS: number;
  /** Lookups in flight, so a burst of the same name makes one Helix call. */
  private readonly inflight = new Map<string, Promise<TwitchChannelRef | undefined>>();

  constructor(opts: RedisChannelDirectoryOptions) {
    this.redis = opts.redis;
    this.prefix = opts.prefix;
    this.helix = opts.helix;
    this.ttlS = opts.ttlS ?? CHANNEL_DIRECTORY_DEFAULTS.ttlS;
    this.missTtlS = opts.missTtlS ?? CHANNEL_DIRECTORY_DEFAULTS.missTtlS;
  }

  byLogin(login: string): Promise<TwitchChannelRef | undefined> {
    const normal = normalizeLogin(login);
    if (!normal) return Promise.resolve(undefined);
    return this.cached(`login:${normal}`, () => this.helix.getUsers({ logins: [normal] }));
  }

  byId(id: string): Promise<TwitchChannelRef | undefined> {
    const trimmed = id.trim();
    if (!/^\d{1,20}$/.test(trimmed)) return Promise.resolve(undefined);
    return this.cached(`id:${trimmed}`, () => this.helix.getUsers({ ids: [trimmed] }));
  }

  private cached(
    what: string,
    fetch: () => Promise<HelixUser[]>,
  ): Promise<TwitchChannelRef | undefined> {
    const running = this.inflight.get(what);
    if (running) return running;
    const p = this.lookup(what, fetch).finally(() => this.inflight.delete(what));
    this.inflight.set(what, p);
    return p;
  }

  private async lookup(
    what: string,
    fetch: () => Promise<HelixUser[]>,
  ): Promise<TwitchChannelRef | undefined> {
    const key = `${this.prefix}:users:${what}`;
    const hit = await this.redis.get(key);
    if (hit === MISS) return undefined;
    if (hit) {
      try {
        return JSON.parse(hit) as TwitchChannelRef;
      } catch {
        // a damaged entry is simply looked up again
      }
    }
    const user = (await fetch())[0];
    if (!user) {
      await this.redis.set(key, MISS, 'EX', this.missTtlS);
      return undefined;
    }
    const ref: TwitchChannelRef = {
      id: user.id,
      login: user.login.toLowerCase(),
      displayName: user.display_name || user.login,
    };
    const json = JSON.stringify(ref);
    await this.redis
      .multi()
      .set(`${this.prefix}:users:login:${ref.login}`, json, 'EX', this.ttlS)
      .set(`${this.prefix}:users:id:${ref.id}`, json, 'EX', this.ttlS)
      .exec();
    return ref;
  }
}
