import type { Redis } from 'ioredis';
import type { CooldownCheck, CooldownStore } from './cooldown-store.js';

// One round trip, and the remaining time is read under the same lock as the failed SET,
// so a key that expires in between cannot give a negative wait.
const TAKE = `
if redis.call('SET', KEYS[1], '1', 'PX', ARGV[1], 'NX') then return -1 end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
  return -1
end
return ttl
`;

/** Cooldowns as Redis keys with an expiry: shared by every process, surviving restarts. */
export class RedisCooldownStore implements CooldownStore {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(opts: { redis: Redis; prefix: string }) {
    this.redis = opts.redis;
    this.prefix = opts.prefix;
  }

  tryTake(key: string, seconds: number): Promise<CooldownCheck> {
    return this.take(`${this.prefix}:cooldown:${key}`, seconds);
  }

  async shouldNotify(key: string, seconds: number): Promise<boolean> {
    return (await this.take(`${this.prefix}:notified:${key}`, seconds)).ok;
  }

  private async take(key: string, seconds: number): Promise<CooldownCheck> {
    const ms = Math.ceil(seconds * 1000);
    if (!(ms > 0)) return { ok: true };
    const ttl = Number(await this.redis.eval(TAKE, 1, key, ms));
    return ttl < 0 ? { ok: true } : { ok: false, retryAfterS: ttl / 1000 };
  }
}
