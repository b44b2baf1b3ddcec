import type { TwitchChannelRef } from './discord-links.js';

/** Twitch login <-> id, through Get Users, cached in Redis. */
export interface ChannelDirectory {
  byLogin(login: string): Promise<TwitchChannelRef | undefined>;
  byId(id: string): Promise<TwitchChannelRef | undefined>;
}
