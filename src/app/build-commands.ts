import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { allCommands } from '../../commands/index.js';
import type { ClipsTopOptions } from '../../commands/clips/top.js';
import { broadcasterScopesFrom } from '../../commands/vod/delete.js';
import { MessageClaims } from '../chat/message-claims.js';
import { CommandRouter } from '../chat/router.js';
import { LiveStatusTable } from '../clips/live-status-table.js';
import { RecentClips } from '../clips/recent-clips.js';
import { channelDefaults, type ChannelSettings } from '../core/channel-settings.js';
import type { CommandServices } from '../core/command.js';
import type { ChatChannels, SettingsStore } from '../core/stores.js';
import type { Config } from '../config.js';
import type { Metrics } from '../ops/metrics.js';
import { RedisChannelDirectory } from '../store/redis-channel-directory.js';
import { RedisCooldownStore } from '../store/redis-cooldown-store.js';
import type { RedisDiscordLinks } from '../store/redis-discord-links.js';
import { RedisPendingVodDeletions } from '../store/redis-pending-vod-deletions.js';
import { RedisSettingsStore } from '../store/redis-settings-store.js';
import type { HelixClient } from '../twitch/helix-client.js';
import { RedisTokenStore } from '../twitch/token-store.js';
import type { ClipPipeline } from './clip-pipeline.js';

/** Knobs with production defaults that tests shorten. */
export interface CommandsTuning {
  /** `/clips top` and `/clips game`: how long a top list is cached. */
  topCacheS?: number;
  /** `/vod delete`: how long the broadcaster has to confirm. */
  vodConfirmS?: number;
  /** The router's window for repeated informational calls in a chat. */
  repeatAnswerS?: number;
}

/** What the chat adapters call: every command behind the router, with the services they use. */
export interface CommandParts {
  readonly services: CommandServices;
  readonly router: CommandRouter;
}

export function buildCommands(opts: {
  config: Config;
  redis: Redis;
  helix: HelixClient;
  pipeline: ClipPipeline;
  links: RedisDiscordLinks;
  chatChannels: ChatChannels;
  log: Logger;
  metrics?: Metrics;
  tuning?: CommandsTuning;
  /** Told of every settings change stored through this process (automatic clips follow it). */
  onSettingsChange?: (broadcasterId: string, settings: ChannelSettings) => void;
}): CommandParts {
  const { config, redis, helix, log, tuning = {} } = opts;
  const prefix = config.REDIS_KEY_PREFIX;
  const stored = new RedisSettingsStore({
    redis,
    prefix,
    defaults: channelDefaults(config.CLIP_DEFAULT_DURATION),
  });
  const onChange = opts.onSettingsChange;
  const settings: SettingsStore = onChange
    ? {
        get: (id) => stored.get(id),
        update: async (id, patch) => {
          const now = await stored.update(id, patch);
          onChange(id, now);
          return now;
        },
      }
    : stored;
  const services: CommandServices = {
    config,
    log: log.child({ component: 'commands' }),
    helix,
    clips: opts.pipeline.service,
    settings,
    cooldowns: new RedisCooldownStore({ redis, prefix }),
    links: opts.links,
    channels: new RedisChannelDirectory({ redis, prefix, helix }),
    chatChannels: opts.chatChannels,
    commands: new Map(),
  };
  const top: ClipsTopOptions | undefined =
    tuning.topCacheS === undefined ? undefined : { cacheS: tuning.topCacheS };
  const live = new LiveStatusTable(redis, opts.pipeline.keys);
  const router = new CommandRouter({
    commands: allCommands({
      clip: { known: (login, id) => live.streamInfo(login, id) },
      clips: {
        recent: { recent: new RecentClips(redis, opts.pipeline.keys) },
        ...(top ? { top } : {}),
      },
      vod: {
        pending: new RedisPendingVodDeletions({ redis, prefix }),
        broadcasterScopes: broadcasterScopesFrom(new RedisTokenStore(redis, prefix)),
        ...(tuning.vodConfirmS === undefined ? {} : { confirmS: tuning.vodConfirmS }),
      },
    }),
    services,
    log: log.child({ component: 'router' }),
    metrics: opts.metrics,
    claims: new MessageClaims({ redis, prefix }),
    ...(tuning.repeatAnswerS === undefined ? {} : { repeatAnswerS: tuning.repeatAnswerS }),
  });
  return { services, router };
}
