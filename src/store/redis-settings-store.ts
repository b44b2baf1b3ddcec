import type { Redis } from 'ioredis';
import { UserError } from '../core/command.js';
import type { SettingsStore } from '../core/stores/settings-store.js';
import { DEFAULT_CHANNEL_SETTINGS, type ChannelSettings } from '../core/channel-settings.js';
import {
  SETTINGS_LIMITS,
  durationOrderProblem,
  fromHash,
  patchFields,
} from '../core/settings-validation.js';

const DURATIONS = ['minDuration', 'defaultDuration', 'maxDuration'] as const;

// The patch is combined with what is stored and checked in one atomic step, so two
// moderators changing different settings at once both keep their change, and two changes
// that are fine alone but not together (min 20, default 10) cannot both be stored.
// The stored durations are read as fromHash reads them (a bad field or an inconsistent
// range counts as the defaults), and, when the patch sets a duration, all three are written
// back, so the stored range is always the one that was checked. A patch of other fields
// leaves the durations unstored: the channel keeps following CLIP_DEFAULT_DURATION.
// KEYS[1]: the channel's hash. ARGV: the duration bounds (lo, hi), the default min, default
// and max, then the patch as field, value pairs, each already valid on its own.
// Answers {0, min, default, max} when the range would break, else {1, the stored hash}.
const UPDATE = `
local lo, hi = tonumber(ARGV[1]), tonumber(ARGV[2])
local defaults = {tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])}
local names = {'minDuration', 'defaultDuration', 'maxDuration'}
local patch = {}
for i = 6, #ARGV, 2 do patch[ARGV[i]] = ARGV[i + 1] end
local stored = redis.call('HMGET', KEYS[1], unpack(names))
local d = {}
for i = 1, 3 do
  local n = stored[i] and string.match(stored[i], '^%-?%d+$') and tonumber(stored[i])
  if not n or n < lo or n > hi then n = defaults[i] end
  d[i] = n
end
if not (d[1] <= d[2] and d[2] <= d[3]) then d = {defaults[1], defaults[2], defaults[3]} end
local write = {}
local durations = false
for k, v in pairs(patch) do
  local at = nil
  for i = 1, 3 do if names[i] == k then at = i end end
  if at then
    d[at] = tonumber(v)
    durations = true
  else
    table.insert(write, k); table.insert(write, v)
  end
end
if not (d[1] <= d[2] and d[2] <= d[3]) then return {0, d[1], d[2], d[3]} end
if durations then
  for i = 1, 3 do table.insert(write, names[i]); table.insert(write, tostring(d[i])) end
end
if #write > 0 then redis.call('HSET', KEYS[1], unpack(write)) end
return {1, redis.call('HGETALL', KEYS[1])}
`;

/**
 * Channel settings in one Redis hash per channel (`<prefix>:settings:<broadcasterId>`).
 * Nothing is cached in the process, so a change made anywhere is in force at once everywhere.
 */
export class RedisSettingsStore implements SettingsStore {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly defaults: ChannelSettings;

  /** `defaults`: what a channel that set nothing gets (channelDefaults(CLIP_DEFAULT_DURATION)). */
  constructor(opts: { redis: Redis; prefix: string; defaults?: ChannelSettings }) {
    this.redis = opts.redis;
    this.prefix = opts.prefix;
    this.defaults = opts.defaults ?? DEFAULT_CHANNEL_SETTINGS;
  }

  private key(broadcasterId: string): string {
    return `${this.prefix}:settings:${broadcasterId}`;
  }

  async get(broadcasterId: string): Promise<ChannelSettings> {
    return fromHash(await this.redis.hgetall(this.key(broadcasterId)), this.defaults);
  }

  async update(broadcasterId: string, patch: Partial<ChannelSettings>): Promise<ChannelSettings> {
    const fields = patchFields(patch);
    const { min, max } = SETTINGS_LIMITS.duration;
    const args: (string | number)[] = [min, max, ...DURATIONS.map((k) => this.defaults[k])];
    for (const [field, value] of Object.entries(fields)) args.push(field, value);
    const answer = (await this.redis.eval(UPDATE, 1, this.key(broadcasterId), ...args)) as [
      number,
      ...unknown[],
    ];
    if (Number(answer[0]) !== 1) {
      const [, lo = 0, def = 0, hi = 0] = answer.map(Number);
      throw new UserError(
        durationOrderProblem(lo, def, hi) ?? 'Durations need min <= default <= max.',
      );
    }
    const flat = (answer[1] ?? []) as string[];
    const hash: Record<string, string> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) hash[flat[i]!] = flat[i + 1]!;
    return fromHash(hash, this.defaults);
  }
}
