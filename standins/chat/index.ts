export { TwitchChatStandIn } from './stand-in.js';
export type {
  BotMessage,
  ChannelSetup,
  ChatStandInOptions,
  RejectedMessage,
  TokenValidator,
} from './stand-in.js';
export { TWITCH_CHAT_LIMITS } from './rules.js';
export type { ChatStandInLimits, ChatViolation, ViolationKind } from './rules.js';
export type { ChatRole, ChatterMessage } from './tags.js';
export { OPEN_ROOM, type RoomModes, type RoomModesChange } from './room-modes.js';
export { REFUSAL, MODE_CHANGE, type Notice } from './notices.js';
export type { NoticeUser } from './user-notices.js';
