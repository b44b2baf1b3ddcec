import { VodLocator } from '../../src/core/vod-locator.js';
import { TWITCH_CHANNEL_OPTION } from '../channel-option.js';
import { vodMomentUrl } from '../../src/core/vod-time.js';
import { linkedChannelChoices } from '../linked-channel-choices.js';
import { UserError, type CommandContext, type CommandDefinition } from '../../src/core/command.js';
import { vodDeleteConfirm, vodDeleteRequest, type VodDeleteOptions } from './delete.js';

export interface VodCommandOptions extends VodDeleteOptions {
  /** The link starts this many seconds before the moment asked, so it is in view. Default 10. */
  leadInS?: number;
  /** Per-user cooldown of `/vod now` (Helix calls and a chat line each). Default 10 s. */
  cooldownS?: number;
}

async function now(ctx: CommandContext, leadInS: number): Promise<void> {
  const channel = ctx.twitchChannel;
  if (!channel) throw new UserError('Which Twitch channel? Name one with the channel option.');
  const found = await new VodLocator({ helix: ctx.services.helix }).find(channel.id, ctx.askedAt);
  if (found.vod) {
    const offset = Math.max(
      0,
      Math.floor((ctx.askedAt - found.vod.startMs) / 1000) - (found.vod.live ? leadInS : 0),
    );
    const link = vodMomentUrl(found.vod.video.id, offset);
    await ctx.reply(
      found.vod.live
        ? `${channel.displayName}'s VOD at this moment: ${link}`
        : `${channel.displayName}'s stream just ended; its VOD: ${link}`,
    );
    return;
  }
  if (found.live) {
    await ctx.reply(
      `${channel.displayName} is live, but this stream has no VOD (storing past broadcasts may be off).`,
    );
    return;
  }
  const latest = found.latest ? ` Latest VOD: https://www.twitch.tv/videos/${found.latest.id}` : '';
  await ctx.reply(`${channel.displayName} is offline.${latest}`);
}

export const VOD_COMMAND_DEFAULTS = {
  leadInS: 10,
  cooldownS: 10,
} as const satisfies Partial<VodCommandOptions>;

/**
 * `!vod`, `/vod now [channel]`: a link to the current VOD at this moment.
 * `/vod delete <ids>` (Discord, Manage Server) or `!vod delete <ids>` (Twitch, the
 * broadcaster): up to 5 videos to delete with the broadcaster's own token, once the
 * broadcaster confirms with `!vod confirm CODE` in their Twitch chat.
 */
export function vodCommand(opts: VodCommandOptions = {}): CommandDefinition {
  const leadInS = opts.leadInS ?? VOD_COMMAND_DEFAULTS.leadInS;
  const cooldownS = opts.cooldownS ?? VOD_COMMAND_DEFAULTS.cooldownS;
  const request = vodDeleteRequest(opts);
  const confirm = vodDeleteConfirm(opts);
  return {
    name: 'vod',
    description: "Links into the stream's VOD",
    usage: 'vod',
    permission: 'everyone',
    informational: true,
    chatDefaultSubcommand: 'now',
    subcommands: [
      {
        name: 'now',
        description: 'A link to the current VOD at this moment',
        options: [TWITCH_CHANNEL_OPTION],
        // `now`'s alone: a broadcaster confirming a deletion right after asking is not held.
        cooldown: cooldownS,
      },
      {
        name: 'delete',
        description:
          "Delete up to 5 of the channel's videos, once the broadcaster confirms in Twitch chat",
        permission: 'manage_server',
        // Twitch chat has no Manage Server; there, the broadcaster's own account asks.
        permissionOn: { twitch: 'broadcaster' },
        informational: false,
        options: [
          {
            name: 'ids',
            description: 'Video ids or links, separated by spaces or commas (at most 5)',
            type: 'string',
            required: true,
            maxLength: 500,
            rest: true,
          },
          { ...TWITCH_CHANNEL_OPTION },
        ],
      },
      {
        name: 'confirm',
        description: 'The broadcaster confirms a deletion with its code',
        permission: 'broadcaster',
        platforms: ['twitch'],
        informational: false,
        options: [
          {
            name: 'code',
            description: 'The code the deletion request answered with',
            type: 'string',
            required: true,
            maxLength: 20,
          },
        ],
      },
    ],

    async execute(ctx) {
      if (ctx.subcommand === 'now') return now(ctx, leadInS);
      if (ctx.subcommand === 'delete') return request(ctx);
      if (ctx.subcommand === 'confirm') return confirm(ctx);
      throw new UserError('Use /vod now or /vod delete.');
    },

    autocomplete: linkedChannelChoices,
  };
}
