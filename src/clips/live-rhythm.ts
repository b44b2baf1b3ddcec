/**
 * How often the live table is refreshed, from the number of joined channels. One Get
 * Streams call covers 100 channels, so a round costs ceil(channels / 100) calls; rounds
 * are spaced so the refresh spends at most `callsPerMinute` calls a minute, and never come
 * closer than `minPeriodMs`:
 *
 *   period = max(minPeriodMs, ceil(channels / 100) * 60 s / callsPerMinute)
 *
 * With the defaults (1 call a minute, 15 s): up to 100 channels every minute, 1,000
 * channels every 10 minutes (0.125% of Twitch's 800 points a minute however many
 * channels). Why so slow: the table's "live" only saves the live check's call, and a call
 * a minute is what keeps a channel clipped every 2 s under 0.05 Get Streams per clip,
 * refresh counted. A stream that ended is caught by Create Clip's 404; one that started
 * is asked about on its first request. LIVE_STATUS_CALLS_PER_MIN=10 refreshes 1,000
 * channels every minute (1.25%) where fresher status matters more than calls.
 */
export interface LiveRhythmOptions {
  /** LIVE_STATUS_CALLS_PER_MIN: Get Streams calls a minute the refresh may spend. */
  callsPerMinute: number;
  /** LIVE_STATUS_MIN_PERIOD_S in ms: the shortest time between two rounds. */
  minPeriodMs: number;
}

export const LIVE_RHYTHM_DEFAULTS = {
  callsPerMinute: 1,
  minPeriodMs: 15_000,
} as const satisfies LiveRhythmOptions;

/** Twitch's rate budget per token (points a minute); a Get Streams call costs one. */
export const HELIX_POINTS_PER_MINUTE = 800;

const IDS_PER_CALL = 100;

/** Get Streams calls one refresh round makes. */
export function refreshBatches(channels: number): number {
  return Math.ceil(Math.max(0, channels) / IDS_PER_CALL);
}

/** Time between two refresh rounds, in ms (see the formula above). */
export function refreshPeriodMs(
  channels: number,
  opts: LiveRhythmOptions = LIVE_RHYTHM_DEFAULTS,
): number {
  const perMinute = Math.max(opts.callsPerMinute, 1e-6);
  return Math.max(opts.minPeriodMs, Math.ceil((refreshBatches(channels) * 60_000) / perMinute));
}

/** The share of the rate budget the refresh spends, in percent. */
export function refreshBudgetShare(
  channels: number,
  opts: LiveRhythmOptions = LIVE_RHYTHM_DEFAULTS,
): number {
  const callsPerMinute = (refreshBatches(channels) * 60_000) / refreshPeriodMs(channels, opts);
  return (100 * callsPerMinute) / HELIX_POINTS_PER_MINUTE;
}
