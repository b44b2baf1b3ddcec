import type { APIAllowedMentions, APIEmbed } from 'discord.js';

/** What the stand-in keeps about the world; the payloads sent to discord.js derive from it. */

export interface StandInUser {
  id: string;
  username: string;
  globalName?: string;
  bot?: boolean;
}

export interface StandInChannel {
  id: string;
  name: string;
  /** 0 text, 2 voice, 4 category, 5 announcement. */
  type: number;
  guildId: string;
}

export interface StandInGuild {
  id: string;
  name: string;
  ownerId: string;
  channels: StandInChannel[];
}

export interface StoredMessage {
  id: string;
  channelId: string;
  guildId?: string;
  /** 0 default, 20 chat input command response. */
  type: number;
  content: string;
  embeds: APIEmbed[];
  flags: number;
  allowedMentions?: APIAllowedMentions;
  createdAt: number;
  editedAt?: number;
  interactionId?: string;
  /** Interaction responses are sent by the application's webhook. */
  webhookId?: string;
}

export interface StoredInteraction {
  id: string;
  token: string;
  applicationId: string;
  /** 2 application command, 4 autocomplete. */
  type: number;
  commandName: string;
  guildId?: string;
  channelId: string;
  user: StandInUser;
  dispatchedAt: number;
  acknowledged: boolean;
  callbackType?: number;
  /** Loading flag (64 ephemeral | 128 loading) until the deferred response is edited. */
  original?: StoredMessage;
  followUps: StoredMessage[];
}
