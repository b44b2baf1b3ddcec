import type { Logger } from 'pino';
import type { Permission, Role } from './roles.js';
import type { Config } from '../config.js';
import type { ChannelSettings } from './channel-settings.js';
import type { ClipService, Platform, ReplyTarget } from './clip.js';
import type { HelixApi } from './helix.js';
import type {
  ChannelDirectory,
  ChatChannels,
  CooldownClaim,
  CooldownStore,
  DiscordLinks,
  SettingsStore,
} from './stores.js';

/**
 * One definition per command, platform-neutral. The Discord slash-command JSON and the
 * Twitch chat syntax (`!name [subcommand] options...`) are both derived from it.
 */

export type { Permission, Role } from './roles.js';

export type OptionValue = string | number | boolean;

export interface CommandOption {
  name: string;
  description: string;
  type: 'string' | 'integer' | 'number' | 'boolean';
  required?: boolean;
  choices?: { name: string; value: string | number }[];
  min?: number;
  max?: number;
  maxLength?: number;
  /** Discord offers autocomplete for it (the command implements autocomplete()). */
  autocomplete?: boolean;
  /**
   * Chat syntax: a string option that takes the rest of the line. Positional options are
   * matched in order; an optional integer/number whose token is not numeric is skipped.
   */
  rest?: boolean;
  /**
   * Chat syntax: the token must match this to be taken by this option (e.g. /^-\d+[sm]$/ for
   * "clip the past"); otherwise the option is skipped when optional.
   */
  chatPattern?: RegExp;
  /** Not offered on this platform (e.g. Discord's `channel`, implied by the room on Twitch). */
  platforms?: Platform[];
}

export interface SubcommandDefinition {
  name: string;
  description: string;
  options?: CommandOption[];
  /** Overrides the command's permission for this subcommand. */
  permission?: Permission;
  /**
   * Overrides `permission` on one platform, where the same act is proven differently: e.g.
   * Manage Server on Discord, the broadcaster's own account in Twitch chat.
   */
  permissionOn?: Partial<Record<Platform, Permission>>;
  /** Where it exists (within the command's platforms). Default: wherever the command is. */
  platforms?: Platform[];
  /** Chat syntax: extra `!words` that run this subcommand directly (e.g. !clipinfo). */
  chatAliases?: string[];
  /** Overrides the command's `informational` for this subcommand. */
  informational?: boolean;
  /**
   * A per-user cooldown in seconds for this subcommand alone (its own key), instead of the
   * command's; e.g. `/vod now` is held back, deleting and confirming are not.
   */
  cooldown?: number;
}

export interface CommandDefinition {
  name: string;
  description: string;
  /** Where it exists. Default: both. */
  platforms?: Platform[];
  /** Either options or subcommands (Discord cannot have both at the top level). */
  options?: CommandOption[];
  subcommands?: SubcommandDefinition[];
  /** Who may run it; checked by the router on every call. */
  permission: Permission;
  /** A per-user cooldown in seconds for this command in this channel. */
  cooldown?: number;
  /**
   * The command's own rules in the channel the call is about (e.g. `!clip` follows the
   * channel's clip settings); where they say something, they replace `permission` and
   * `cooldown`.
   */
  channelPolicy?: ChannelPolicy;
  /**
   * The answer only shows things (clips, help, a link) and is the same whoever asks: in a
   * Twitch channel, the same call (same subcommand and options) is answered once per window
   * (the router's repeatAnswerS) and its repeats are ignored, so a chat copying `!clips week`
   * does not spend the bot's send budget. Moderators and the broadcaster are always answered.
   */
  informational?: boolean;
  /** Shown by !cliphelp and Discord's command list; one line. */
  usage: string;
  /** Chat syntax: other `!words` for this command (chat only; Discord has no aliases). */
  chatAliases?: string[];
  /**
   * Chat syntax: the subcommand used when the first word is not a subcommand name, e.g.
   * `!clips week` runs `clips top`, `!clipconfig` runs `clipconfig show`.
   */
  chatDefaultSubcommand?: string;
  /**
   * Checks of the arguments that need more than their syntax (e.g. the channel's clip
   * settings). The router runs it before taking cooldowns, so a request refused here (with
   * a UserError) uses none. execute() may repeat the checks; it must not rely on this.
   */
  validate?(ctx: CommandContext): Promise<void>;
  execute(ctx: CommandContext): Promise<void>;
  autocomplete?(
    ctx: CommandContext,
    focused: { name: string; value: string },
  ): Promise<{ name: string; value: string }[]>;
}

/**
 * A command's own rules in the Twitch channel a call is about, declared by the command and
 * run by the router (the model is Sapphire's preconditions): `!clip` follows the channel's
 * clip settings, read once per call. The router's gates apply what `read` returns, each in
 * its place: closed (the enabled gate), permission, cooldowns.
 */
export interface ChannelPolicy {
  /** Discord: the `channel` option may name only a channel this server linked. */
  linkedOnly?: boolean;
  read(call: ChannelPolicyCall): Promise<ChannelTerms>;
}

