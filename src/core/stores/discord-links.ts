export interface TwitchChannelRef {
  id: string;
  login: string;
  displayName: string;
}

export interface DiscordLink {
  guildId: string;
  twitch: TwitchChannelRef;
  /** Discord channel where clips made from Twitch chat for this channel are posted. */
  postChannelId?: string;
}

/** Caps checked in the same atomic step as the link (0 or unset: no cap). */
export interface LinkLimits {
  /** Links one guild may hold. */
  perGuild?: number;
  /** Distinct Twitch channels linked by all guilds together (chats the bot joins for links). */
  total?: number;
}

/** A re-link of a channel the guild (or, for `total`, any guild) already linked always fits. */
export type LinkOutcome = 'linked' | 'guild_full' | 'total_full';

export interface DiscordLinks {
  /** Links (or re-links, replacing the post channel) unless a cap in `limits` is reached. */
  link(
    guildId: string,
    twitch: TwitchChannelRef,
    postChannelId?: string,
    limits?: LinkLimits,
  ): Promise<LinkOutcome>;
  /** Unlinks one channel, or every channel of the guild when login is omitted. Returns how many. */
  unlink(guildId: string, login?: string): Promise<number>;
  forGuild(guildId: string): Promise<DiscordLink[]>;
  /** Where to post clips of this broadcaster: every guild that linked it with a post channel. */
  postTargets(broadcasterId: string): Promise<{ guildId: string; channelId: string }[]>;
  /** Every Twitch channel linked by any guild (the chat adapter joins them). */
  allLinkedChannels(): Promise<TwitchChannelRef[]>;
}
