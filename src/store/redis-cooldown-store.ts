import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { script } from '../redis/scripts.js';
import type {
  CooldownCheck,
  CooldownClaim,
  CooldownsCheck,
  CooldownStore,
  CooldownTicket,
} from '../core/stores.js';

const TAKE = script('cooldown-take');

const TAKE_ALL = script('cooldown-take-all');

const RELEASE = script('cooldown-release');

/** Cooldowns as Redis keys with an expiry: shared by every process, surviving restarts. */
export class RedisCooldownStore implements CooldownStore {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(opts: { redis: Redis; prefix: string }) {
    this.redis = opts.redis;
    this.prefix = opts.prefix;
  }

  tryTake(key: string, seconds: number): Promise<CooldownCheck> {
    return this.take(this.cooldownKey(key), seconds);
  }

  async tryTakeAll(claims: readonly CooldownClaim[]): Promise<CooldownsCheck> {
    const wanted = claims
      .map((c) => ({ ...c, ms: Math.ceil(c.seconds * 1000) }))
      .filter((c) => c.ms > 0);
    if (wanted.length === 0) return { ok: true, ticket: { taken: [] } };
    const token = randomBytes(12).toString('base64url');
    const args: (string | number)[] = [token];
    for (const c of wanted) {
      args.push(c.ms, c.joinWithinS === undefined ? -1 : Math.floor(c.joinWithinS * 1000));
    }
    const keys = wanted.map((c) => this.cooldownKey(c.key));
    const answer = (await TAKE_ALL.run(this.redis, keys, args)) as number[];
    const [first = 0, ...rest] = answer.map(Number);
    if (first > 0) {
      const refused = wanted[first - 1];
      return { ok: false, key: refused?.key ?? '', retryAfterS: (rest[0] ?? 0) / 1000 };
    }
    const taken = rest
      .map((i) => wanted[i - 1])
      .filter((c): c is (typeof wanted)[number] => c !== undefined)
      .map((c) => ({ key: c.key, token }));
    return { ok: true, ticket: { taken } };
  }

  async release(ticket: CooldownTicket): Promise<void> {
    if (ticket.taken.length === 0) return;
    const keys = ticket.taken.map((t) => this.cooldownKey(t.key));
    await RELEASE.run(
      this.redis,
      keys,
      ticket.taken.map((t) => t.token),
    );
  }

  async shouldNotify(key: string, seconds: number): Promise<boolean> {
    return (await this.take(`${this.prefix}:notified:${key}`, seconds)).ok;
  }

  private cooldownKey(key: string): string {
    return `${this.prefix}:cooldown:${key}`;
  }

  private async take(key: string, seconds: number): Promise<CooldownCheck> {
    const ms = Math.ceil(seconds * 1000);
    if (!(ms > 0)) return { ok: true };
    const ttl = Number(await TAKE.run(this.redis, [key], [ms]));
    return ttl < 0 ? { ok: true } : { ok: false, retryAfterS: ttl / 1000 };
  }
}
