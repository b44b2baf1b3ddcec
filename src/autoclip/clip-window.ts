import type { AutoClipFire } from './types.js';

/**
 * What an automatic clip covers. Chat reacts a few seconds after the moment (the stream's
 * latency to viewers, then reading and typing), so the clip reaches back `leadS` before the
 * burst began. Pure.
 */
export interface ClipWindowOptions {
  /** Seconds before the burst's start the clip must still show. */
  leadS: number;
  /** Seconds after the burst's start a VOD clip runs on (the reaction itself). */
  tailS: number;
  /** Twitch's bounds for a clip's duration. */
  minS: number;
  maxS: number;
}

export const CLIP_WINDOW_DEFAULTS = {
  leadS: 12,
  tailS: 8,
  minS: 5,
  maxS: 60,
} as const satisfies ClipWindowOptions;

export interface AutoClipWindow {
  /** Create Clip's duration: a live clip ends when it is created, right after the fire. */
  duration: number;
  /**
   * Where the bot clips from the VOD instead: the clip ends this many seconds before
   * `firedAt` (ClipRequest.vod.agoS) and lasts `vodDuration`, from `leadS` before the burst
   * to `tailS` after it began.
   */
  vodAgoS: number;
  vodDuration: number;
}

export function autoClipWindow(
  fire: Pick<AutoClipFire, 'startedAt' | 'firedAt'>,
  opts: Partial<ClipWindowOptions> = {},
): AutoClipWindow {
  const o = { ...CLIP_WINDOW_DEFAULTS, ...opts };
  const clamp = (n: number) => Math.min(o.maxS, Math.max(o.minS, n));
  // A start after the fire is a clock skew between tmi-sent-ts values: read it as "now".
  const burstS = Math.max(0, (fire.firedAt - fire.startedAt) / 1000);
  const duration = clamp(Math.ceil(burstS + o.leadS));
  const vodDuration = clamp(o.leadS + o.tailS);
  // The VOD clip ends tailS after the burst began, but never after the fire itself.
  const vodAgoS = Math.max(0, Math.floor(burstS - o.tailS));
  return { duration, vodAgoS, vodDuration };
}
