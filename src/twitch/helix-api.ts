import type {
  ClipQuery,
  CreatedClip,
  HelixClip,
  HelixGame,
  HelixStream,
  HelixUser,
  HelixVideo,
  Page,
  RateLimitState,
  VideoQuery,
} from './types.js';

/**
 * What the rest of the bot needs from Twitch Helix. The axios implementation is
 * HelixClient (helix-client.ts); everything above it depends on this interface only.
 * Every method throws HelixError (errors.ts) on failure.
 */
export interface HelixApi {
  /** Up to 100 ids and logins combined per request; larger lists are split. */
  getUsers(query: { ids?: string[]; logins?: string[] }): Promise<HelixUser[]>;
  /**
   * Like getUsers, and names what Twitch cannot resolve: malformed logins (never sent), and
   * entries Twitch refuses as invalid (a batch answered 400 is split to find them).
   */
  lookUpUsers(query: {
    ids?: string[];
    logins?: string[];
  }): Promise<{ users: HelixUser[]; invalid: string[] }>;
  /**
   * Live streams among these user ids or logins (offline ones are simply absent). Split
   * per 100 of each.
   */
  getStreams(query: { userIds?: string[]; userLogins?: string[] }): Promise<HelixStream[]>;
  /** POST /clips with the bot's user token (clips:edit). */
  createClip(query: {
    broadcasterId: string;
    title?: string;
    duration?: number;
  }): Promise<CreatedClip>;
  /** GET /clips?id=a&id=b ... split per 100. Clips Twitch does not know are absent. */
  getClipsByIds(ids: string[]): Promise<HelixClip[]>;
  /** One page of GET /clips by broadcaster or game. */
  getClips(query: ClipQuery): Promise<Page<HelixClip>>;
  /** Every page of GET /clips by broadcaster or game, up to `limit` clips (default: all). */
  getAllClips(query: Omit<ClipQuery, 'after' | 'before'>, limit?: number): Promise<HelixClip[]>;
  /** POST /videos/clips; vodOffset is where the clip ENDS, in seconds from the VOD start. */
  createClipFromVod(query: {
    editorId: string;
    broadcasterId: string;
    vodId: string;
    vodOffset: number;
    duration?: number;
    title: string;
  }): Promise<CreatedClip>;
  getVideos(query: VideoQuery): Promise<Page<HelixVideo>>;
  /** DELETE /videos with the broadcaster's token; returns the ids Twitch deleted. Max 5. */
  deleteVideos(ids: string[], broadcasterId: string): Promise<string[]>;
  /** GET /games by name or id (for /clips game). */
  getGames(query: { names?: string[]; ids?: string[] }): Promise<HelixGame[]>;
  /** Latest Ratelimit-* headers seen, per token kind, for metrics and health. */
  rateLimit(): Partial<Record<TokenKind, RateLimitState>>;
}

/**
 * Which credential a call uses. 'user' is the bot account's user token (clips:edit, chat);
 * 'app' the client-credentials token (reads, spreading the rate budget);
 * 'broadcaster' a broadcaster's own token stored by `clipbot auth --broadcaster`.
 */
export type TokenKind = 'user' | 'app' | 'broadcaster';
