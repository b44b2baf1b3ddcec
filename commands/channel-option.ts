import type { CommandOption } from '../src/core/command.js';

/**
 * The Twitch channel a Discord command is about. Twitch chat has no such option: the room
 * is the channel. Autocomplete offers the channels linked to the server.
 */
export const TWITCH_CHANNEL_OPTION: CommandOption = {
  name: 'channel',
  description: 'Twitch channel (default: the one linked to this server)',
  type: 'string',
  autocomplete: true,
  maxLength: 100,
  platforms: ['discord'],
};