export interface ChannelPolicyCall {
  platform: Platform;
  user: CommandUser;
  channel: { id: string; login: string; displayName: string };
  services: CommandServices;
}

/** What a policy decided for one call; whatever is unset falls back to the command's own. */
export interface ChannelTerms {
  /** Handed to the command as ctx.channelSettings. */
  settings?: ChannelSettings;
  /** The command is off in this channel: the refusal, said before anything else is checked. */
  closed?: string;
  /** Replaces the command's permission, with the refusal to give. */
  permission?: { required: Permission; refusal: string };
  /** Replaces the command's per-user cooldown. */
  cooldowns?: CooldownHold[];
}

/**
 * One cooldown a call must take to run. All of a call's holds are taken in one atomic step,
 * all or none; the first one held refuses the call.
 */
export interface CooldownHold {
  claim: CooldownClaim;
  /**
   * What the asker hears when this hold refuses the call (in Twitch chat once per window,
   * under `key`), `waitS` rounded up. None: the call is ignored in silence.
   */
  notice?: { key: string; text(waitS: number): string };
  /**
   * Given back when the command then fails this way: 'refusal' (a UserError: no clip was
   * made, so no one is held back) or 'failure' (any other error: no answer was given).
   */
  giveBackOn?: 'refusal' | 'failure';
}

/** A rich answer: Discord shows an embed, Twitch chat shows `text` only. */
export interface RichReply {
  text: string;
  embed?: {
    title?: string;
    url?: string;
    description?: string;
    fields?: { name: string; value: string; inline?: boolean }[];
    thumbnailUrl?: string;
    footer?: string;
    color?: number;
  };
  /** Discord: only the caller sees it. */
  ephemeral?: boolean;
}

export interface CommandUser {
  /** Twitch user id or Discord user id. */
  id: string;
  /** Twitch login or Discord username. */
  login: string;
  displayName: string;
  role: Role;
  /** Discord: the member has Manage Server in this guild. */
  canManageServer?: boolean;
}

export interface CommandContext {
  platform: Platform;
  requestId: string;
  /** epoch ms the message or interaction arrived */
  receivedAt: number;
  /**
   * epoch ms the viewer asked: the platform's stamp (Twitch's tmi-sent-ts, the interaction's
   * creation time) when believable, else receivedAt. A clip is of this moment.
   */
  askedAt: number;
  command: string;
  subcommand?: string;
  options: Record<string, OptionValue | undefined>;
  user: CommandUser;
  /**
   * The Twitch channel this call is about. On Twitch: the room. On Discord: the `channel`
   * option or the server's linked channel; undefined when there is neither.
   */
  twitchChannel?: { id: string; login: string; displayName: string };
  /**
   * The channel's clip settings as the command's channel policy read them for the router's
   * gates, so the command need not read them again.
   */
  channelSettings?: ChannelSettings;
  /** Discord only. */
  guildId?: string;
  discordChannelId?: string;
  /** Where a later answer (the clip result) goes. */
  replyTarget: ReplyTarget;
  /** Answer now (Twitch: threaded reply; Discord: reply or edit of the deferred reply). */
  reply(answer: string | RichReply): Promise<void>;
  services: CommandServices;
}

/** Everything a command may use, built once by the composition root (src/app/app.ts). */
export interface CommandServices {
  config: Config;
  log: Logger;
  helix: HelixApi;
  clips: ClipService;
  settings: SettingsStore;
  cooldowns: CooldownStore;
  links: DiscordLinks;
  channels: ChannelDirectory;
  /** Asks the Twitch chat adapter (in whatever process runs it) to join or leave a channel. */
  chatChannels: ChatChannels;
  commands: ReadonlyMap<string, CommandDefinition>;
}

/**
 * What a chat adapter hands to the router (src/chat/router.ts): who, where, how to answer,
 * and either the raw chat text after the prefix (Twitch) or already-structured options
 * (Discord). The router parses, runs the gates and builds the CommandContext.
 */
export interface IncomingCommand {
  platform: Platform;
  requestId: string;
  receivedAt: number;
  /** The platform's stamp of when the viewer asked (src/chat/asked-time.ts); absent: receivedAt. */
  askedAt?: number;
  user: CommandUser;
  twitchChannel?: { id: string; login: string; displayName: string };
  guildId?: string;
  discordChannelId?: string;
  replyTarget: ReplyTarget;
  reply(answer: string | RichReply): Promise<void>;
  /** Twitch: the message text after the prefix, e.g. "clip 45 what a play". */
  chatText?: string;
  /** Discord: the interaction's command, subcommand and options. */
  structured?: {
    command: string;
    subcommand?: string;
    options: Record<string, OptionValue | undefined>;
  };
}

/** A mistake of the user's: the router answers with the message. Bugs are other errors. */
export class UserError extends Error {
  override readonly name = 'UserError';
}
