import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type {
  CooldownCheck,
  CooldownClaim,
  CooldownsCheck,
  CooldownStore,
  CooldownTicket,
} from '../core/stores/cooldown-store.js';

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

// Every claim is checked before any is taken, so a refusal by the last one leaves the
// first ones free. ARGV: token, then per key its milliseconds and join window (<= 0: none).
// Answers {i, ttl} when claim i (1-based) refuses, else {0, i...} for the claims taken.
const TAKE_ALL = `
local take = {}
for i, key in ipairs(KEYS) do
  local ms = tonumber(ARGV[2 * i])
  local join = tonumber(ARGV[2 * i + 1])
  local ttl = redis.call('PTTL', key)
  if ttl > 0 then
    if join <= 0 or ms - ttl > join then return {i, ttl} end
    take[i] = false
  else
    take[i] = true
  end
end
local taken = {0}
for i, key in ipairs(KEYS) do
  if take[i] then
    redis.call('SET', key, ARGV[1], 'PX', ARGV[2 * i])
    table.insert(taken, i)
  end
end
return taken
`;

// Only the holder's own take is removed: after an expiry the key may be someone else's.
const RELEASE = `
local n = 0
for i, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[i] then n = n + redis.call('DEL', key) end
end
return n
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
    const answer = (await this.redis.eval(TAKE_ALL, keys.length, ...keys, ...args)) as number[];
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
    await this.redis.eval(RELEASE, keys.length, ...keys, ...ticket.taken.map((t) => t.token));
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
    const ttl = Number(await this.redis.eval(TAKE, 1, key, ms));
    return ttl < 0 ? { ok: true } : { ok: false, retryAfterS: ttl / 1000 };
  }
}
