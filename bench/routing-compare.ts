import type { LocalWorld } from '../standins/local-world.js';
import type { BotProcess } from './bot-handle.js';
import { measureRouting, type RoutingResult } from './routing.js';
import { percentile } from './stats.js';

export type AutoclipArm = 'off' | 'on';

export interface RoutingComparison {
  /** The counted runs in the order they ran (each switch is followed by a run not counted). */
  runs: { arm: AutoclipArm; result: RoutingResult }[];
  off: RoutingSummary;
  on: RoutingSummary;
  /** Automatic-clip fires from the first run on (0: no Helix work leaked into the runs). */
  fires: number;
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

/**
 * The routing figure with automatic clips off and on in every channel, in ONE bot process,
 * alternating off/on/on/off/off/on... so that the process's own drift (JIT, GC, caches,
 * connection warm-up) falls on both arms alike: comparing two processes' single runs
 * showed differences as large as the thing measured. Between runs the settings are written
 * to Redis and the bot re-reads them, the same path `!clipconfig auto on` takes from
 * another process.
 */
export async function compareRouting(
  world: LocalWorld,
  bot: BotProcess,
  channels: readonly string[],
  opts: {
    repeats: number;
    lines: number;
    seed: number;
    timeoutMs: number;
    setAuto: (on: boolean) => Promise<void>;
    progress: (line: string) => void;
  },
): Promise<RoutingComparison> {
  const switchTo = async (arm: AutoclipArm): Promise<number> => {
    await opts.setAuto(arm === 'on');
    const enabled = await bot.syncAutoclip();
    const want = arm === 'on' ? channels.length : 0;
    if (enabled !== want)
      throw new Error(
        `routing: automatic clips on in ${enabled} channels when ${arm}, not ${want}`,
      );
    return enabled;
  };
  const measure = (): Promise<RoutingResult> =>
    measureRouting(world, bot, channels, {
      lines: opts.lines,
      seed: opts.seed,
      timeoutMs: opts.timeoutMs,
    });

  // After each switch one run is not counted: it pays for making the detectors (and their
  // first baselines), which a bot that has run a while has long since made.
  const warmUp = async (arm: AutoclipArm): Promise<RoutingResult> => {
    await switchTo(arm);
    const warm = await measure();
    opts.progress(
      `routing warm-up, automatic clips ${arm}: ${warm.perSecond.toFixed(0)} lines/s (not counted)`,
    );
    return warm;
  };
  const first = await warmUp('off');
  const order: AutoclipArm[] = [];
  for (let i = 0; i < opts.repeats; i++)
    order.push(...((i % 2 === 0 ? ['off', 'on'] : ['on', 'off']) as AutoclipArm[]));
  const runs: RoutingComparison['runs'] = [];
  let current: AutoclipArm = 'off';
  for (const arm of order) {
    if (arm !== current) await warmUp(arm);
    current = arm;
    const result = await measure();
    runs.push({ arm, result });
    opts.progress(
      `routing, automatic clips ${arm}: ${result.perSecond.toFixed(0)} lines/s, ` +
        `${result.cpuUsPerLine.toFixed(2)} µs CPU per line`,
    );
  }
  await switchTo('off');
  const last = runs.at(-1)?.result.firesSoFar ?? first.firesSoFar;
  return {
    runs,
    off: summariseRouting(runs.filter((r) => r.arm === 'off').map((r) => r.result)),
    on: summariseRouting(runs.filter((r) => r.arm === 'on').map((r) => r.result)),
    fires: last - first.firesSoFar,
  };
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
