import type { ChannelSettings } from './channel-settings.js';
import type { Platform } from './clip.js';

// The store interfaces the commands and the router use; src/store/ implements them on Redis.

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

/** Twitch login <-> id, through Get Users, cached in Redis. */
export interface ChannelDirectory {
  byLogin(login: string): Promise<TwitchChannelRef | undefined>;
  byId(id: string): Promise<TwitchChannelRef | undefined>;
}

/**
 * The Twitch channels the chat connection should be in: TWITCH_CHANNELS plus those added by
 * configuration (Discord links). Stored in Redis; changes reach the chat adapter in any
 * process through Redis pub/sub.
 */
export interface ChatChannels {
  list(): Promise<string[]>;
  add(login: string): Promise<void>;
  remove(login: string): Promise<void>;
  /** Calls back on every add/remove from any process. Returns an unsubscribe function. */
  onChange(listener: (change: { op: 'add' | 'remove'; login: string }) => void): () => void;
}

export interface SettingsStore {
  /** The channel's settings, defaults filled in. */
  get(broadcasterId: string): Promise<ChannelSettings>;
  /** Validates and stores a change; returns the settings now in force. Throws UserError. */
  update(broadcasterId: string, patch: Partial<ChannelSettings>): Promise<ChannelSettings>;
}

export type CooldownCheck = { ok: true } | { ok: false; retryAfterS: number };

/** One cooldown a call needs, for tryTakeAll. */
export interface CooldownClaim {
  key: string;
  seconds: number;
  /**
   * A held cooldown that started at most this many seconds ago does not refuse the call (it
   * joins whatever started the cooldown) and is not taken again. Unset: a held one refuses.
   */
  joinWithinS?: number;
}

/** What a successful tryTakeAll took, so exactly that can be given back. */
export interface CooldownTicket {
  readonly taken: readonly { readonly key: string; readonly token: string }[];
}

export type CooldownsCheck =
  { ok: true; ticket: CooldownTicket } | { ok: false; key: string; retryAfterS: number };

export interface CooldownStore {
  /** Takes the cooldown `key` for `seconds` if it is free (atomic, shared by every process). */
  tryTake(key: string, seconds: number): Promise<CooldownCheck>;
  /**
   * Takes every claim or none, in one atomic step: when one is held (and not joinable), the
   * answer names it and nothing was taken.
   */
  tryTakeAll(claims: readonly CooldownClaim[]): Promise<CooldownsCheck>;
  /**
   * Gives back what a tryTakeAll took, for a call that turned out to do nothing. A cooldown
   * that expired and was taken by someone else since is left alone.
   */
  release(ticket: CooldownTicket): Promise<void>;
  /**
   * True the first time it is asked for `key` within `seconds`: lets the bot answer a
   * refused request once per user per cooldown, and stay quiet after.
   */
  shouldNotify(key: string, seconds: number): Promise<boolean>;
}

/**
 * A deletion of videos asked for (`/vod delete`, `!vod delete`) and waiting for the
 * broadcaster to confirm it in their own Twitch chat (`!vod confirm CODE`).
 */
export interface PendingVodDeletion {
  broadcasterId: string;
  broadcasterName: string;
  /** The channel's own videos, checked when asked; titles for the answer. */
  videos: { id: string; title: string }[];
  /** Who asked, for the log and the confirmation's answer. */
  requestedBy: { platform: Platform; userId: string; displayName: string; guildId?: string };
  /** epoch ms */
  requestedAt: number;
}

export interface PendingVodDeletions {
  /** Stores the deletion for `ttlS` under a new short code, unique within its channel. */
  create(deletion: PendingVodDeletion, ttlS: number): Promise<string>;
  /**
   * The deletion waiting under `code` in this channel, removed so it is confirmed once;
   * undefined when there is none (never asked, expired, or already confirmed).
   */
  take(broadcasterId: string, code: string): Promise<PendingVodDeletion | undefined>;
}
