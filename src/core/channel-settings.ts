import type { Role } from './roles.js';

/** How eagerly automatic clips fire (the detector's thresholds per level: src/autoclip). */
export type AutoClipSensitivity = 'low' | 'normal' | 'high';

export const AUTOCLIP_SENSITIVITIES: readonly AutoClipSensitivity[] = ['low', 'normal', 'high'];

/** Per-Twitch-channel settings, stored in Redis, changed by moderators from chat or Discord. */
export interface ChannelSettings {
  /** Clipping on or off for this channel. */
  enabled: boolean;
  /** The lowest role allowed to clip. */
  permission: Exclude<Role, 'broadcaster'>;
  /** Seconds between two clips in this channel (0 = none; coalescing still applies). */
  channelCooldownS: number;
  /** Seconds between two requests from the same user in this channel. */
  userCooldownS: number;
  defaultDuration: number;
  minDuration: number;
  maxDuration: number;
  /** {title} the viewer's title (or the stream title when empty), {user}, {channel}, {game}. */
  titleTemplate: string;
  /** Seconds to wait after the request before capturing. */
  delayS: number;
  /** Automatic clips when chat erupts (off until a moderator turns them on). */
  autoEnabled: boolean;
  autoSensitivity: AutoClipSensitivity;
  /** Seconds after an automatic clip before the next one. */
  autoCooldownS: number;
  /** Announce automatic clips in Twitch chat (off: only the linked Discord channel). */
  autoChat: boolean;
  /** A raid's arrival greetings may make an automatic clip. */
  autoRaids: boolean;
}

/** The built-in defaults; CLIP_DEFAULT_DURATION replaces defaultDuration (channelDefaults). */
export const DEFAULT_CHANNEL_SETTINGS: ChannelSettings = {
  enabled: true,
  permission: 'everyone',
  channelCooldownS: 0,
  userCooldownS: 15,
  defaultDuration: 30,
  minDuration: 5,
  maxDuration: 60,
  titleTemplate: '{title}',
  delayS: 0,
  autoEnabled: false,
  autoSensitivity: 'normal',
  autoCooldownS: 120,
  autoChat: false,
  autoRaids: false,
};

/**
 * What a channel that set nothing gets: the built-in defaults with the operator's
 * CLIP_DEFAULT_DURATION. A channel keeps following it until a moderator sets its durations.
 */
export function channelDefaults(defaultDurationS: number): ChannelSettings {
  return { ...DEFAULT_CHANNEL_SETTINGS, defaultDuration: defaultDurationS };
}
