import { Routes, type REST } from 'discord.js';
import { toRequestError } from './errors.js';

export interface ChannelGuildsOptions {
  /** How long an answer is kept. Default 10 minutes. */
  ttlMs?: number;
  /** Answers kept at most. Default 5,000. */
  maxEntries?: number;
}

export const CHANNEL_GUILDS_DEFAULTS = {
  ttlMs: 10 * 60_000,
  maxEntries: 5_000,
} as const satisfies Partial<ChannelGuildsOptions>;

/**
 * Which server a Discord channel belongs to, asked of Discord itself (GET /channels/:id).
 * Not discord.js's cache: an interaction's resolved channels are cached under the guild of
 * the interaction, whatever guild they belong to. A channel never moves between servers, so
 * answers are kept a while.
 */
export class ChannelGuilds {
  private readonly known = new Map<string, { guildId: string; until: number }>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  constructor(
    private readonly rest: REST,
    opts: ChannelGuildsOptions = {},
  ) {
    this.ttlMs = opts.ttlMs ?? CHANNEL_GUILDS_DEFAULTS.ttlMs;
    this.maxEntries = opts.maxEntries ?? CHANNEL_GUILDS_DEFAULTS.maxEntries;
  }

  /**
   * The channel's guild id; null for a channel outside any server, or one Discord does not
   * show the bot (unknown, deleted, no access). Throws DiscordRequestError when Discord
   * could not answer (worth retrying).
   */
  async guildOf(channelId: string): Promise<string | null> {
    const hit = this.known.get(channelId);
    if (hit && hit.until > Date.now()) return hit.guildId;
    if (!/^\d{1,22}$/.test(channelId)) return null;
    let guildId: string | null;
    try {
      const channel = (await this.rest.get(Routes.channel(channelId))) as { guild_id?: string };
      guildId = channel.guild_id ?? null;
    } catch (err) {
      const safe = toRequestError('channel lookup', err);
      if (!safe.permanent) throw safe;
      guildId = null;
    }
    // A refusal may end (the bot is given access): only answers that name a guild are kept.
    if (guildId !== null) this.remember(channelId, guildId);
    return guildId;
  }

  private remember(channelId: string, guildId: string): void {
    this.known.delete(channelId);
    if (this.known.size >= this.maxEntries) {
      const oldest = this.known.keys().next().value;
      if (oldest !== undefined) this.known.delete(oldest);
    }
    this.known.set(channelId, { guildId, until: Date.now() + this.ttlMs });
  }
}
