import type { Redis } from 'ioredis';
import { script } from '../redis/scripts.js';
import type {
  DiscordLink,
  DiscordLinks,
  LinkLimits,
  LinkOutcome,
  TwitchChannelRef,
} from '../core/stores.js';

interface StoredLink {
  twitch: TwitchChannelRef;
  postChannelId?: string;
}

const UNLINK = script('discord-unlink');

const LINK = script('discord-link');

/**
 * Discord guild <-> Twitch channel links.
 *   <prefix>:links:guild:<guildId>          hash broadcasterId -> {twitch, postChannelId}
 *   <prefix>:links:guilds-of:<broadcasterId> set of guildIds (reverse index for posting)
 *   <prefix>:links:channels                 hash broadcasterId -> TwitchChannelRef
 */
export class RedisDiscordLinks implements DiscordLinks {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(opts: { redis: Redis; prefix: string }) {
    this.redis = opts.redis;
    this.prefix = opts.prefix;
  }

  private guildKey(guildId: string): string {
    return `${this.prefix}:links:guild:${guildId}`;
  }
  private guildsOfKey(broadcasterId: string): string {
    return `${this.prefix}:links:guilds-of:${broadcasterId}`;
  }
  private get channelsKey(): string {
    return `${this.prefix}:links:channels`;
  }

  async link(
    guildId: string,
    twitch: TwitchChannelRef,
    postChannelId?: string,
    limits: LinkLimits = {},
  ): Promise<LinkOutcome> {
    const ref: TwitchChannelRef = {
      id: twitch.id,
      login: twitch.login,
      displayName: twitch.displayName,
    };
    const stored: StoredLink = postChannelId ? { twitch: ref, postChannelId } : { twitch: ref };
    const keys = [this.guildKey(guildId), this.guildsOfKey(ref.id), this.channelsKey];
    const outcome = await LINK.run(this.redis, keys, [
      ref.id,
      JSON.stringify(stored),
      JSON.stringify(ref),
      limits.perGuild ?? 0,
      limits.total ?? 0,
      guildId,
    ]);
    return outcome as LinkOutcome;
  }

  async unlink(guildId: string, login?: string): Promise<number> {
    const wanted = login?.toLowerCase();
    const targets = (await this.forGuild(guildId)).filter(
      (l) => wanted === undefined || l.twitch.login === wanted,
    );
    let removed = 0;
    for (const l of targets) {
      const keys = [this.guildKey(guildId), this.guildsOfKey(l.twitch.id), this.channelsKey];
      removed += Number(await UNLINK.run(this.redis, keys, [l.twitch.id, guildId]));
    }
    return removed;
  }

  async forGuild(guildId: string): Promise<DiscordLink[]> {
    const hash = await this.redis.hgetall(this.guildKey(guildId));
    const links: DiscordLink[] = [];
    for (const raw of Object.values(hash)) {
      const stored = parse<StoredLink>(raw);
      if (!stored) continue;
      links.push(
        stored.postChannelId
          ? { guildId, twitch: stored.twitch, postChannelId: stored.postChannelId }
          : { guildId, twitch: stored.twitch },
      );
    }
    return links.sort((a, b) => a.twitch.login.localeCompare(b.twitch.login));
  }

  async postTargets(broadcasterId: string): Promise<{ guildId: string; channelId: string }[]> {
    const guilds = await this.redis.smembers(this.guildsOfKey(broadcasterId));
    if (guilds.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const g of guilds) pipeline.hget(this.guildKey(g), broadcasterId);
    const answers = (await pipeline.exec()) ?? [];
    const targets: { guildId: string; channelId: string }[] = [];
    guilds.forEach((guildId, i) => {
      const raw = answers[i]?.[1];
      const stored = typeof raw === 'string' ? parse<StoredLink>(raw) : undefined;
      if (stored?.postChannelId) targets.push({ guildId, channelId: stored.postChannelId });
    });
    return targets;
  }

  async allLinkedChannels(): Promise<TwitchChannelRef[]> {
    const hash = await this.redis.hgetall(this.channelsKey);
    return Object.values(hash)
      .map((raw) => parse<TwitchChannelRef>(raw))
      .filter((r): r is TwitchChannelRef => r !== undefined)
      .sort((a, b) => a.login.localeCompare(b.login));
  }
}

function parse<T>(raw: string): T | undefined {
  try {
    return JSON.parse(raw) as T;
  } catch {
    return undefined;
  }
}
