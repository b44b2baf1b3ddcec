export { DiscordAdapter, type AutocompleteChoice, type DiscordAdapterOptions } from './adapter.js';
export {
  buildSlashCommands,
  registerCommands,
  SlashCommandDefinitionError,
  SLASH_LIMITS,
  type RegisterCommandsOptions,
  type SlashCommandJson,
} from './slash-commands.js';
export { DiscordLoginError, DiscordRequestError } from './errors.js';
export { InteractionTokenStore, INTERACTION_TOKEN_TTL_S } from './interaction-tokens.js';
export { clipResultBody } from './clip-message.js';
export { replyBody, type DiscordMessageBody } from './message-body.js';
export { safeText, neutraliseMentions } from './escape.js';
