import type { ClipRequest } from '../src/core/clip.js';
import { TWITCH_CHANNEL_OPTION } from './channel-option.js';
import { clipChannelPolicy } from './clip-policy.js';
import { cleanText } from '../src/core/chat-syntax.js';
import { SETTINGS_LIMITS } from '../src/core/settings-validation.js';
import { AGO_CHAT_PATTERN, agoSeconds } from './clip-ago.js';
import { applyTitleTemplate, MAX_CLIP_TITLE, templateNeedsStream } from './clip-title.js';
import { linkedChannelChoices } from './linked-channel-choices.js';
import { UserError, type CommandContext, type CommandDefinition } from '../src/core/command.js';

/**
 * Chat: a leading number is a duration only when it could be meant as seconds: up to 180
 * (so `!clip 90` hears the allowed range) or written with an `s` (`45s`). Any other number
 * starts the title: `!clip 2024 was the year`.
 */
export const DURATION_CHAT_PATTERN = /^[+-]?(?:\d+s|0*(?:\d{1,2}|1[0-7]\d|180))$/i;

export interface ClipCommandOptions {
  /**
   * The stream's title and game as the live table last heard them from Get Streams
   * (LiveStatusTable.streamInfo): undefined when it has no fresh live entry for the channel.
   * Without it, or when it knows nothing, the command asks Get Streams itself.
   */
  known?: (
    login: string,
    broadcasterId: string,
  ) => Promise<{ title: string; gameName: string } | undefined>;
}

/** The stream's title and game for the title template; empty when offline or unknown. */
async function streamInfo(
  ctx: CommandContext,
  channel: { id: string; login: string },
  opts: ClipCommandOptions,
) {
  const broadcasterId = channel.id;
  // The table only saves the call: a failure to read it is asking Twitch.
  const known = await opts.known?.(channel.login, broadcasterId).catch(() => undefined);
  if (known) return { streamTitle: known.title, game: known.gameName };
  try {
    const [stream] = await ctx.services.helix.getStreams({ userIds: [broadcasterId] });
    return { streamTitle: stream?.title ?? '', game: stream?.game_name ?? '' };
  } catch (err) {
    // The clip matters more than its title: go on without the stream's words.
    ctx.services.log.warn({ err, broadcasterId }, 'stream lookup for the title template failed');
    return { streamTitle: '', game: '' };
  }
}

/** The arguments that depend on the channel's settings, checked; a UserError when wrong. */
async function clipArgs(ctx: CommandContext) {
  const channel = ctx.twitchChannel;
  if (!channel?.id) {
    throw new UserError('Which Twitch channel? Name one with the channel option.');
  }
  const settings = ctx.channelSettings ?? (await ctx.services.settings.get(channel.id));
  const asked = ctx.options.duration;
  if (typeof asked === 'number' && (asked < settings.minDuration || asked > settings.maxDuration)) {
    throw new UserError(
      `Clips here are ${settings.minDuration} to ${settings.maxDuration} seconds long.`,
    );
  }
  const duration = typeof asked === 'number' ? asked : settings.defaultDuration;
  const agoS = typeof ctx.options.ago === 'string' ? agoSeconds(ctx.options.ago) : undefined;
  return { channel, settings, duration, agoS };
}

/**
 * `!clip [-2m] [seconds] [title]`, `/clip [channel] [ago] [duration] [title]`. Queues (or
 * joins) the channel's clip and says nothing now: the answer with the links comes through
 * the reply stream, once, naming everyone who asked. With `ago`, the clip is of the past:
 * the `duration` seconds that ended that long ago, made from the VOD.
 */
export function clipCommand(opts: ClipCommandOptions = {}): CommandDefinition {
  return {
    name: 'clip',
    description: 'Clip the live stream',
    usage: 'clip [-2m] [seconds] [title]',
    permission: 'everyone',
    channelPolicy: clipChannelPolicy,
    options: [
      TWITCH_CHANNEL_OPTION,
      {
        // Before duration: "-90s" would otherwise be read as a (negative) duration.
        name: 'ago',
        description: 'Clip the past: how long ago the moment ended, e.g. 2m or 1m30s',
        type: 'string',
        maxLength: 12,
        chatPattern: AGO_CHAT_PATTERN,
      },
      {
        name: 'duration',
        description: 'Length in seconds',
        type: 'integer',
        min: SETTINGS_LIMITS.duration.min,
        max: SETTINGS_LIMITS.duration.max,
        chatPattern: DURATION_CHAT_PATTERN,
      },
      {
        name: 'title',
        description: 'Clip title',
        type: 'string',
        rest: true,
        maxLength: MAX_CLIP_TITLE,
      },
    ],

    // The settings' limits are checked before the router takes cooldowns: `!clip 60` where
    // clips may be 30 s long must not start the channel's cooldown with no clip.
    async validate(ctx) {
      await clipArgs(ctx);
    },

    async execute(ctx) {
      const { channel, settings, duration, agoS } = await clipArgs(ctx);

      const viewerTitle = typeof ctx.options.title === 'string' ? cleanText(ctx.options.title) : '';
      const stream = templateNeedsStream(settings.titleTemplate, viewerTitle)
        ? await streamInfo(ctx, channel, opts)
        : {};
      const title = applyTitleTemplate(settings.titleTemplate, {
        title: viewerTitle,
        user: ctx.user.displayName,
        channel: channel.displayName,
        ...stream,
      });

      const request: ClipRequest = {
        requestId: ctx.requestId,
        broadcasterId: channel.id,
        broadcasterLogin: channel.login,
        broadcasterName: channel.displayName,
        duration,
        requester: {
          platform: ctx.platform,
          userId: ctx.user.id,
          displayName: ctx.user.displayName,
        },
        replyTo: ctx.replyTarget,
        requestedAt: ctx.askedAt,
      };
      if (title !== undefined) request.title = title;
      // `ago` places a clip of the past exactly; the capture delay is for live clips only.
      if (agoS !== undefined) request.vod = { agoS };
      else if (settings.delayS > 0) request.delayS = settings.delayS;
      await ctx.services.clips.request(request);
    },

    autocomplete: linkedChannelChoices,
  };
}
