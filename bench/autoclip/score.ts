/** Matching fires to labelled moments: precision, recall and delay per kind. Pure. */
import type { AutoClipFire } from '../../src/autoclip/types.js';
import { percentile } from '../stats.js';

export interface Label {
  kind: string;
  /** ms of the reaction's first line */
  t0: number;
  /** A moment to clip (true) or a look-alike (false). */
  moment: boolean;
}

/** A fire belongs to a moment from just before its first line to this long after. */
export const MATCH = { beforeMs: 2000, afterMs: 20_000 } as const;

export interface StreamScore {
  /** Moments found (first fire in each moment's span), with the delay of that fire. */
  found: { kind: string; delayMs: number; firedKind: string }[];
  missed: string[];
  /** Fires that match no moment (or a second fire in one), by the episode they fell in. */
  falseFires: { during: string; firedKind: string; token?: string }[];
}

export function scoreStream(labels: readonly Label[], fires: readonly AutoClipFire[]): StreamScore {
  const score: StreamScore = { found: [], missed: [], falseFires: [] };
  const matched = new Set<Label>();
  for (const f of fires) {
    const span = labels.find(
      (l) => f.firedAt >= l.t0 - MATCH.beforeMs && f.firedAt <= l.t0 + MATCH.afterMs,
    );
    if (span?.moment && !matched.has(span)) {
      matched.add(span);
      score.found.push({ kind: span.kind, delayMs: f.firedAt - span.t0, firedKind: f.kind });
    } else {
      score.falseFires.push({
        during: span?.kind ?? 'background',
        firedKind: f.kind,
        token: f.token,
      });
    }
  }
  for (const l of labels) if (l.moment && !matched.has(l)) score.missed.push(l.kind);
  return score;
}

export interface KindRow {
  kind: string;
  moments: number;
  found: number;
  falseFires: number;
  precision?: number;
  recall?: number;
  medianDelayMs?: number;
  p95DelayMs?: number;
}

/** One row per moment kind: precision counts the false fires of that kind's streams. */
export function kindRow(kind: string, scores: readonly StreamScore[]): KindRow {
  const found = scores.flatMap((s) => s.found.filter((f) => f.kind === kind));
  const missed = scores.reduce((n, s) => n + s.missed.filter((m) => m === kind).length, 0);
  const falseFires = scores.reduce((n, s) => n + s.falseFires.length, 0);
  const delays = found.map((f) => f.delayMs);
  const moments = found.length + missed;
  const row: KindRow = { kind, moments, found: found.length, falseFires };
  if (found.length + falseFires > 0) row.precision = found.length / (found.length + falseFires);
  if (moments > 0) row.recall = found.length / moments;
  const median = percentile(delays, 50);
  const p95 = percentile(delays, 95);
  if (median !== undefined) row.medianDelayMs = median;
  if (p95 !== undefined) row.p95DelayMs = p95;
  return row;
}
