import {
  ApplicationCommandOptionType,
  PermissionFlagsBits,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
} from 'discord.js';
import type { CommandUser, OptionValue } from '../../core/command.js';

export interface StructuredCommand {
  command: string;
  subcommand?: string;
  options: Record<string, OptionValue | undefined>;
}

/**
 * The interaction's command, subcommand and option values. A channel option's value is the
 * channel id; a subcommand group's subcommand is reported as the subcommand.
 */
export function readOptions(
  command: string,
  data: readonly CommandInteractionOption[],
): StructuredCommand {
  const out: StructuredCommand = { command, options: {} };
  const visit = (opts: readonly CommandInteractionOption[]) => {
    for (const o of opts) {
      if (o.type === ApplicationCommandOptionType.Subcommand) {
        out.subcommand = o.name;
        visit(o.options ?? []);
      } else if (o.type === ApplicationCommandOptionType.SubcommandGroup) {
        visit(o.options ?? []);
      } else {
        out.options[o.name] = o.value;
      }
    }
  };
  visit(data);
  return out;
}

/** Who is asking. Roles are Twitch's idea; on Discord it is Manage Server that counts. */
export function commandUser(
  interaction: ChatInputCommandInteraction | AutocompleteInteraction,
): CommandUser {
  const member = interaction.member;
  let displayName = interaction.user.globalName ?? interaction.user.username;
  if (member && 'displayName' in member) displayName = member.displayName;
  else if (member?.nick) displayName = member.nick;
  return {
    id: interaction.user.id,
    login: interaction.user.username,
    displayName,
    role: 'everyone',
    // has() counts Administrator as every permission, as Discord does.
    canManageServer: interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false,
  };
}
