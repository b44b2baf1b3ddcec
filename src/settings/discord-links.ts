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

export interface DiscordLinks {
  link(guildId: string, twitch: TwitchChannelRef, postChannelId?: string): Promise<void>;
  /** Unlinks one channel, or every channel of the guild when login is omitted. Returns how many. */
  unlink(guildId: string, login?: string): Promise<number>;
  forGuild(guildId: string): Promise<DiscordLink[]>;
  /** Where to post clips of this broadcaster: every guild that linked it with a post channel. */
  postTargets(broadcasterId: string): Promise<{ guildId: string; channelId: string }[]>;
  /** Every Twitch channel linked by any guild (the chat adapter joins them). */
  allLinkedChannels(): Promise<TwitchChannelRef[]>;
}
