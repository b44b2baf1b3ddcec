import { availableOn, usageLine } from '../src/chat/chat-syntax.js';
import { hasPermission } from '../src/chat/permissions.js';
import type { CommandContext, CommandDefinition } from './types.js';

function prefixFor(ctx: CommandContext): string {
  return ctx.platform === 'twitch' ? ctx.services.config.CHAT_COMMAND_PREFIX : '/';
}

/** One command's usage: Twitch shows its `usage`, Discord the slash form. */
function usageOf(ctx: CommandContext, def: CommandDefinition): string {
  const prefix = prefixFor(ctx);
  return ctx.platform === 'twitch'
    ? `${prefix}${def.usage}`
    : usageLine(def, undefined, 'discord', prefix);
}

/** Every form of one command, for `!cliphelp clipconfig`. */
function detailOf(ctx: CommandContext, def: CommandDefinition): string {
  const prefix = prefixFor(ctx);
  const subs = (def.subcommands ?? []).filter((s) => availableOn(s, ctx.platform));
  if (subs.length === 0) return `${usageOf(ctx, def)}: ${def.description}`;
  const forms = subs.map((s) => usageLine(def, s, ctx.platform, '').slice(def.name.length + 1));
  return `${prefix}${def.name} ${forms.join(' | ')}`;
}

/** `!cliphelp [command]`: one line of usage, from the definitions. */
export function cliphelpCommand(): CommandDefinition {
  return {
    name: 'cliphelp',
    description: 'How to use the clip bot',
    usage: 'cliphelp [command]',
    permission: 'everyone',
    cooldown: 10,
    options: [
      { name: 'command', description: 'A command to explain', type: 'string', maxLength: 40 },
    ],

    async execute(ctx) {
      const all = [...ctx.services.commands.values()].filter((d) => availableOn(d, ctx.platform));
      const asked = typeof ctx.options.command === 'string' ? ctx.options.command : undefined;
      if (asked) {
        const name = asked.replace(/^[!/]/, '').toLowerCase();
        const def = all.find((d) => d.name === name || d.chatAliases?.includes(name));
        await ctx.reply(def ? detailOf(ctx, def) : `No command called ${asked}.`);
        return;
      }
      const usable = all.filter((d) => hasPermission(ctx.user, d.permission));
      await ctx.reply(usable.map((d) => usageOf(ctx, d)).join(' · '));
    },
  };
}
