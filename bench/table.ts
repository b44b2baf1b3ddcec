import type { IdleRefreshResult } from './idle-refresh.js';
import type { RoutingResult } from './routing.js';
import { pairedCost, type RoutingComparison } from './routing-compare.js';
import type { MemorySample } from './protocol.js';
import { refreshBatches, refreshPeriodMs } from '../src/clips/live-rhythm.js';
import { ratio, type Summary } from './stats.js';
import type { WorkloadResult } from './run-workload.js';

export type Mode = 'batched' | 'straightforward';

export interface BenchReport {
  meta: {
    date: string;
    node: string;
    cpus: number;
    quick: boolean;
    settings: Record<string, string | number>;
  };
  modes: Record<Mode, WorkloadResult[]>;
  routing?: RoutingResult;
  /** The routing figure with automatic clips off and on in every channel, alternated. */
  routingAutoclip?: RoutingComparison;
  /** channels joined -> idle memory of the bot process */
  memory: { channels: number; sample: MemorySample; idle?: MemorySample }[];
  /** The same child process with no bot code loaded, for scale. */
  runtimeBaseline?: MemorySample;
  /** The live table's refresh in an idle bot, per channel count. */
  idleRefresh?: IdleRefreshResult[];
  goals: Goal[];
}

export interface Goal {
  name: string;
  target: string;
  measured: string;
  met: boolean;
}

const MB = 1024 * 1024;

function fmt(n: number | undefined, digits = 0): string {
  return n === undefined ? '-' : n.toFixed(digits);
}

function ms(s: Summary): string {
  if (s.n === 0) return '-';
  return `${fmt(s.median)} / ${fmt(s.p95)} / ${fmt(s.p99)}`;
}

function find(results: WorkloadResult[], name: string): WorkloadResult | undefined {
  return results.find((r) => r.name === name);
}

/** Get Streams calls (live checks and the live table's refresh) per clip made. */
function streamsPerClip(r: WorkloadResult): number | undefined {
  return ratio(r.helix.byEndpoint['GET /streams'] ?? 0, r.clips);
}

/**
 * The refresh's calls, in the long run, during a workload: a round falls inside a short
 * workload or not by chance of phase, so the goals count the refresh at its steady rate
 * (the bot's rhythm for the channels it joined, LIVE_RHYTHM_DEFAULTS as the bench runs it;
 * the idle measurement below the table checks that rate) instead of the rounds seen.
 */
function steadyRefreshCalls(r: WorkloadResult, channels: number): number {
  if (!r.liveTable) return 0;
  return (refreshBatches(channels) * r.durationMs) / refreshPeriodMs(channels);
}

/** Helix calls per clip with the refresh counted at its steady rate. */
function perClipSteady(r: WorkloadResult, channels: number): number | undefined {
  return ratio(r.helix.total - r.helix.refresh + steadyRefreshCalls(r, channels), r.clips);
}

/** Live checks plus the refresh at its steady rate, per clip. */
function liveChecksPerClip(r: WorkloadResult, channels: number): number | undefined {
  return ratio(r.helix.liveChecks + steadyRefreshCalls(r, channels), r.clips);
}

