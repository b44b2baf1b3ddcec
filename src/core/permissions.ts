import type {
  CommandDefinition,
  CommandUser,
  Permission,
  Role,
  SubcommandDefinition,
} from './command.js';
import type { Platform } from './clip.js';

const RANK: Record<Role, number> = {
  everyone: 0,
  subscriber: 1,
  vip: 2,
  moderator: 3,
  broadcaster: 4,
};

/** broadcaster > moderator > vip > subscriber > everyone; manage_server is Discord's own. */
export function hasPermission(user: CommandUser, required: Permission): boolean {
  if (required === 'manage_server') return user.canManageServer === true;
  return RANK[user.role] >= RANK[required];
}

/** Who may run the command (or subcommand) on this platform: the most specific rule wins. */
export function permissionFor(
  def: CommandDefinition,
  sub: SubcommandDefinition | undefined,
  platform: Platform,
): Permission {
  return sub?.permissionOn?.[platform] ?? sub?.permission ?? def.permission;
}

/** Moderators and the broadcaster are never held back by cooldowns. */
export function bypassesCooldowns(user: CommandUser): boolean {
  return RANK[user.role] >= RANK.moderator;
}

const WHO: Record<Role, string> = {
  everyone: 'everyone',
  subscriber: 'subscribers, VIPs and moderators',
  vip: 'VIPs and moderators',
  moderator: 'moderators and the broadcaster',
  broadcaster: 'the broadcaster',
};

/** Who holds a role or better, in words: "subscribers, VIPs and moderators". */
export function whoCan(role: Role): string {
  return WHO[role];
}

/** "Only moderators and the broadcaster can use !clipconfig." */
export function refusalText(required: Permission, what: string): string {
  if (required === 'manage_server') {
    return `You need the Manage Server permission to use ${what}.`;
  }
  return `Only ${WHO[required]} can use ${what}.`;
}

const UP_FROM: Record<Role, string> = {
  everyone: 'everyone',
  subscriber: 'subscribers and up',
  vip: 'VIPs and up',
  moderator: 'moderators and up',
  broadcaster: 'the broadcaster',
};

/**
 * A Discord member asking to clip a channel that only lets some Twitch roles clip. Discord
 * cannot prove a Twitch role (and linking a channel proves no ownership), so such a channel
 * cannot be clipped from Discord; the answer says why rather than naming a Twitch role the
 * member may well hold.
 */
export function discordClipRefusal(channelName: string, required: Role): string {
  return `${channelName} only lets ${UP_FROM[required]} clip (set by its moderators in Twitch chat), so clipping from Discord is off for it.`;
}
