import type { LocalWorld } from '../standins/local-world.js';
import type { JournalEntry } from '../standins/twitch/index.js';
import { sleep } from './world.js';

/** Twitch's rate budget per token: about 800 points a minute. */
const BUDGET_PER_MINUTE = 800;
/** Calls of one refresh round come back to back; rounds are seconds apart. */
const ROUND_GAP_MS = 2_000;

export interface IdleRefreshResult {
  channels: number;
  /** Get Streams calls of one round (ceil(channels / 100)). */
  callsPerRound: number;
  /** Start of one round to the start of the next, as measured. */
  periodMs: number;
  callsPerMinute: number;
  /** Of Twitch's ~800 points a minute, in percent. */
  budgetShare: number;
  /**
   * The second round had not started when the wait ended: the period is at least periodMs,
   * so the rate and share are upper bounds.
   */
  atMost?: boolean;
}

/**
 * Watches a bot's live-table refresh from the stand-in's side (start it before the bot, so
 * the round made at startup is seen) until two whole rounds have started, and turns a
 * round's calls and the time between round starts into calls a minute. Every Helix call
 * of the idle bot counts, so a refresh that called more than Get Streams would show.
 */
export function watchIdleRefresh(world: LocalWorld): {
  result(channels: number, timeoutMs: number): Promise<IdleRefreshResult | undefined>;
} {
  const calls: number[] = [];
  const onRequest = (e: JournalEntry): void => {
    if (!e.path.startsWith('/oauth2')) calls.push(e.at);
  };
  world.twitch.events.on('request', onRequest);
  return {
    async result(channels, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      try {
        for (;;) {
          const rounds = roundsOf(calls);
          // A round is over once the next one starts.
          const [a, b, c] = rounds;
          const pair = a && b && a.calls === b.calls ? [a, b] : b && c ? [b, c] : undefined;
          if (pair) {
            const [first, second] = pair as [Round, Round];
            return share(channels, first.calls, second.start - first.start);
          }
          if (Date.now() > deadline) {
            // One round seen: its calls over the time since it started bound the rate.
            const only = rounds.length === 1 ? rounds[0] : undefined;
            if (!only) return undefined;
            return { ...share(channels, only.calls, Date.now() - only.start), atMost: true };
          }
          await sleep(100);
        }
      } finally {
        world.twitch.events.off('request', onRequest);
      }
    },
  };
}

interface Round {
  start: number;
  calls: number;
}

function roundsOf(at: number[]): Round[] {
  const rounds: Round[] = [];
  let last = -Infinity;
  for (const t of [...at].sort((x, y) => x - y)) {
    if (t - last > ROUND_GAP_MS) rounds.push({ start: t, calls: 0 });
    rounds.at(-1)!.calls++;
    last = t;
  }
  return rounds;
}

/** A refresh's cost: `calls` every `periodMs`, as calls a minute and share of the budget. */
function share(channels: number, calls: number, periodMs: number) {
  const callsPerMinute = (calls * 60_000) / periodMs;
  return {
    channels,
    callsPerRound: calls,
    periodMs,
    callsPerMinute,
    budgetShare: (100 * callsPerMinute) / BUDGET_PER_MINUTE,
  };
}
