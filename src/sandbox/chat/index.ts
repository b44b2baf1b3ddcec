export { TwitchChatStandIn } from './stand-in.js';
export type { BotMessage, ChannelSetup, ChatStandInOptions, TokenValidator } from './stand-in.js';
export { TWITCH_CHAT_LIMITS } from './rules.js';
export type { ChatStandInLimits, ChatViolation, ViolationKind } from './rules.js';
export type { ChatRole, ChatterMessage } from './tags.js';
