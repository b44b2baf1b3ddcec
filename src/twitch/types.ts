/**
 * Helix objects as Twitch sends them (snake_case, as in the Helix contract, test/fixtures/helix-contract/).
 * Kept in Twitch's shape on purpose: fewer mappings, and the contract test can compare them
 * with the spec's schemas directly.
 */

export interface HelixUser {
  id: string;
  login: string;
  display_name: string;
  type: string;
  broadcaster_type: string;
  description: string;
  profile_image_url: string;
  offline_image_url: string;
  view_count: number;
  created_at: string;
  email?: string;
}

export interface HelixStream {
  id: string;
  user_id: string;
  user_login: string;
  user_name: string;
  game_id: string;
  game_name: string;
  type: string;
  title: string;
  tags: string[];
  viewer_count: number;
  started_at: string;
  language: string;
  thumbnail_url: string;
  tag_ids: string[];
  is_mature: boolean;
}

export interface HelixClip {
  id: string;
  url: string;
  embed_url: string;
  broadcaster_id: string;
  broadcaster_name: string;
  creator_id: string;
  creator_name: string;
  video_id: string;
  game_id: string;
  language: string;
  title: string;
  view_count: number;
  created_at: string;
  thumbnail_url: string;
  duration: number;
  vod_offset: number | null;
  is_featured: boolean;
}

export interface HelixVideo {
  id: string;
  stream_id: string | null;
  user_id: string;
  user_login: string;
  user_name: string;
  title: string;
  description: string;
  created_at: string;
  published_at: string;
  url: string;
  thumbnail_url: string;
  viewable: string;
  view_count: number;
  language: string;
  type: 'archive' | 'highlight' | 'upload';
  /** Twitch's duration string, such as "3h8m33s". */
  duration: string;
  muted_segments: { duration: number; offset: number }[] | null;
}

export interface HelixGame {
  id: string;
  name: string;
  box_art_url: string;
  igdb_id: string;
}

export interface CreatedClip {
  id: string;
  edit_url: string;
}

export interface Page<T> {
  data: T[];
  /** Cursor for the next page; undefined on the last page. */
  cursor?: string;
}

export interface ClipQuery {
  broadcasterId?: string;
  gameId?: string;
  /** RFC3339 */
  startedAt?: string;
  /** RFC3339 */
  endedAt?: string;
  isFeatured?: boolean;
  /** 1..100 per page */
  first?: number;
  after?: string;
  before?: string;
}

export interface VideoQuery {
  ids?: string[];
  userId?: string;
  gameId?: string;
  language?: string;
  period?: 'all' | 'day' | 'month' | 'week';
  sort?: 'time' | 'trending' | 'views';
  type?: 'all' | 'archive' | 'highlight' | 'upload';
  first?: number;
  after?: string;
  before?: string;
}

/** Rate-limit state read from the Ratelimit-* headers of the latest response. */
export interface RateLimitState {
  limit: number;
  remaining: number;
  /** epoch seconds */
  reset: number;
}

/** Create Clip's own bucket, from Ratelimit-Helixclipscreation-Limit and -Remaining. */
export interface ClipCreationLimitState {
  limit: number;
  remaining: number;
  /** epoch ms of the answer that carried the headers (Twitch sends no reset for it) */
  at: number;
}