/** Which goals the run met; the thresholds are the issue's. */
export function evaluateGoals(report: Omit<BenchReport, 'goals'>): Goal[] {
  const b = report.modes.batched;
  const goals: Goal[] = [];
  const channels = Number(report.meta.settings.workloadChannels ?? 0);
  const perClip = (name: string, label: string, max: number): void => {
    const r = find(b, name);
    const v = r && perClipSteady(r, channels);
    if (v === undefined) return;
    goals.push({
      name: `${label}: Helix calls per clip (batched, refresh counted)`,
      target: `<= ${max}`,
      measured: fmt(v, 2),
      met: v <= max,
    });
  };
  const burst = find(b, 'burst');
  const burstPerRequest =
    burst &&
    ratio(
      burst.helix.total - burst.helix.refresh + steadyRefreshCalls(burst, channels),
      burst.requests,
    );
  if (burstPerRequest !== undefined)
    goals.push({
      name: 'burst: Helix calls per request (batched, refresh counted)',
      target: '<= 0.01',
      measured: fmt(burstPerRequest, 3),
      met: burstPerRequest <= 0.01,
    });
  perClip('spread', 'dense spread', 1.1);
  perClip('sparse spread', 'sparse spread', 1.3);
  perClip('mixed', 'mixed', 1.3);
  perClip('trickle', 'trickle', 2.0);
  // The burst's unit is the request (its one clip answers 500 of them).
  const live = b.flatMap((r) => {
    const v =
      r.name === 'burst'
        ? ratio(r.helix.liveChecks + steadyRefreshCalls(r, channels), r.requests)
        : liveChecksPerClip(r, channels);
    return v === undefined ? [] : [{ name: r.name, v }];
  });
  if (live.length > 0) {
    const worst = live.reduce((x, y) => (y.v > x.v ? y : x));
    goals.push({
      name: 'live checks: Get Streams calls per clip (burst: per request), worst workload (batched, refresh counted)',
      target: '< 0.05',
      measured: `${fmt(worst.v, 3)} (${worst.name})`,
      met: worst.v < 0.05,
    });
  }
  if (b.length > 0) {
    const worst = Math.max(...b.map((r) => r.visibleToAnswerMs.p95 ?? 0));
    goals.push({
      name: 'visible -> answer p95, every workload (batched)',
      target: '< 400 ms',
      measured: `${fmt(worst)} ms`,
      met: worst < 400,
    });
  }
  const refresh = report.idleRefresh?.find((r) => r.channels === 1_000);
  if (refresh)
    goals.push({
      name: 'idle live-table refresh, 1,000 channels: share of 800 points/min',
      target: '< 2%',
      measured: `${refresh.atMost ? '<= ' : ''}${fmt(refresh.budgetShare, 3)}%`,
      met: refresh.budgetShare < 2,
    });
  if (report.routing)
    goals.push({
      name: `chat lines routed per second (${report.routing.channels} channels)`,
      target: '>= 2000',
      measured: `${routingBound(report.routing)}${fmt(report.routing.perSecond)}`,
      met: report.routing.perSecond >= 2000 && report.routing.routed === report.routing.commands,
    });
  const auto = report.routingAutoclip;
  const cost = auto && pairedCost(auto.runs);
  if (auto && cost)
    goals.push({
      name:
        `cost of automatic clips (on in all ${auto.on.detectors} channels) on routing: ` +
        `CPU a line, each on run against the off runs next to it`,
      target: 'no measurable cost: within the noise of two off runs in a row',
      measured:
        `+${fmt(cost.cpuUsPerLine, 2)} µs (${fmt(cost.share * 100, 0)}%), noise ${fmt(cost.noiseUsPerLine, 2)} µs; ` +
        `${fmt(auto.on.perSecond)} vs ${fmt(auto.off.perSecond)} lines/s`,
      met: cost.cpuUsPerLine <= cost.noiseUsPerLine && auto.fires === 0,
    });
  const biggest = report.memory.at(-1);
  if (biggest)
    goals.push({
      name: `RSS idle (after a minute), ${biggest.channels} channels`,
      target: report.meta.quick ? '< 100 MB (checked at 1,000)' : '< 100 MB',
      measured: `${fmt((biggest.idle ?? biggest.sample).rss / MB)} MB`,
      met: (biggest.idle ?? biggest.sample).rss < 100 * MB,
    });
  return goals;
}

/**
 * What makes a run unusable rather than slow: requests left unanswered, lines lost, a
 * workload that timed out. `npm run bench` (and --quick, as a sanity check) fails on these.
 */
export function sanityProblems(report: Omit<BenchReport, 'goals'>): string[] {
  const problems: string[] = [];
  for (const [mode, results] of Object.entries(report.modes)) {
    for (const r of results) {
      if (r.timedOut) problems.push(`${mode} ${r.name}: timed out`);
      if (r.answered !== r.requests)
        problems.push(`${mode} ${r.name}: ${r.answered} of ${r.requests} requesters answered`);
      if (r.clipAnswers === 0) problems.push(`${mode} ${r.name}: no answer linked a clip`);
    }
  }
  const routing = report.routing;
  if (routing && routing.routed !== routing.commands)
    problems.push(`routing: ${routing.routed} of ${routing.commands} commands reached the router`);
  return problems;
}

