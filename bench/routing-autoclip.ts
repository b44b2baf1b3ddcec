import { Redis } from 'ioredis';
import { channelDefaults } from '../src/core/channel-settings.js';
import { RedisSettingsStore } from '../src/store/redis-settings-store.js';
import type { LocalWorld } from '../standins/local-world.js';

/**
 * Turns automatic clips on for every channel under a bot's key prefix, as `!clipconfig
 * auto on` in each would; a bot started afterwards reads it as it joins each channel.
 */
export async function enableAutoclip(
  redisUrl: string,
  prefix: string,
  world: LocalWorld,
  channels: readonly string[],
): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    const settings = new RedisSettingsStore({ redis, prefix, defaults: channelDefaults(30) });
    for (const login of channels)
      await settings.update(world.twitch.userId(login), { autoEnabled: true });
  } finally {
    redis.disconnect();
  }
}
