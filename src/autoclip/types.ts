/** What the automatic-clip detector reads and what it says when a moment happens. */

import type { AutoClipSensitivity } from '../core/channel-settings.js';

/** How eagerly a channel's detector fires (a channel setting); thresholds per level in thresholds.ts. */
export type { AutoClipSensitivity } from '../core/channel-settings.js';
export { AUTOCLIP_SENSITIVITIES } from '../core/channel-settings.js';

/**
 * One thing seen in a channel's chat. The Twitch adapter builds it from tmi.js's message
 * tags (see README "Automatic clips": which tags).
 */
export interface ChatObservation {
  /** The channel (broadcaster id; any stable key works). */
  channel: string;
  /** The chatter's user id (tags `user-id`); login is fine where no id is known. */
  userId: string;
  /** The message as typed (a sub or cheer without words: ''). */
  text: string;
  /** Names of the Twitch emotes in the message (from the `emotes` tag's positions). */
  emotes?: readonly string[];
  /** Bits cheered with this message (tags `bits`). */
  bits?: number;
  /** A sub, resub or gifted sub by this user (tmi.js `subscription`, `resub`, `subgift`, ...). */
  support?: 'sub' | 'resub' | 'subgift';
  /** The bot itself, or an account known to be a bot: never counted. */
  fromBot?: boolean;
  /** epoch ms the message was sent (tags `tmi-sent-ts`). */
  at: number;
  /** The broadcaster's display name, on a line of their own (their clips' titles use it). */
  broadcasterName?: string;
}

/** Which signal carried a moment. */
export type AutoClipKind = 'emote' | 'word' | 'clip' | 'support' | 'rate';

export const AUTOCLIP_KINDS: readonly AutoClipKind[] = ['emote', 'word', 'clip', 'support', 'rate'];

/** A moment the detector found: the clip to make follows from it (clip-window.ts). */
export interface AutoClipFire {
  channel: string;
  /** epoch ms the burst began, as well as the detector can tell (at most a window back). */
  startedAt: number;
  /** epoch ms of the message that made it fire. */
  firedAt: number;
  kind: AutoClipKind;
  /** The emote or word that carried it ('clip' for mentions, absent for bits/subs or rate). */
  token?: string;
}

/** A channel's automatic-clip settings as the detector needs them. */
export interface DetectorSettings {
  sensitivity: AutoClipSensitivity;
  /** Seconds after a fire during which it does not fire again (moderators set it). */
  cooldownS: number;
  /** Fire on the greetings of a raid arriving (default off: the raid window is muted). */
  raids: boolean;
}
