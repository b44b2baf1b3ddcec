/**
 * When a viewer asked, as the platform stamped it, rather than when we read it: a process
 * that stalled, a backlog of chat lines, a reconnect all put seconds between the two, and
 * the clip is of the moment asked for. The platform's stamp is trusted only within bounds,
 * since another machine's clock (or a forged tag) could put it anywhere.
 */
export interface AskedTimeOptions {
  /** A stamp up to this far ahead of our clock is clock skew: it counts as receivedAt. */
  maxFutureSkewMs?: number;
  /** A stamp older than this is not believed (a replay, a broken clock): receivedAt wins. */
  maxAgeMs?: number;
}

export const ASKED_TIME_DEFAULTS = {
  maxFutureSkewMs: 5_000,
  maxAgeMs: 10 * 60_000,
} as const satisfies Required<AskedTimeOptions>;

/**
 * The time the request was made: `stampedAt` (epoch ms, or its decimal text) when it is
 * a number no later than receivedAt plus the skew and no older than maxAgeMs, never later
 * than receivedAt; otherwise receivedAt.
 */
export function askedTime(
  stampedAt: number | string | undefined,
  receivedAt: number,
  opts: AskedTimeOptions = {},
): number {
  const stamp = typeof stampedAt === 'string' ? stampFromText(stampedAt) : stampedAt;
  if (stamp === undefined || !Number.isFinite(stamp)) return receivedAt;
  const skew = opts.maxFutureSkewMs ?? ASKED_TIME_DEFAULTS.maxFutureSkewMs;
  const maxAge = opts.maxAgeMs ?? ASKED_TIME_DEFAULTS.maxAgeMs;
  if (stamp > receivedAt + skew || stamp < receivedAt - maxAge) return receivedAt;
  return Math.min(stamp, receivedAt);
}

function stampFromText(text: string): number | undefined {
  return /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}
