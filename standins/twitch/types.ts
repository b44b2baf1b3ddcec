/** Shapes shared by the Twitch stand-in's parts: its options, journal, events and records. */

export type VisibleAfter = number | 'never';
export type ClipsPolicy = 'enabled' | 'disabled' | 'followers' | 'subscribers';
export type TokenKindSeen = 'app' | 'user' | 'none';
export type VideoType = 'archive' | 'highlight' | 'upload';

export interface TwitchStandInOptions {
  /** default 'standin-client-id' */
  clientId?: string;
  /** default 'standin-client-secret' */
  clientSecret?: string;
  /** Get Clips returns a newly created clip only after this (default 2000 ms). */
  clipVisibleAfterMs?: VisibleAfter;
  /** default 14400 */
  appTokenTtlS?: number;
  /** default 14400 */
  userTokenTtlS?: number;
  /** Polling interval the device flow tells clients to use (default 5 s; tests use less). */
  deviceIntervalS?: number;
  /** How long a device code stays usable (default 1800 s). */
  deviceCodeTtlS?: number;
  /**
   * Oldest journal entries are dropped beyond this many (default 10,000; 0 keeps none, for
   * long benchmarks); count() stays exact either way.
   */
  journalLimit?: number;
  /** default 127.0.0.1 */
  host?: string;
  /** default 0 (a free port) */
  port?: number;
}

export interface JournalEntry {
  method: string;
  /** Full path without the query string, e.g. /helix/clips or /oauth2/token. */
  path: string;
  query: Record<string, string[]>;
  status: number;
  tokenKind: TokenKindSeen;
  userLogin?: string;
  /** epoch ms when the request arrived */
  at: number;
}

export interface ClipCreatedEvent {
  id: string;
  broadcasterId: string;
  at: number;
}

export type ClipVisibleEvent = ClipCreatedEvent;

export interface ChatMessageEvent {
  messageId: string;
  broadcasterId: string;
  senderId: string;
  message: string;
  replyParentMessageId?: string;
  at: number;
}

export interface StandInEvents {
  'clip-created': [ClipCreatedEvent];
  'clip-visible': [ClipVisibleEvent];
  request: [JournalEntry];
  'chat-message': [ChatMessageEvent];
}

export interface CreatedClipInfo {
  id: string;
  broadcasterId: string;
  title: string;
  duration: number;
  createdAt: number;
  visibleAt: number | null;
  /** The edit_url Create Clip answered with. */
  editUrl: string;
}

export interface UserRecord {
  id: string;
  login: string;
  displayName: string;
  createdAt: number;
}

export interface StreamRecord {
  id: string;
  title: string;
  gameId: string;
  gameName: string;
  startedAt: number;
  viewerCount: number;
  language: string;
}

/**
 * Only channels a scenario touched get one of these; every other user has the defaults,
 * which keeps a 1,000-channel benchmark cheap.
 */
export interface ChannelRecord {
  clips: ClipsPolicy;
  /** Create Clip refuses with exactly this (a scenario's unknown refusal text). */
  refusal?: { status: number; message: string };
  botBanned: boolean;
  clippable: boolean;
  clipVisibleAfterMs?: VisibleAfter;
  hasVod: boolean;
  /** user ids allowed to clip the VOD besides the broadcaster */
  editors: Set<string>;
  stream?: StreamRecord;
  /** the archive video of the current stream */
  liveVodId?: string;
}

export interface VideoRecord {
  id: string;
  userId: string;
  type: VideoType;
  streamId: string | null;
  title: string;
  gameId: string;
  language: string;
  viewCount: number;
  createdAt: number;
  /** null while the stream it archives is still live: its length grows with the clock */
  durationS: number | null;
}

export interface ClipRecord {
  id: string;
  broadcasterId: string;
  creatorId: string;
  videoId: string;
  gameId: string;
  language: string;
  title: string;
  viewCount: number;
  createdAt: number;
  duration: number;
  vodOffset: number | null;
  isFeatured: boolean;
  /** null: never visible */
  visibleAt: number | null;
  /** created through the API (not seeded) */
  viaApi: boolean;
}

export interface GameRecord {
  id: string;
  name: string;
}
