/**
 * The detection part of `npm run bench` (alone: `npm run bench -- --only=autoclip`):
 * generated chat streams with labelled moments and look-alikes, fed to the real
 * AutoClipManager; prints precision, recall and delay per kind, and the cost per message.
 */
import { AutoClipManager } from '../../src/autoclip/manager.js';
import type { AutoClipFire, AutoClipSensitivity } from '../../src/autoclip/types.js';
import { seededRng, type Rng } from '../rng.js';
import { PROFILES, background, type BenchEvent, type ChannelProfile } from './chat-model.js';
import {
  LOOK_ALIKES,
  MOMENT_KINDS,
  lookAlike,
  moment,
  type LookAlikeKind,
  type MomentKind,
} from './episodes.js';
import { kindRow, scoreStream, type KindRow, type Label, type StreamScore } from './score.js';

export interface AutoclipBenchOptions {
  seed: number;
  /** Streams per channel profile and kind. */
  streamsPer: number;
  /** Episodes per stream. */
  episodes: number;
  /** Messages timed for the cost per message. */
  costMessages: number;
  sensitivity: AutoClipSensitivity;
}

export const AUTOCLIP_BENCH_DEFAULTS = {
  streamsPer: 2,
  episodes: 6,
  costMessages: 1_000_000,
  sensitivity: 'normal',
} as const satisfies Partial<AutoclipBenchOptions>;

const WARMUP_MS = 180_000;
const GAP_MS = { min: 160_000, spread: 60_000 } as const;

interface Stream {
  events: BenchEvent[];
  labels: Label[];
  lines: number;
  durationMs: number;
}

function buildStream(
  rng: Rng,
  p: ChannelProfile,
  kind: MomentKind | LookAlikeKind,
  episodes: number,
): Stream {
  const channel = 'chan';
  const labels: Label[] = [];
  const extra: BenchEvent[] = [];
  let t = WARMUP_MS;
  const busy = kind === 'always busy';
  for (let i = 0; i < episodes; i++) {
    if (!busy) {
      const c = { rng, p, channel, t0: t };
      const isMoment = (MOMENT_KINDS as readonly string[]).includes(kind);
      extra.push(
        ...(isMoment
          ? moment(kind as MomentKind, c)
          : lookAlike(kind as Exclude<LookAlikeKind, 'always busy'>, c)),
      );
      labels.push({ kind, t0: t, moment: isMoment });
    }
    t += GAP_MS.min + rng() * GAP_MS.spread;
  }
  const durationMs = t;
  // Always busy: twice the profile's pace and chatters, and a pace that swings wider.
  const bg = busy ? { ...p, rate: p.rate * 2, population: p.population * 2 } : p;
  const events = [...background(rng, bg, channel, durationMs, busy ? 1.5 : 1), ...extra];
  events.sort((a, b) => a.at - b.at);
  return { events, labels, lines: events.length, durationMs };
}

function detect(stream: Stream, sensitivity: AutoClipSensitivity): AutoClipFire[] {
  const m = new AutoClipManager();
  m.enable('chan', { sensitivity, cooldownS: 30, raids: false });
  const fires: AutoClipFire[] = [];
  for (const e of stream.events) {
    if (e.raid) m.raidArrived(e.channel, e.at);
    else {
      const f = m.observe(e);
      if (f) fires.push(f);
    }
  }
  return fires;
}

export interface LookAlikeRow {
  kind: string;
  episodes: number;
  falseFires: number;
  chatHours: number;
}

export interface AutoclipReport {
  sensitivity: AutoClipSensitivity;
  moments: KindRow[];
  lookAlikes: LookAlikeRow[];
  /** Which signal fired for each kind of moment. */
  firedKinds: Record<string, Record<string, number>>;
  cost: {
    oneChannelNsPerMsg: number;
    thousandChannelsNsPerMsg: number;
    offNsPerMsg: number;
    messages: number;
  };
  lines: number;
}

