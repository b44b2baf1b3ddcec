import type { ChannelSettings } from '../../core/channel-settings.js';
import type {
  CommandContext,
  CommandServices,
  IncomingCommand,
  OptionValue,
} from '../../core/command.js';
import type { TwitchChannelRef } from '../../core/stores.js';
import type { Target } from './gate.js';

/** What the command runs with (and its autocomplete). */
export function commandContext(
  input: IncomingCommand,
  target: Target,
  services: CommandServices,
  options: Record<string, OptionValue | undefined>,
  twitchChannel: TwitchChannelRef | undefined,
  channelSettings?: ChannelSettings,
): CommandContext {
  return {
    platform: input.platform,
    requestId: input.requestId,
    receivedAt: input.receivedAt,
    askedAt: input.askedAt ?? input.receivedAt,
    command: target.def.name,
    subcommand: target.sub?.name,
    options,
    user: input.user,
    twitchChannel,
    channelSettings,
    guildId: input.guildId,
    discordChannelId: input.discordChannelId,
    replyTarget: input.replyTarget,
    reply: (answer) => input.reply(answer),
    services,
  };
}
