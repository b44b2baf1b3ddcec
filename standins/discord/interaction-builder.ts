import { PermissionFlagsBits } from 'discord.js';
import type { StandInChannel, StandInGuild, StandInUser } from './model.js';
import { channelPayload, memberPayload, userPayload } from './payloads.js';

type Json = Record<string, unknown>;
export type InvokeValue = string | number | boolean;

/** Permissions a plain member has in a typical server (Discord's @everyone defaults). */
export const MEMBER_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.UseApplicationCommands |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseExternalEmojis |
  PermissionFlagsBits.CreateInstantInvite |
  PermissionFlagsBits.ChangeNickname |
  PermissionFlagsBits.Connect |
  PermissionFlagsBits.Speak |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads;

/** What the bot may do in a channel (app_permissions): enough to answer with embeds. */
const APP_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.UseExternalEmojis;

/**
 * Extra permissions for the invoking member: a bigint, a decimal bitfield string, a
 * permission name ('ManageGuild') or several names.
 */
export type PermissionsInput = bigint | string | readonly string[];

export function resolvePermissions(input: PermissionsInput | undefined): bigint {
  if (input === undefined) return MEMBER_PERMISSIONS;
  if (typeof input === 'bigint') return MEMBER_PERMISSIONS | input;
  const names = typeof input === 'string' ? [input] : input;
  let bits = MEMBER_PERMISSIONS;
  for (const name of names) {
    if (/^\d+$/.test(name)) bits |= BigInt(name);
    else {
      const bit = (PermissionFlagsBits as Record<string, bigint>)[name];
      if (bit === undefined) throw new Error(`Discord stand-in: unknown permission '${name}'`);
      bits |= bit;
    }
  }
  return bits;
}

/** Option types: 1 subcommand, 3 string, 4 integer, 5 boolean, 7 channel, 10 number. */
function inferType(value: InvokeValue): number {
  if (typeof value === 'boolean') return 5;
  if (typeof value === 'number') return Number.isInteger(value) ? 4 : 10;
  return 3;
}

export interface BuildInput {
  id: string;
  token: string;
  applicationId: string;
  /** 2 application command, 4 autocomplete. */
  type: 2 | 4;
  guild?: StandInGuild;
  channel: StandInChannel | { id: string; type: 1 };
  user: StandInUser;
  permissions: bigint;
  name: string;
  subcommand?: string;
  options: Record<string, InvokeValue>;
  focused?: string;
  locale: string;
  /** The registered command, when there is one: its option types are used. */
  command?: Json;
  findChannel: (id: string) => StandInChannel | undefined;
}

/** An INTERACTION_CREATE payload as Discord sends it (API v10). */
export function buildInteraction(input: BuildInput): Json {
  const registered = (input.command?.options ?? []) as Json[];
  let optionDefs = registered;
  if (input.subcommand) {
    const sub = registered.find((o) => o.name === input.subcommand && o.type === 1);
    if (input.command && !sub)
      throw new Error(`Discord stand-in: /${input.name} has no subcommand '${input.subcommand}'`);
    optionDefs = (sub?.options ?? []) as Json[];
  }
  const resolvedChannels: Record<string, Json> = {};
  const options = Object.entries(input.options).map(([name, value]) => {
    const def = optionDefs.find((o) => o.name === name);
    if (input.command && !def)
      throw new Error(`Discord stand-in: /${input.name} has no option '${name}'`);
    const type = (def?.type as number | undefined) ?? inferType(value);
    const focused = input.focused === name;
    if (type === 7 && !focused) {
      const ch = input.findChannel(String(value));
      if (ch)
        resolvedChannels[ch.id] = {
          ...channelPayload(ch),
          permissions: APP_PERMISSIONS.toString(),
        };
    }
    // The option being typed arrives as the raw text typed so far.
    return {
      name,
      type,
      value: focused ? String(value) : value,
      ...(focused ? { focused: true } : {}),
    };
  });
  if (input.focused !== undefined && !(input.focused in input.options)) {
    options.push({ name: input.focused, type: 3, value: '', focused: true });
  }
  const data: Json = {
    id: (input.command?.id as string | undefined) ?? input.id,
    name: input.name,
    type: 1,
    ...(input.command?.guild_id ? { guild_id: input.command.guild_id } : {}),
    options: input.subcommand ? [{ name: input.subcommand, type: 1, options }] : options,
    ...(Object.keys(resolvedChannels).length > 0
      ? { resolved: { channels: resolvedChannels } }
      : {}),
  };
  const base: Json = {
    id: input.id,
    application_id: input.applicationId,
    type: input.type,
    token: input.token,
    data,
    channel_id: input.channel.id,
    app_permissions: APP_PERMISSIONS.toString(),
    locale: input.locale,
    version: 1,
    entitlements: [],
    attachment_size_limit: 10 * 1024 * 1024,
  };
  if (input.guild) {
    const joinedAt = new Date(Date.now() - 86_400_000).toISOString();
    return {
      ...base,
      guild_id: input.guild.id,
      guild: { id: input.guild.id, locale: 'en-US', features: [] },
      guild_locale: 'en-US',
      channel: {
        ...channelPayload(input.channel as StandInChannel),
        permissions: input.permissions.toString(),
      },
      member: memberPayload(input.user, joinedAt, input.permissions.toString()),
      authorizing_integration_owners: { '0': input.guild.id },
      context: 0,
    };
  }
  return {
    ...base,
    user: userPayload(input.user),
    channel: { id: input.channel.id, type: 1, flags: 0, recipients: [userPayload(input.user)] },
    authorizing_integration_owners: { '1': input.user.id },
    context: 1,
  };
}
