export { TwitchStandIn, type StandInUrls } from './twitch-standin.js';
export { HELIX_ROUTE_KEYS } from './helix-router.js';
export { HELIX_MESSAGES, OAUTH_MESSAGES } from './messages.js';
export type {
  ChatMessageEvent,
  ClipCreatedEvent,
  ClipVisibleEvent,
  ClipsPolicy,
  CreatedClipInfo,
  JournalEntry,
  StandInEvents,
  TokenKindSeen,
  TwitchStandInOptions,
  VideoType,
  VisibleAfter,
} from './types.js';
export type { ChannelOptions, SeedClipOptions, StreamOptions } from './world.js';
