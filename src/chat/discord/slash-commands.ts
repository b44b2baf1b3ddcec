import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  InteractionContextType,
  PermissionFlagsBits,
  REST,
  Routes,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { CommandDefinition, CommandOption } from '../../core/command.js';
import { permissionFor } from '../../core/permissions.js';
import { toRequestError } from './errors.js';
import { SlashCommandDefinitionError, slashCommandProblems } from './slash-command-limits.js';

export { SlashCommandDefinitionError, SLASH_LIMITS } from './slash-command-limits.js';

export type SlashCommandJson = RESTPostAPIChatInputApplicationCommandsJSONBody;

const onDiscord = (platforms: readonly string[] | undefined) =>
  !platforms || platforms.includes('discord');

/** `post_channel` names a Discord channel; `twitch_channel` and other `twitch_*` a login. */
export const isDiscordChannelName = (name: string): boolean =>
  name.endsWith('_channel') && !name.startsWith('twitch_');

/**
 * An option named like `post_channel` picks a Discord text channel. `twitch_channel` and
 * other `twitch_*` names are Twitch logins, typed as text.
 */
export const isDiscordChannelOption = (o: CommandOption): boolean =>
  o.type === 'string' && isDiscordChannelName(o.name);
const isChannelOption = isDiscordChannelOption;

function optionJson(o: CommandOption): APIApplicationCommandBasicOption {
  const base = { name: o.name, description: o.description, required: o.required === true };
  if (isChannelOption(o)) {
    return {
      ...base,
      type: ApplicationCommandOptionType.Channel,
      channel_types: [ChannelType.GuildText],
    };
  }
  switch (o.type) {
    case 'boolean':
      return { ...base, type: ApplicationCommandOptionType.Boolean };
    case 'integer':
    case 'number': {
      const limits = {
        ...(o.min === undefined ? {} : { min_value: o.min }),
        ...(o.max === undefined ? {} : { max_value: o.max }),
      };
      const pick = o.autocomplete
        ? { autocomplete: true as const }
        : o.choices
          ? { choices: o.choices.map((c) => ({ name: c.name, value: Number(c.value) })) }
          : {};
      return o.type === 'integer'
        ? { ...base, type: ApplicationCommandOptionType.Integer, ...limits, ...pick }
        : { ...base, type: ApplicationCommandOptionType.Number, ...limits, ...pick };
    }
    case 'string': {
      const length = o.maxLength === undefined ? {} : { max_length: o.maxLength };
      if (o.autocomplete)
        return {
          ...base,
          type: ApplicationCommandOptionType.String,
          ...length,
          autocomplete: true,
        };
      const choices = o.choices?.map((c) => ({ name: c.name, value: String(c.value) }));
      return {
        ...base,
        type: ApplicationCommandOptionType.String,
        ...length,
        ...(choices ? { choices } : {}),
      };
    }
  }
}

/** Discord wants required options first; options are named, so the order is free to change. */
function optionsJson(
  options: readonly CommandOption[] | undefined,
): APIApplicationCommandBasicOption[] {
  const kept = (options ?? []).filter((o) => onDiscord(o.platforms)).map(optionJson);
  return [...kept.filter((o) => o.required), ...kept.filter((o) => !o.required)];
}

function commandJson(def: CommandDefinition): SlashCommandJson {
  const subs = (def.subcommands ?? []).filter((sub) => onDiscord(sub.platforms));
  // Discord's default permission is per command: set it when every path needs Manage Server.
  const managersOnly =
    def.permission === 'manage_server' ||
    (subs.length > 0 && subs.every((s) => permissionFor(def, s, 'discord') === 'manage_server'));
  let options: APIApplicationCommandOption[];
  if (subs.length > 0) {
    options = subs.map((s) => ({
      type: ApplicationCommandOptionType.Subcommand,
      name: s.name,
      description: s.description,
      options: optionsJson(s.options),
    }));
  } else options = optionsJson(def.options);
  return {
    type: ApplicationCommandType.ChatInput,
    name: def.name,
    description: def.description,
    ...(options.length > 0 ? { options } : {}),
    default_member_permissions: managersOnly ? PermissionFlagsBits.ManageGuild.toString() : null,
    dm_permission: false,
    contexts: [InteractionContextType.Guild],
  };
}

/**
 * The slash-command JSON for Discord, from the platform-neutral definitions. Commands and
 * options not offered on Discord are left out. Throws SlashCommandDefinitionError (every
 * problem at once) when Discord would refuse the result.
 */
export function buildSlashCommands(defs: readonly CommandDefinition[]): SlashCommandJson[] {
  const kept = defs.filter((d) => onDiscord(d.platforms));
  const problems = kept.flatMap(definitionProblems);
  const json = kept.map(commandJson);
  problems.push(...slashCommandProblems(json));
  if (problems.length > 0) throw new SlashCommandDefinitionError(problems);
  return json;
}

/** Mistakes in a definition that its JSON would hide (a field dropped or mistyped). */
function definitionProblems(def: CommandDefinition): string[] {
  const problems: string[] = [];
  const subs = (def.subcommands ?? []).filter((sub) => onDiscord(sub.platforms));
  if (subs.length > 0 && (def.options ?? []).some((o) => onDiscord(o.platforms))) {
    problems.push(`/${def.name}: a command cannot have both options and subcommands on Discord`);
  }
  const all = [
    ...(def.options ?? []).map((o) => [`/${def.name}`, o] as const),
    ...subs.flatMap((s) => (s.options ?? []).map((o) => [`/${def.name} ${s.name}`, o] as const)),
  ];
  for (const [where, o] of all) {
    if (!onDiscord(o.platforms)) continue;
    const at = `${where} option "${o.name}"`;
    if (
      o.type !== 'integer' &&
      o.type !== 'number' &&
      (o.min !== undefined || o.max !== undefined)
    ) {
      problems.push(`${at}: min/max apply to integer and number options only`);
    }
    if (o.type !== 'string' && o.maxLength !== undefined) {
      problems.push(`${at}: maxLength applies to string options only`);
    }
    if (isChannelOption(o) && (o.choices || o.autocomplete)) {
      problems.push(
        `${at}: a channel option (named *_channel) cannot have choices or autocomplete`,
      );
    }
  }
  return problems;
}

export interface RegisterCommandsOptions {
  token: string;
  applicationId: string;
  /** DISCORD_API_URL. */
  apiUrl: string;
  /** One server (instant, for testing) instead of global. */
  guildId?: string;
  defs: readonly CommandDefinition[];
}

/**
 * Replaces the application's slash commands (global, or one server's) with the built set
 * (PUT, so commands no longer defined disappear). Returns how many Discord now has.
 */
export async function registerCommands(opts: RegisterCommandsOptions): Promise<number> {
  const body = buildSlashCommands(opts.defs);
  const rest = new REST({ api: opts.apiUrl }).setToken(opts.token);
  const route = opts.guildId
    ? Routes.applicationGuildCommands(opts.applicationId, opts.guildId)
    : Routes.applicationCommands(opts.applicationId);
  try {
    const result = (await rest.put(route, { body })) as unknown[];
    return result.length;
  } catch (err) {
    throw toRequestError(
      opts.guildId
        ? `command registration for server ${opts.guildId}`
        : 'global command registration',
      err,
      [opts.token],
    );
  }
}
