import type { CommandContext } from '../src/core/command.js';

/** Discord autocomplete for a Twitch channel option: this server's linked channels. */
export async function linkedChannelChoices(
  ctx: CommandContext,
  focused: { name: string; value: string },
): Promise<{ name: string; value: string }[]> {
  if (!ctx.guildId) return [];
  const typed = focused.value.trim().toLowerCase();
  const links = await ctx.services.links.forGuild(ctx.guildId);
  return links
    .filter(
      (l) => l.twitch.login.includes(typed) || l.twitch.displayName.toLowerCase().includes(typed),
    )
    .slice(0, 25)
    .map((l) => ({ name: l.twitch.displayName, value: l.twitch.login }));
}
