import type { ChannelPolicy, CooldownHold } from '../src/core/command.js';
import { discordClipRefusal, whoCan } from '../src/core/permissions.js';

/**
 * What clipping a channel needs, from the channel's clip settings (read once per call):
 * clipping on, the role the channel lets clip, and its user and channel cooldowns. A
 * Discord server clips only the channels it linked.
 */
export const clipChannelPolicy: ChannelPolicy = {
  linkedOnly: true,
  async read({ platform, user, channel, services }) {
    const settings = await services.settings.get(channel.id);
    const prefix = services.config.CHAT_COMMAND_PREFIX;
    const how = `${prefix}clipconfig on${platform === 'twitch' ? '' : ' in its Twitch chat'}`;
    const who = `${platform}:${user.id}`;
    const userKey = `clip:user:${channel.id}:${who}`;
    const channelKey = `clip:channel:${channel.id}`;
    const cooldowns: CooldownHold[] = [];
    if (settings.userCooldownS > 0) {
      cooldowns.push({
        claim: { key: userKey, seconds: settings.userCooldownS },
        notice: {
          key: `${userKey}:notice`,
          text: (wait) => `Wait ${wait}s before your next clip.`,
        },
        giveBackOn: 'refusal',
      });
    }
    if (settings.channelCooldownS > 0) {
      cooldowns.push({
        // Requests right after the one that started the cooldown join that same clip (the
        // clip service coalesces them), so they pass rather than being refused.
        claim: {
          key: channelKey,
          seconds: settings.channelCooldownS,
          joinWithinS: services.config.COALESCE_WINDOW_S,
        },
        notice: {
          key: `${channelKey}:notice:${who}`,
          text: (wait) => `The next clip in this channel is possible in ${wait}s.`,
        },
        giveBackOn: 'refusal',
      });
    }
    const required = settings.permission;
    return {
      settings,
      closed: settings.enabled
        ? undefined
        : `Clipping is off for ${channel.displayName}; the broadcaster or a moderator can turn it on with ${how}.`,
      permission: {
        required,
        refusal:
          platform === 'discord'
            ? discordClipRefusal(channel.displayName, required)
            : `Only ${whoCan(required)} can clip in this channel.`,
      },
      cooldowns,
    };
  },
};