/** The one table `npm run bench` prints. */
export function renderTable(report: BenchReport): string {
  const rows: [string, string, string][] = [];
  const section = (title: string): void => void rows.push([title, '', '']);
  const row = (label: string, f: (r: WorkloadResult) => string, name: string): void => {
    const b = find(report.modes.batched, name);
    const s = find(report.modes.straightforward, name);
    rows.push([`  ${label}`, b ? f(b) : '-', s ? f(s) : '-']);
  };

  for (const r of report.modes.batched) {
    section(`${r.name}: ${r.description}`);
    row(
      'requests / answered / clips made',
      (x) => `${x.requests} / ${x.answered} / ${x.clips}`,
      r.name,
    );
    row(
      'Helix calls: streams + create + clips',
      (x) =>
        `${x.helix.byEndpoint['GET /streams'] ?? 0} + ${x.helix.byEndpoint['POST /clips'] ?? 0} + ${x.helix.byEndpoint['GET /clips'] ?? 0}` +
        (otherCalls(x) > 0 ? ` + ${otherCalls(x)} other` : ''),
      r.name,
    );
    row('Helix calls per request', (x) => fmt(x.perRequest, 3), r.name);
    row('Helix calls per clip', (x) => fmt(x.perClip, 2), r.name);
    row('  of which Get Streams per clip', (x) => fmt(streamsPerClip(x), 3), r.name);
    row(
      'per clip, refresh at its steady rate',
      (x) =>
        `${fmt(perClipSteady(x, Number(report.meta.settings.workloadChannels ?? 0)), 2)} ` +
        `(live ${fmt(liveChecksPerClip(x, Number(report.meta.settings.workloadChannels ?? 0)), 3)})`,
      r.name,
    );
    row('peak Helix calls in 60 s (Twitch: ~800)', (x) => String(x.helix.peakPerMinute), r.name);
    row('visible -> answer ms p50/p95/p99', (x) => ms(x.visibleToAnswerMs), r.name);
    row('chat line -> job start ms p50/p95/p99', (x) => ms(x.messageToJobStartMs), r.name);
    row(
      'asked after visible: request -> answer p50/p95',
      (x) =>
        x.lateRequestToAnswerMs.n === 0
          ? '-'
          : `${fmt(x.lateRequestToAnswerMs.median)} / ${fmt(x.lateRequestToAnswerMs.p95)} (${x.lateRequestToAnswerMs.n})`,
      r.name,
    );
    row('bot chat messages (answers)', (x) => String(x.clipAnswers + x.otherAnswers), r.name);
    row(
      'time to answer everyone',
      (x) => `${fmt(x.durationMs / 1000, 1)} s${x.timedOut ? ' TIMEOUT' : ''}`,
      r.name,
    );
  }

  // Section titles run across the columns; only the rows set the widths.
  const data = rows.filter((r) => r[1] !== '' || r[2] !== '');
  const width = [
    Math.max(...data.map((r) => r[0].length)),
    Math.max('batched'.length, ...data.map((r) => r[1].length)),
    Math.max('straightforward'.length, ...data.map((r) => r[2].length)),
  ] as const;
  const line = (a: string, b: string, c: string): string =>
    `${a.padEnd(width[0])}  ${b.padStart(width[1])}  ${c.padStart(width[2])}`.trimEnd();
  const out: string[] = [];
  const s = report.meta.settings;
  out.push(
    `clipbot benchmark${report.meta.quick ? ' (--quick)' : ''} - ${report.meta.cpus} cores, Node ${report.meta.node}; ` +
      `clips visible ${s.visibleMinMs}-${s.visibleMaxMs} ms after creation; ` +
      `CLIP_FIRST_POLL_MS=${s.firstPollMs} CLIP_POLL_INTERVAL_MS=${s.pollIntervalMs} CLIP_FAST_POLL_MS=${s.fastPollMs ?? 350}`,
  );
  out.push(line('', 'batched', 'straightforward'));
  for (const [a, b, c] of rows) out.push(b === '' && c === '' ? a : line(a, b, c));

  out.push('');
  if (report.routing) {
    const r = report.routing;
    out.push(
      `chat lines read and routed: ${routingBound(r)}${fmt(r.perSecond)}/s with ${r.channels} channels joined ` +
        `(${r.lines} lines, ${r.commands} commands, ${r.routed} reached the router, ` +
        `${fmt(r.seconds, 2)} s; the stand-in needed ${fmt(r.producerSeconds, 2)} s to write them)`,
    );
    const a = report.routingAutoclip;
    if (a) {
      const arm = (x: RoutingComparison['off']): string =>
        `${fmt(x.perSecond)}/s (spread ${fmt(x.perSecondSpread)}), ${fmt(x.cpuUsPerLine, 2)} µs CPU/line ` +
        `(spread ${fmt(x.cpuUsPerLineSpread, 2)})`;
      out.push(
        `  automatic clips off vs on, median of ${a.off.runs} runs each (two bots taking turns): ` +
          `off ${arm(a.off)}; on in ${a.on.detectors} channels ${arm(a.on)}; ` +
          `${a.fires} detector fires during the runs`,
      );
      out.push(
        `  runs in order: ${a.runs.map((r) => `${r.arm} ${fmt(r.result.perSecond)}/s ${fmt(r.result.cpuUsPerLine, 2)} µs`).join(', ')}`,
      );
    }
  }
  const mem = report.memory
    .map(
      (m) =>
        `${m.channels} ch ${fmt(m.sample.rss / MB)} MB (heap ${fmt(m.sample.heapUsed / MB)})` +
        (m.idle ? ` -> ${fmt(m.idle.rss / MB)} MB (heap ${fmt(m.idle.heapUsed / MB)})` : ''),
    )
    .join(', ');
  const base = report.runtimeBaseline
    ? `; Node alone ${fmt(report.runtimeBaseline.rss / MB)} MB`
    : '';
  out.push(
    `resident memory of the bot process, idle ${report.meta.settings.settleS ?? '?'} s -> ` +
      `${report.meta.settings.longIdleS ?? '?'} s after joining: ${mem}${base}`,
  );
  if (report.idleRefresh && report.idleRefresh.length > 0) {
    const parts = report.idleRefresh.map(
      (r) =>
        `${r.channels} ch ${r.callsPerRound} call${r.callsPerRound === 1 ? '' : 's'} / ` +
        `${r.atMost ? '>= ' : ''}${fmt(r.periodMs / 1000, 1)} s = ${r.atMost ? '<= ' : ''}` +
        `${fmt(r.callsPerMinute, 2)}/min (${r.atMost ? '<= ' : ''}${fmt(r.budgetShare, 3)}%)`,
    );
    out.push(
      `live table refresh while idle (share of Twitch's 800 points/min): ${parts.join(', ')}`,
    );
  }
  out.push('');
  out.push(report.meta.quick ? 'goals (judged on the full run; --quick is too small):' : 'goals:');
  for (const g of report.goals) {
    const verdict = report.meta.quick ? '-     ' : g.met ? 'met   ' : 'MISSED';
    out.push(`  ${verdict} ${g.name}: ${g.measured} (goal ${g.target})`);
  }
  return out.join('\n');
}

/**
 * ">= " when the stand-in could barely write lines as fast as the bot read them: then the
 * rate is the writer's, and the bot's own is higher.
 */
function routingBound(r: RoutingResult): string {
  return r.producerSeconds >= 0.8 * r.seconds ? '>= ' : '';
}

function otherCalls(r: WorkloadResult): number {
  const known = ['GET /streams', 'POST /clips', 'GET /clips'];
  return Object.entries(r.helix.byEndpoint)
    .filter(([k]) => !known.includes(k))
    .reduce((n, [, v]) => n + v, 0);
}
