import type { BotProcess } from './bot-handle.js';
import type { RoutingResult } from './routing.js';
import { percentile } from './stats.js';

export type AutoclipArm = 'off' | 'on';

export interface RoutingComparison {
  /** The counted runs in the order they ran. */
  runs: { arm: AutoclipArm; result: RoutingResult }[];
  off: RoutingSummary;
  on: RoutingSummary;
  /** Automatic-clip fires during counted runs (0: no Helix work leaked into the figure). */
  fires: number;
}

/**
 * What automatic clips cost a line, from runs taken in turns: each `on` run against the mean
 * of the `off` runs next to it (µs of CPU a line; the machine's drift cancels out), and the
 * instrument's own noise: how much two `off` runs in a row differ. A cost no larger than
 * the noise cannot be told from none.
 */
export interface PairedCost {
  /** Median over the `on` runs of (on - neighbouring off), µs CPU a line. */
  cpuUsPerLine: number;
  /** The same as a share of the neighbouring off runs' CPU a line (0.1 = 10%). */
  share: number;
  /** Median |off - off| of two off runs in a row, µs CPU a line. */
  noiseUsPerLine: number;
}

export function pairedCost(runs: RoutingComparison['runs']): PairedCost | undefined {
  const costs: number[] = [];
  const shares: number[] = [];
  const noise: number[] = [];
  runs.forEach((r, i) => {
    const prev = runs[i - 1];
    if (r.arm === 'off') {
      if (prev?.arm === 'off')
        noise.push(Math.abs(r.result.cpuUsPerLine - prev.result.cpuUsPerLine));
      return;
    }
    const next = runs[i + 1];
    const offs = [prev, next].filter((n) => n?.arm === 'off').map((n) => n!.result.cpuUsPerLine);
    if (offs.length === 0) return;
    const base = offs.reduce((a, b) => a + b, 0) / offs.length;
    costs.push(r.result.cpuUsPerLine - base);
    shares.push((r.result.cpuUsPerLine - base) / base);
  });
  const cost = percentile(costs, 50);
  if (cost === undefined) return undefined;
  return {
    cpuUsPerLine: cost,
    share: percentile(shares, 50) ?? 0,
    noiseUsPerLine: percentile(noise, 50) ?? 0,
  };
}

export interface RoutingSummary {
  runs: number;
  /** Medians over the arm's runs. */
  perSecond: number;
  cpuUsPerLine: number;
  /** The arm's own spread (max - min), the noise a difference must exceed to count. */
  perSecondSpread: number;
  cpuUsPerLineSpread: number;
  detectors: number;
}

/** Runs in the order off, on, on, off, off, on...: drift of the machine falls on both arms. */
export function armOrder(rounds: number): AutoclipArm[] {
  const order: AutoclipArm[] = [];
  for (let i = 0; i < rounds; i++)
    order.push(...((i % 2 === 0 ? ['off', 'on'] : ['on', 'off']) as AutoclipArm[]));
  return order;
}

/**
 * The routing figure with automatic clips off, and on in every channel, measured on two
 * bot processes that run side by side from start to end, each keeping its setting (as a bot
 * serving those channels would), joined to the same channels as two bot accounts. They
 * take turns at the same flood, run by run (the chat stand-in delivers chatters' lines to
 * one of them at a time), so that the machine's drift falls on both arms alike.
 * Two earlier designs measured the machine more than the detectors: toggling the setting
 * in one process (every switch made or dropped 1,000 detectors, and the garbage collector
 * moving or freeing them landed in the runs that followed: 31 to 57 µs a line for the same
 * arm), and bots one after another (this machine's speed drifted by half within a minute).
 * Each bot gets `warmRuns` runs that are not counted first.
 */
export async function compareRouting(opts: {
  rounds: number;
  warmRuns: number;
  /** Starts the bot of an arm, with automatic clips on or off in every channel, joined. */
  start: (arm: AutoclipArm) => Promise<BotProcess>;
  /** Lets only this arm's bot hear the chat. */
  listen: (arm: AutoclipArm) => void;
  measure: (bot: BotProcess) => Promise<RoutingResult>;
  /** Channels that must have automatic clips on in the `on` bot. */
  channels: number;
  progress: (line: string) => void;
}): Promise<RoutingComparison> {
  const bots: Partial<Record<AutoclipArm, BotProcess>> = {};
  try {
    for (const arm of ['off', 'on'] as const) {
      const bot = await opts.start(arm);
      bots[arm] = bot;
      const enabled = await bot.syncAutoclip();
      const want = arm === 'on' ? opts.channels : 0;
      if (enabled !== want)
        throw new Error(
          `routing: automatic clips on in ${enabled} channels of the bot ${arm}, not ${want}`,
        );
    }
    const run = async (arm: AutoclipArm): Promise<RoutingResult> => {
      opts.listen(arm);
      return opts.measure(bots[arm]!);
    };
    const firesAfterWarmUp: Record<AutoclipArm, number> = { off: 0, on: 0 };
    for (const arm of ['off', 'on'] as const)
      for (let i = 0; i < opts.warmRuns; i++) {
        const warm = await run(arm);
        firesAfterWarmUp[arm] = warm.firesSoFar;
        opts.progress(
          `routing, automatic clips ${arm}, warm-up: ${warm.perSecond.toFixed(0)} lines/s, ` +
            `${warm.cpuUsPerLine.toFixed(2)} µs CPU per line (not counted)`,
        );
      }
    const runs: RoutingComparison['runs'] = [];
    for (const arm of armOrder(opts.rounds)) {
      const result = await run(arm);
      runs.push({ arm, result });
      opts.progress(
        `routing, automatic clips ${arm}: ${result.perSecond.toFixed(0)} lines/s, ` +
          `${result.cpuUsPerLine.toFixed(2)} µs CPU per line`,
      );
    }
    const of = (arm: AutoclipArm): RoutingResult[] =>
      runs.filter((r) => r.arm === arm).map((r) => r.result);
    const fires = (['off', 'on'] as const).reduce(
      (n, arm) => n + ((of(arm).at(-1)?.firesSoFar ?? 0) - firesAfterWarmUp[arm]),
      0,
    );
    return { runs, off: summariseRouting(of('off')), on: summariseRouting(of('on')), fires };
  } finally {
    await Promise.all(Object.values(bots).map((b) => b.stop()));
  }
}

export function summariseRouting(results: RoutingResult[]): RoutingSummary {
  const rates = results.map((r) => r.perSecond);
  const cpu = results.map((r) => r.cpuUsPerLine);
  return {
    runs: results.length,
    perSecond: percentile(rates, 50) ?? Number.NaN,
    cpuUsPerLine: percentile(cpu, 50) ?? Number.NaN,
    perSecondSpread: Math.max(...rates) - Math.min(...rates),
    cpuUsPerLineSpread: Math.max(...cpu) - Math.min(...cpu),
    detectors: Math.max(0, ...results.map((r) => r.detectors ?? 0)),
  };
}