function timeIt(events: BenchEvent[], total: number, m: AutoClipManager): number {
  const passes = Math.max(1, Math.ceil(total / events.length));
  const span = (events.at(-1)?.at ?? 0) + 1000;
  let ns = 0n;
  let count = 0;
  for (let pass = 0; pass < passes; pass++) {
    if (pass > 0) for (const e of events) e.at += span;
    const start = process.hrtime.bigint();
    for (const e of events) m.observe(e);
    ns += process.hrtime.bigint() - start;
    count += events.length;
  }
  return Number(ns) / count;
}

/** ns per message for a 50 msg/s chat: one channel, the same spread over 1,000, and auto off. */
function measureCost(seed: number, total: number): AutoclipReport['cost'] {
  const rng = seededRng(seed);
  const huge = PROFILES.at(-1)!;
  const lines = Math.min(total, 250_000);
  const events = background(rng, huge, 'chan', (lines / huge.rate) * 1000);
  const one = new AutoClipManager();
  one.enable('chan');
  const oneNs = timeIt(events, total, one);
  const many = new AutoClipManager();
  for (let i = 0; i < 1000; i++) many.enable(`c${i}`);
  events.forEach((e, i) => (e.channel = `c${i % 1000}`));
  const manyNs = timeIt(events, total, many);
  const off = new AutoClipManager();
  const offNs = timeIt(events, total, off);
  return {
    oneChannelNsPerMsg: oneNs,
    thousandChannelsNsPerMsg: manyNs,
    offNsPerMsg: offNs,
    messages: total,
  };
}

export function runAutoclipBench(
  opts: Partial<AutoclipBenchOptions> & { seed: number },
): AutoclipReport {
  const o = { ...AUTOCLIP_BENCH_DEFAULTS, ...opts };
  const rng = seededRng(o.seed);
  const byKind = new Map<string, StreamScore[]>();
  const hours = new Map<string, number>();
  let lines = 0;
  for (const kind of [...MOMENT_KINDS, ...LOOK_ALIKES]) {
    const profiles = kind === 'always busy' ? PROFILES.filter((p) => p.rate >= 15) : PROFILES;
    for (const p of profiles) {
      for (let i = 0; i < o.streamsPer * (kind === 'always busy' ? 3 : 1); i++) {
        const stream = buildStream(rng, p, kind, o.episodes);
        lines += stream.lines;
        const score = scoreStream(stream.labels, detect(stream, o.sensitivity));
        if (process.env.AUTOCLIP_DEBUG && (score.missed.length || score.falseFires.length))
          process.stderr.write(
            `${kind} @ ${p.name}: missed ${score.missed.length}, false ${JSON.stringify(score.falseFires)}\n`,
          );
        byKind.set(kind, [...(byKind.get(kind) ?? []), score]);
        hours.set(kind, (hours.get(kind) ?? 0) + stream.durationMs / 3_600_000);
      }
    }
  }
  const firedKinds: AutoclipReport['firedKinds'] = {};
  for (const kind of MOMENT_KINDS) {
    const counts: Record<string, number> = {};
    for (const s of byKind.get(kind) ?? [])
      for (const f of s.found) counts[f.firedKind] = (counts[f.firedKind] ?? 0) + 1;
    firedKinds[kind] = counts;
  }
  return {
    sensitivity: o.sensitivity,
    moments: MOMENT_KINDS.map((k) => kindRow(k, byKind.get(k) ?? [])),
    lookAlikes: LOOK_ALIKES.map((k) => {
      const scores = byKind.get(k) ?? [];
      return {
        kind: k,
        episodes: k === 'always busy' ? 0 : scores.length * o.episodes,
        falseFires: scores.reduce((n, s) => n + s.falseFires.length, 0),
        chatHours: hours.get(k) ?? 0,
      };
    }),
    firedKinds,
    cost: measureCost(o.seed + 1, o.costMessages),
    lines,
  };
}
