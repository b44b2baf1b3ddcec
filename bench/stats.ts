/** Percentiles and summaries of measured samples (pure; unit-tested). */

export interface Summary {
  n: number;
  median?: number;
  p95?: number;
  p99?: number;
  max?: number;
}

/**
 * Nearest-rank percentile (p in 0..100) of unsorted values; undefined for none. Nearest
 * rank never invents a value between two samples, so a p99 of 3 samples is the largest.
 */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { n: 0 };
  return {
    n: values.length,
    median: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: Math.max(...values),
  };
}

/** a / b, or undefined when b is 0 (nothing to divide by is not a ratio of 0). */
export function ratio(a: number, b: number): number | undefined {
  return b > 0 ? a / b : undefined;
}

/**
 * The most events in any window of `windowMs` (times in ms, any order): the peak rate the
 * bot asked of Twitch's per-minute budget.
 */
export function peakInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
