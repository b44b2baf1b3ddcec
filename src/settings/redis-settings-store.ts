import type { Redis } from 'ioredis';
import type { SettingsStore } from './settings-store.js';
import type { ChannelSettings } from './types.js';
import { applyPatch, fromHash, toHash } from './settings-validation.js';

/**
 * Channel settings in one Redis hash per channel (`<prefix>:settings:<broadcasterId>`).
 * Nothing is cached in the process, so a change made anywhere is in force at once everywhere.
 */
export class RedisSettingsStore implements SettingsStore {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(opts: { redis: Redis; prefix: string }) {
    this.redis = opts.redis;
    this.prefix = opts.prefix;
  }

  private key(broadcasterId: string): string {
    return `${this.prefix}:settings:${broadcasterId}`;
  }

  async get(broadcasterId: string): Promise<ChannelSettings> {
    return fromHash(await this.redis.hgetall(this.key(broadcasterId)));
  }

  async update(broadcasterId: string, patch: Partial<ChannelSettings>): Promise<ChannelSettings> {
    const next = applyPatch(await this.get(broadcasterId), patch);
    // The whole validated record is written, so the stored hash always satisfies the
    // cross-field rules (min <= default <= max) even when two moderators change it at once.
    await this.redis.hset(this.key(broadcasterId), toHash(next));
    return next;
  }
}
