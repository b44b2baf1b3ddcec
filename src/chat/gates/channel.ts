import { optionsFor } from '../../core/chat-syntax.js';
import { PASS, type Gate } from './gate.js';
import { resolveDiscordChannel } from './resolve-channel.js';

/**
 * The Twitch channel the call is about (the room; on Discord the `channel` option or the
 * server's link), and the command's channel policy there, read once for the gates after.
 */
export const channelGate: Gate = async ({ input, target, services }, state) => {
  const { def, sub } = target;
  const policy = def.channelPolicy;
  const named =
    input.platform === 'discord' &&
    optionsFor(def, sub, 'discord').some((o) => o.name === 'channel');
  state.twitchChannel = named
    ? await resolveDiscordChannel(input, services, { linkedOnly: policy?.linkedOnly === true })
    : input.twitchChannel;
  if (policy && state.twitchChannel) {
    const { platform, user } = input;
    state.terms = await policy.read({ platform, user, channel: state.twitchChannel, services });
  }
  return PASS;
};
