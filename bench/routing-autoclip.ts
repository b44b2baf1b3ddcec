import { Redis } from 'ioredis';
import { channelDefaults } from '../src/core/channel-settings.js';
import { RedisSettingsStore } from '../src/store/redis-settings-store.js';
import type { LocalWorld } from '../standins/local-world.js';

/**
 * Turns automatic clips on (or off) for every channel under a bot's key prefix, as
 * `!clipconfig auto on|off` in each would; a running bot applies it when it next reads
 * its settings (BotProcess.syncAutoclip asks it to now).
 */
export async function setAutoclip(
  redisUrl: string,
  prefix: string,
  world: LocalWorld,
  channels: readonly string[],
  on: boolean,
): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    const settings = new RedisSettingsStore({ redis, prefix, defaults: channelDefaults(30) });
    for (const login of channels)
      await settings.update(world.twitch.userId(login), { autoEnabled: on });
  } finally {
    redis.disconnect();
  }
}
