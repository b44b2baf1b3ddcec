import { describe, expect, it } from 'vitest';
import { clipIdOf, isClipAnswer, requestersOf } from '../../bench/answers.js';
import { seededRng } from '../../bench/rng.js';
import type { RoutingResult } from '../../bench/routing.js';
import { armOrder, pairedCost, summariseRouting } from '../../bench/routing-compare.js';
import { evaluateGoals } from '../../bench/table.js';
import { peakInWindow, percentile, ratio, summarize } from '../../bench/stats.js';
import { burst, chatterLine, mixed, spread, type MixedOptions } from '../../bench/workloads.js';

describe('percentile (nearest rank)', () => {
  it('picks a sample, never a value between two', () => {
    const values = [50, 10, 40, 20, 30];
    expect(percentile(values, 50)).toBe(30);
    expect(percentile(values, 95)).toBe(50);
    expect(percentile(values, 0)).toBe(10);
    expect(percentile(values, 20)).toBe(10);
    expect(percentile(values, 21)).toBe(20);
  });

  it('p95 of 100 samples is the 95th smallest', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 99)).toBe(99);
  });

  it('is undefined for no samples and refuses a p outside 0..100', () => {
    expect(percentile([], 50)).toBeUndefined();
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });

  it('does not reorder the caller’s array', () => {
    const values = [3, 1, 2];
    percentile(values, 50);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('summarize, ratio, peakInWindow', () => {
  it('summarizes samples and says n=0 for none', () => {
    expect(summarize([])).toEqual({ n: 0 });
    expect(summarize([5, 1, 3])).toEqual({ n: 3, median: 3, p95: 5, p99: 5, max: 5 });
  });

  it('divides only by a positive number', () => {
    expect(ratio(3, 4)).toBe(0.75);
    expect(ratio(3, 0)).toBeUndefined();
  });

  it('finds the most events in any window', () => {
    expect(peakInWindow([], 1000)).toBe(0);
    // Windows are half-open: 0 and 1000 are not in the same second.
    expect(peakInWindow([0, 100, 999, 1000, 1500, 1999], 1000)).toBe(3);
    expect(peakInWindow([0, 100, 999, 1000, 1500, 1999], 1001)).toBe(4);
    expect(peakInWindow([5000, 0, 10], 1000)).toBe(2);
  });
});

describe('reading answers', () => {
  const url = 'https://clips.twitch.tv/AwkwardHelplessSalamanderSwiftRage-abc_1';
  it('finds the clip and the requesters', () => {
    const text = `@ann @Bob +3 others Clip: ${url} (edit: ${url}/edit)`;
    expect(clipIdOf(text)).toBe('AwkwardHelplessSalamanderSwiftRage-abc_1');
    expect(requestersOf(text)).toEqual({ names: ['ann', 'bob'], others: 3 });
    expect(isClipAnswer(text)).toBe(true);
  });

  it('counts one other, and no names in a message that is not an answer', () => {
    expect(requestersOf(`@ann +1 other Clip: ${url}`)).toEqual({ names: ['ann'], others: 1 });
    expect(requestersOf('Wait 3s before using !clip again.')).toEqual({ names: [], others: 0 });
  });

  it('tells a clip that is not published yet from one that is', () => {
    const text = `@ann Twitch accepted the clip but has not published it yet. Edit: ${url}/edit`;
    expect(isClipAnswer(text)).toBe(false);
    expect(clipIdOf(text)).toBe('AwkwardHelplessSalamanderSwiftRage-abc_1');
  });
});

describe('workloads', () => {
  it('burst: distinct viewers, evenly over the window, in one channel', () => {
    const w = burst({ channel: 'c', requests: 500, durationMs: 5000 });
    expect(w.events).toHaveLength(500);
    expect(new Set(w.events.map((e) => e.login)).size).toBe(500);
    expect(new Set(w.events.map((e) => e.channel))).toEqual(new Set(['c']));
    expect(w.events.at(-1)!.at).toBeLessThan(5000);
    expect(w.events[1]!.at - w.events[0]!.at).toBe(10);
  });

  it('spread: one !clip per channel', () => {
    const channels = Array.from({ length: 200 }, (_, i) => `c${i}`);
    const w = spread({ channels, durationMs: 5000 });
    expect(w.events.map((e) => e.channel)).toEqual(channels);
    expect(w.events.every((e) => e.text === '!clip' && e.kind === 'clip')).toBe(true);
  });

  it('mixed: the same lines for the same seed, sorted, with every kind of traffic', () => {
    const channels = Array.from({ length: 100 }, (_, i) => `c${i}`);
    const options = (): MixedOptions => ({
      channels,
      durationMs: 10_000,
      hot: 4,
      hotSize: 40,
      hotWindowMs: 2000,
      singles: 50,
      repeats: 20,
      repeatGapMs: 5000,
      chatterPerS: 20,
      rng: seededRng(7),
    });
    const make = () => mixed(options());
    const a = make();
    expect(make().events).toEqual(a.events);
    const clips = a.events.filter((e) => e.kind === 'clip');
    expect(clips).toHaveLength(4 * 40 + 50 + 20 * 2);
    expect(new Set(clips.map((e) => e.login)).size).toBe(clips.length);
    expect(a.events.filter((e) => e.kind === 'chatter')).toHaveLength(200);
    expect(a.channels).toHaveLength(74);
    for (let i = 1; i < a.events.length; i++)
      expect(a.events[i]!.at).toBeGreaterThanOrEqual(a.events[i - 1]!.at);
    expect(a.events.every((e) => e.at >= 0 && e.at <= 10_000)).toBe(true);
    expect(() => mixed({ ...options(), channels: ['x'] })).toThrow(/needs 74 channels/);
  });

  it('routing lines: mostly chat, a quarter other commands, a few refused ones', () => {
    const rng = seededRng(1);
    const channels = Array.from({ length: 1000 }, (_, i) => `c${i}`);
    const lines = Array.from({ length: 10_000 }, (_, i) => chatterLine(rng, i, channels));
    const commands = lines.filter((l) => l.text.startsWith('!')).length;
    const refused = lines.filter((l) => l.text === '!clipconfig on');
    expect(commands / lines.length).toBeGreaterThan(0.2);
    expect(commands / lines.length).toBeLessThan(0.35);
    expect(new Set(refused.map((l) => `${l.channel}/${l.login}`)).size).toBeLessThanOrEqual(20);
  });
});

describe('routing, automatic clips off vs on', () => {
  const run = (perSecond: number, cpuUsPerLine: number, detectors = 0): RoutingResult => ({
    channels: 1000,
    lines: 60_001,
    commands: 16_000,
    routed: 16_000,
    seconds: 60_001 / perSecond,
    perSecond,
    producerSeconds: 1,
    cpuUsPerLine,
    firesSoFar: 0,
    detectors,
  });
  const report = (
    off: RoutingResult[],
    on: RoutingResult[],
    fires = 0,
    inOrder?: { arm: 'off' | 'on'; result: RoutingResult }[],
  ) => ({
    meta: { date: '', node: '', cpus: 2, quick: false, settings: {} },
    modes: { batched: [], straightforward: [] },
    memory: [],
    routing: off[0],
    routingAutoclip: {
      runs: inOrder ?? [
        ...off.map((result) => ({ arm: 'off' as const, result })),
        ...on.map((result) => ({ arm: 'on' as const, result })),
      ],
      off: summariseRouting(off),
      on: summariseRouting(on),
      fires,
    },
  });
  const goal = (r: ReturnType<typeof report>) =>
    evaluateGoals(r).find((g) => g.name.startsWith('cost of automatic clips'));

  it('alternates the arms so that drift falls on both', () => {
    expect(armOrder(3)).toEqual(['off', 'on', 'on', 'off', 'off', 'on']);
  });

  it('summarises an arm by its medians and its spread', () => {
    const s = summariseRouting([run(20_000, 30), run(18_000, 33), run(21_000, 29, 1000)]);
    expect(s).toMatchObject({ runs: 3, perSecond: 20_000, cpuUsPerLine: 30 });
    expect(s.perSecondSpread).toBe(3_000);
    expect(s.cpuUsPerLineSpread).toBe(4);
    expect(s.detectors).toBe(1000);
  });

  it('counts a cost only when it is larger than two off runs in a row differ', () => {
    // Taken in turns off, on, on, off, off, on: each on run against the off runs beside it.
    const inTurns = (offCpu: number[], onCpu: number[]) => {
      const order = ['off', 'on', 'on', 'off', 'off', 'on'] as const;
      const offs = [...offCpu];
      const ons = [...onCpu];
      return order.map((arm) => ({
        arm,
        result: run(20_000, (arm === 'off' ? offs : ons).shift()!),
      }));
    };
    const drifting = inTurns([30, 34, 35], [31, 33.5, 35.5]);
    expect(pairedCost(drifting)).toMatchObject({ noiseUsPerLine: 1 });
    expect(pairedCost(drifting)!.cpuUsPerLine).toBeCloseTo(0.5);
    const costly = inTurns([30, 34, 35], [34, 38, 39]);
    expect(pairedCost(costly)!.cpuUsPerLine).toBeCloseTo(4);
    expect(pairedCost(costly)!.share).toBeCloseTo(4 / 34);

    const reportOf = (runs: ReturnType<typeof inTurns>, fires = 0) =>
      report(
        runs.filter((r) => r.arm === 'off').map((r) => r.result),
        runs.filter((r) => r.arm === 'on').map((r) => r.result),
        fires,
        runs,
      );
    expect(goal(reportOf(drifting))?.met).toBe(true);
    expect(goal(reportOf(costly))?.met).toBe(false);
    // A fire during the runs puts Helix work into the figure: not a clean comparison.
    expect(goal(reportOf(drifting, 1))?.met).toBe(false);
  });
});
