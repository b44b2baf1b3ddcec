import type { Platform } from '../clip.js';

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
