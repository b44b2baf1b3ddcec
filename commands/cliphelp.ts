import { availableOn, usageLine } from '../src/core/chat-syntax.js';
import { hasPermission, permissionFor } from '../src/core/permissions.js';
import type {
  CommandContext,
  CommandDefinition,
  Permission,
  SubcommandDefinition,
} from '../src/core/command.js';

const WHO: Record<Permission, string> = {
  everyone: 'everyone',
  subscriber: 'subscribers',
  vip: 'VIPs',
  moderator: 'moderators',
  broadcaster: 'broadcaster',
  manage_server: 'Manage Server',
};

function prefixFor(ctx: CommandContext): string {
  return ctx.platform === 'twitch' ? ctx.services.config.CHAT_COMMAND_PREFIX : '/';
}

const hasOwnRule = (s: SubcommandDefinition) =>
  s.permission !== undefined || s.permissionOn !== undefined;

/** The subcommands this caller could run here. */
function usableSubs(ctx: CommandContext, def: CommandDefinition): SubcommandDefinition[] {
  return (def.subcommands ?? []).filter(
    (s) =>
      availableOn(s, ctx.platform) && hasPermission(ctx.user, permissionFor(def, s, ctx.platform)),
  );
}

/**
 * One command's usage for this caller: Twitch shows its `usage` (plus the subcommands with a
 * rule of their own that the caller holds, e.g. the broadcaster's `!vod delete`), Discord
 * the slash form with the subcommands the caller may use.
 */
function usageOf(ctx: CommandContext, def: CommandDefinition): string {
  const prefix = prefixFor(ctx);
  const subs = usableSubs(ctx, def);
  if (ctx.platform === 'twitch') {
    if (!subs.some(hasOwnRule)) return `${prefix}${def.usage}`;
    return `${prefix}${def.name} [${subs.map((s) => s.name).join('|')}]`;
  }
  return usageLine({ ...def, subcommands: subs }, undefined, 'discord', prefix);
}

/** Every form of one command, for `!cliphelp vod`, each marked with who may use it. */
function detailOf(ctx: CommandContext, def: CommandDefinition): string {
  const prefix = prefixFor(ctx);
  const subs = (def.subcommands ?? []).filter((s) => availableOn(s, ctx.platform));
  if (subs.length === 0) return `${usageOf(ctx, def)}: ${def.description}`;
  const forms = subs.map((s) => {
    const form = usageLine(def, s, ctx.platform, '').slice(def.name.length + 1);
    return hasOwnRule(s) ? `${form} (${WHO[permissionFor(def, s, ctx.platform)]})` : form;
  });
  return `${prefix}${def.name} ${forms.join(' | ')}`;
}

/** A subcommand reached in chat by a name of its own (e.g. !clipinfo for clips info). */
function aliasFor(
  all: CommandDefinition[],
  name: string,
): { def: CommandDefinition; sub: SubcommandDefinition } | undefined {
  for (const def of all) {
    const sub = def.subcommands?.find((s) => s.chatAliases?.includes(name));
    if (sub) return { def, sub };
  }
  return undefined;
}

function aliasUsage(
  ctx: CommandContext,
  def: CommandDefinition,
  sub: SubcommandDefinition,
  alias: string,
): string {
  // "clips info <clip>" -> "!clipinfo <clip>"
  const form = usageLine(def, sub, 'twitch', '').slice(def.name.length + 1 + sub.name.length);
  return `${prefixFor(ctx)}${alias}${form}`;
}

/** `!cliphelp [command]`: one line of usage, from the definitions. */
export function cliphelpCommand(): CommandDefinition {
  return {
    name: 'cliphelp',
    description: 'How to use the clip bot',
    usage: 'cliphelp [command]',
    permission: 'everyone',
    cooldown: 10,
    informational: true,
    options: [
      { name: 'command', description: 'A command to explain', type: 'string', maxLength: 40 },
    ],

    async execute(ctx) {
      const all = [...ctx.services.commands.values()].filter((d) => availableOn(d, ctx.platform));
      const asked = typeof ctx.options.command === 'string' ? ctx.options.command : undefined;
      if (asked) {
        const name = asked.replace(/^[!/]/, '').toLowerCase();
        const def = all.find((d) => d.name === name || d.chatAliases?.includes(name));
        if (def) {
          await ctx.reply(detailOf(ctx, def));
          return;
        }
        const alias = ctx.platform === 'twitch' ? aliasFor(all, name) : undefined;
        await ctx.reply(
          alias
            ? `${aliasUsage(ctx, alias.def, alias.sub, name)}: ${alias.sub.description}`
            : `No command called ${asked}.`,
        );
        return;
      }
      const usable = all.filter((d) => hasPermission(ctx.user, d.permission));
      const lines = usable.map((d) => usageOf(ctx, d));
      // Chat shortcuts such as !clipinfo for `!clips info` are commands of their own to a viewer.
      if (ctx.platform === 'twitch') {
        for (const def of usable) {
          for (const sub of usableSubs(ctx, def)) {
            for (const a of sub.chatAliases ?? []) lines.push(aliasUsage(ctx, def, sub, a));
          }
        }
      }
      await ctx.reply(lines.join(' · '));
    },
  };
}
