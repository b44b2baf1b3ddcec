import { DEFAULT_CHANNEL_SETTINGS } from '../core/channel-settings.js';
import type { AutoClipSensitivity, DetectorSettings } from './types.js';

/**
 * The thresholds of one sensitivity. A count must reach `min + share * baseline +
 * overOwn * its own usual level` (the channel's usual distinct chatters per window, and the
 * token's own usual count), so a quiet chat needs a handful of viewers and a busy one a
 * crowd, and an emote a chat always spams needs far more than its usual share.
 */
export interface Thresholds {
  /** Distinct viewers typing the same emote or word in the window. */
  tokenMin: number;
  tokenShare: number;
  tokenOverOwn: number;
  /** Distinct viewers saying "clip" / "clip it" in the window. */
  clipMin: number;
  clipShare: number;
  clipOverOwn: number;
  /** Distinct viewers cheering bits or subscribing in the window. */
  supportMin: number;
  supportShare: number;
  supportOverOwn: number;
  /** Standard deviations of a Poisson count at a token's usual level added to its threshold. */
  noiseSd: number;
  /**
   * Messages in the window (each chatter counted once a second, so a flooder is one voice)
   * against their baseline; they must rise together with distinct chatters.
   */
  rateMult: number;
  rateMin: number;
  /** Distinct chatters in the window against their baseline. */
  distinctMult: number;
  distinctMin: number;
}

export const AUTOCLIP_THRESHOLDS = {
  low: {
    tokenMin: 7,
    tokenShare: 0.35,
    tokenOverOwn: 2.5,
    clipMin: 4,
    clipShare: 0.12,
    clipOverOwn: 3,
    supportMin: 5,
    supportShare: 0.03,
    supportOverOwn: 3,
    noiseSd: 2.5,
    rateMult: 2.8,
    rateMin: 22,
    distinctMult: 2.4,
    distinctMin: 11,
  },
  normal: {
    tokenMin: 5,
    tokenShare: 0.25,
    tokenOverOwn: 2,
    clipMin: 3,
    clipShare: 0.08,
    clipOverOwn: 2.5,
    supportMin: 3,
    supportShare: 0.02,
    supportOverOwn: 2.5,
    noiseSd: 2,
    rateMult: 2.2,
    rateMin: 15,
    distinctMult: 1.9,
    distinctMin: 8,
  },
  high: {
    tokenMin: 3,
    tokenShare: 0.18,
    tokenOverOwn: 1.6,
    clipMin: 2,
    clipShare: 0.05,
    clipOverOwn: 2,
    supportMin: 2,
    supportShare: 0.015,
    supportOverOwn: 2,
    noiseSd: 1.5,
    rateMult: 1.7,
    rateMin: 11,
    distinctMult: 1.5,
    distinctMin: 6,
  },
} as const satisfies Record<AutoClipSensitivity, Thresholds>;

/** The detector's timing and bounds; every one can be overridden per manager. */
export interface DetectorOptions {
  /** The sliding window the signals are counted over. */
  windowS: number;
  /** Time constant of the baselines (message rate, distinct chatters, each token's level). */
  baselineTauS: number;
  /**
   * The message and chatter baselines fall this many times slower than they rise: a busy
   * chat's lulls do not make its usual pace look like a burst when they end.
   */
  baselineFallSlower: number;
  /** Time constant while a raid arrives: the baseline follows the raiders who stay. */
  raidTauS: number;
  /** How long after a raid arrives its greetings are not a moment (unless raids are on). */
  raidWindowS: number;
  /** A new detector learns the chat this long before it may fire. */
  warmupS: number;
  /** A moment lasts at least this long: no second fire inside it whatever the cooldown. */
  momentMinS: number;
  /** ...and at most this long: then the detector is armed again even if chat stays loud. */
  momentMaxS: number;
  /** Tokens (emotes and words) a message contributes at most. */
  tokensPerMessage: number;
  /** Token states kept (those in the window, and those whose usual level is still known). */
  maxTokens: number;
}

export const DETECTOR_DEFAULTS = {
  windowS: 10,
  baselineTauS: 120,
  baselineFallSlower: 5,
  raidTauS: 10,
  raidWindowS: 90,
  warmupS: 60,
  momentMinS: 30,
  momentMaxS: 120,
  tokensPerMessage: 4,
  maxTokens: 4096,
} as const satisfies DetectorOptions;

/** What a channel gets when moderators set nothing: the channel settings' defaults. */
export const DETECTOR_SETTINGS_DEFAULTS: DetectorSettings = {
  sensitivity: DEFAULT_CHANNEL_SETTINGS.autoSensitivity,
  cooldownS: DEFAULT_CHANNEL_SETTINGS.autoCooldownS,
  raids: DEFAULT_CHANNEL_SETTINGS.autoRaids,
};
