import type { TwitchChatLimits } from '../src/chat/twitch/index.js';
import { seededRng } from './rng.js';
import { channelName } from './world.js';
import { burst, mixed, sparse, spread, trickle, type Workload } from './workloads.js';

/** Everything one run does; `--quick` is the same shape, shrunk. */
export interface BenchPlan {
  quick: boolean;
  worldChannels: number;
  visibleMinMs: number;
  visibleMaxMs: number;
  firstPollMs: number;
  pollIntervalMs: number;
  /** WORKER_CONCURRENCY of the bot (the default, 500: with 50 the spread queued; see README). */
  workerConcurrency: number;
  /** Raised for the benchmark in the chat stand-in and the bot alike (see README). */
  chatLimits: Pick<TwitchChatLimits, 'joinLimit' | 'joinWindowMs' | 'moderatorLimit'>;
  /** Channels the workload bot joins (it is moderator in all of them). */
  workloadChannels: string[];
  warmup: Workload;
  workloads: Workload[];
  workloadTimeoutMs: number;
  graceMs: number;
  routingChannels: number;
  routingLines: number;
  /** Rounds of routing runs, each one with automatic clips off and one on (routing-compare.ts). */
  routingRounds: number;
  /** Routing runs per bot before the counted ones. */
  routingWarmRuns: number;
  /** Idle memory is measured with this many channels joined (the last also runs routing). */
  memoryChannels: number[];
  settleMs: number;
  /** Idle memory is sampled again this long after joining. */
  longIdleMs: number;
  /** Extra environment of the idle bots (quick: a short refresh period). */
  idleEnv: Record<string, string>;
  /** How long to wait for two live-table refresh rounds of an idle bot. */
  idleRefreshTimeoutMs: number;
}

/**
 * The trickle lasts 2 minutes (the issue's); BENCH_TRICKLE_S shortens it while working on
 * the bench (the table names the duration used).
 */
function trickleMs(fallbackS: number): number {
  const s = Number(process.env.BENCH_TRICKLE_S);
  return (Number.isFinite(s) && s > 0 ? s : fallbackS) * 1000;
}

const range = (from: number, n: number): string[] =>
  Array.from({ length: n }, (_, i) => channelName(from + i));

/** A verified bot's rates: 2,000 joins per 10 s, 7,500 messages per 30 s. */
const VERIFIED: BenchPlan['chatLimits'] = {
  joinLimit: 2_000,
  joinWindowMs: 10_000,
  moderatorLimit: 7_500,
};

export function fullPlan(seed: number): BenchPlan {
  const rng = seededRng(seed);
  return {
    quick: false,
    worldChannels: 1_000,
    visibleMinMs: 2_000,
    visibleMaxMs: 3_500,
    firstPollMs: 1_000,
    pollIntervalMs: 1_000,
    workerConcurrency: 500,
    chatLimits: VERIFIED,
    workloadChannels: range(0, 406),
    warmup: spread({ channels: range(301, 5), durationMs: 1_500 }),
    workloads: [
      burst({ channel: channelName(0), requests: 500, durationMs: 5_000 }),
      spread({ channels: range(1, 200), durationMs: 5_000 }),
      mixed({
        channels: range(201, 100),
        durationMs: 10_000,
        hot: 4,
        hotSize: 40,
        hotWindowMs: 2_000,
        singles: 50,
        repeats: 20,
        repeatGapMs: 5_000,
        chatterPerS: 20,
        rng,
      }),
      sparse({ channels: range(306, 40), gapMs: 125 }),
      trickle({ channels: range(346, 60), everyMs: 2_000, durationMs: trickleMs(120) }),
    ],
    workloadTimeoutMs: 200_000,
    graceMs: 1_000,
    routingChannels: 1_000,
    routingLines: 60_000,
    routingRounds: 7,
    routingWarmRuns: 2,
    memoryChannels: [1, 100, 1_000],
    settleMs: 3_000,
    longIdleMs: 60_000,
    idleEnv: {},
    // Up to 100 channels: two rounds a minute apart. 1,000 channels (every 10 minutes):
    // one round, and an upper bound of the rate.
    idleRefreshTimeoutMs: 75_000,
  };
}

export function quickPlan(seed: number): BenchPlan {
  const rng = seededRng(seed);
  return {
    quick: true,
    worldChannels: 100,
    visibleMinMs: 400,
    visibleMaxMs: 800,
    firstPollMs: 250,
    pollIntervalMs: 250,
    workerConcurrency: 500,
    chatLimits: VERIFIED,
    workloadChannels: range(0, 63),
    warmup: spread({ channels: range(41, 2), durationMs: 200 }),
    workloads: [
      burst({ channel: channelName(0), requests: 50, durationMs: 1_000 }),
      spread({ channels: range(1, 20), durationMs: 1_000 }),
      mixed({
        channels: range(21, 20),
        durationMs: 2_000,
        hot: 2,
        hotSize: 10,
        hotWindowMs: 500,
        singles: 6,
        repeats: 3,
        repeatGapMs: 1_200,
        chatterPerS: 20,
        rng,
      }),
      sparse({ channels: range(43, 10), gapMs: 125 }),
      trickle({ channels: range(53, 10), everyMs: 2_000, durationMs: trickleMs(10) }),
    ],
    workloadTimeoutMs: 40_000,
    graceMs: 300,
    routingChannels: 100,
    routingLines: 5_000,
    routingRounds: 1,
    routingWarmRuns: 1,
    memoryChannels: [100],
    settleMs: 500,
    longIdleMs: 3_000,
    idleEnv: { LIVE_STATUS_MIN_PERIOD_S: '2', LIVE_STATUS_CALLS_PER_MIN: '30' },
    idleRefreshTimeoutMs: 10_000,
  };
}
