export {
  DiscordStandIn,
  type AddGuildInput,
  type DiscordStandInOptions,
  type InvokeAutocompleteInput,
  type InvokeCommandInput,
  type InvokedInteraction,
  type MessageView,
} from './stand-in.js';
export type { EntryOf, JournalEntry, JournalKind } from './journal.js';
export {
  pingsIn,
  validateMessageBody,
  LIMITS,
  type MessageBody,
  type Ping,
} from './message-rules.js';
export {
  MEMBER_PERMISSIONS,
  resolvePermissions,
  type PermissionsInput,
} from './interaction-builder.js';
export type { StandInChannel, StandInGuild, StandInUser } from './model.js';
export { GatewayClose } from './gateway.js';
