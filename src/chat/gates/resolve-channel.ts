import { UserError, type CommandServices, type IncomingCommand } from '../../core/command.js';
import type { TwitchChannelRef } from '../../core/stores.js';
import { cleanText } from '../../core/chat-syntax.js';

/**
 * The Twitch channel a Discord call is about: the `channel` option when given, else the
 * one channel this server linked. `linkedOnly` (clipping) refuses channels this server did
 * not link, so a server can only clip the streams it set up.
 */
export async function resolveDiscordChannel(
  input: IncomingCommand,
  services: Pick<CommandServices, 'channels' | 'links'>,
  opts: { linkedOnly: boolean },
): Promise<TwitchChannelRef | undefined> {
  const asked = input.structured?.options.channel;
  const named = typeof asked === 'string' && asked.trim() !== '';
  // The adapter may already know the server's channel; an explicit option still wins.
  if (!named && input.twitchChannel) return input.twitchChannel;
  const links = input.guildId ? await services.links.forGuild(input.guildId) : [];
  const linkedNames = links.map((l) => l.twitch.login).join(', ');

  if (named) {
    const ref = await services.channels.byLogin(asked);
    if (!ref) throw new UserError(`Twitch has no channel named "${cleanText(asked, 40)}".`);
    if (opts.linkedOnly && !links.some((l) => l.twitch.id === ref.id)) {
      throw new UserError(
        links.length > 0
          ? `${ref.displayName} is not linked to this server (linked: ${linkedNames}).`
          : `${ref.displayName} is not linked to this server; someone with Manage Server can link it with /clipbot link.`,
      );
    }
    return ref;
  }
  const [only, ...more] = links;
  if (only && more.length === 0) return only.twitch;
  if (only) throw new UserError(`This server links several channels; pick one: ${linkedNames}.`);
  throw new UserError(
    input.guildId
      ? 'This server has no Twitch channel linked yet; someone with Manage Server can link one with /clipbot link.'
      : 'Name a Twitch channel with the channel option.',
  );
}
