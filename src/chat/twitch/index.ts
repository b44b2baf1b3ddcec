export { TwitchChatAdapter, type TwitchChatAdapterOptions } from './adapter.js';
export { ChatNotReadyError, ChatStoppedError } from './errors.js';
export { TWITCH_LIMITS, type TwitchChatLimits } from './limits.js';
export { parseChatUrl } from './connection.js';
export { formatResult } from './format.js';
export { roleFromTags } from './roles.js';
