import type { Redis } from 'ioredis';
import { LuaScript } from '../redis/lua-script.js';
import type { ClipKeys } from './keys.js';

export interface ClipCreationGateOptions {
  redis: Redis;
  keys: ClipKeys;
  /** The first pause after Create Clip's bucket ran dry. Default 5 s. */
  basePauseMs?: number;
  /** Pauses double per 429 in a row, up to this. Default 5 minutes. */
  maxPauseMs?: number;
  now?: () => number;
}

/**
 * KEYS: pause hash. ARGV: nowMs, baseMs, maxMs.
 * One more strike: the pause doubles per 429 in a row (Twitch sends no reset time for
 * Create Clip's bucket), and never shortens a pause another worker already set.
 * Returns the epoch ms until which clip creation is paused.
 */
const STRIKE = new LuaScript(
  'clip-creation-strike',
  `
local key = KEYS[1]
local now, base, max = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local strikes = redis.call('HINCRBY', key, 'strikes', 1)
local pause = math.min(max, base * (2 ^ (strikes - 1)))
local untilMs = now + pause
local current = tonumber(redis.call('HGET', key, 'until') or '0') or 0
if current > untilMs then untilMs = current end
redis.call('HSET', key, 'until', string.format('%d', untilMs))
-- Strikes are forgotten once clip creation has gone well for a while.
redis.call('PEXPIRE', key, (untilMs - now) + max * 2)
return string.format('%d', untilMs)
`,
);

/**
 * Create Clip's own rate-limit bucket (Ratelimit-Helixclipscreation-Limit/-Remaining,
 * nicklaw5/helix clips.go), apart from the general one. When it runs dry, clip creation,
 * and only clip creation, pauses for every worker in every process: reads (live checks,
 * waiting for clips to appear) go on. State lives in Redis so a worker that starts during
 * a pause honours it too.
 */
export class ClipCreationGate {
  private readonly now: () => number;

  constructor(private readonly opts: ClipCreationGateOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Epoch ms until which clip creation is paused, or undefined when it is not. */
  async pausedUntil(): Promise<number | undefined> {
    const raw = await this.opts.redis.hget(this.opts.keys.clipCreationPause(), 'until');
    const until = raw === null ? NaN : Number(raw);
    return Number.isFinite(until) && until > this.now() ? until : undefined;
  }

  /** Create Clip answered 429 from its own bucket: pause (longer each time in a row). */
  async strike(): Promise<number> {
    const out = await STRIKE.run(
      this.opts.redis,
      [this.opts.keys.clipCreationPause()],
      [this.now(), this.opts.basePauseMs ?? 5000, this.opts.maxPauseMs ?? 300_000],
    );
    return Number(out);
  }

  /** A clip was created: the bucket has points again, so the next pause starts short. */
  async clear(): Promise<void> {
    await this.opts.redis.hdel(this.opts.keys.clipCreationPause(), 'strikes');
  }
}
