import type { Redis } from 'ioredis';
import { script } from '../redis/scripts.js';
import { UserError } from '../core/command.js';
import type { SettingsStore } from '../core/stores.js';
import { DEFAULT_CHANNEL_SETTINGS, type ChannelSettings } from '../core/channel-settings.js';
import {
  SETTINGS_LIMITS,
  durationOrderProblem,
  fromHash,
  patchFields,
} from '../core/settings-validation.js';

const DURATIONS = ['minDuration', 'defaultDuration', 'maxDuration'] as const;

const UPDATE = script('settings-update');

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
    const answer = (await UPDATE.run(this.redis, [this.key(broadcasterId)], args)) as [
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
