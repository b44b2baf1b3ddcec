export { TwitchChatAdapter, type TwitchChatAdapterOptions } from './adapter.js';
export { ChatNotReadyError, ChatRefusedError, ChatStoppedError } from './errors.js';
export { TWITCH_LIMITS, type TwitchChatLimits } from './limits.js';
export { parseChatUrl } from './connection.js';
export { JOINED_NOTE, NOT_PUBLISHED_TEXT, clipWatchUrl } from './format.js';
export { roleFromTags } from './roles.js';
export { unmetAsk, joinedAnotherClip, type UnmetAsk } from './joined-clip.js';
