import { describe, expect, it } from 'vitest';
import {
  LIVE_RHYTHM_DEFAULTS,
  refreshBatches,
  refreshBudgetShare,
  refreshPeriodMs,
} from '../../src/clips/live-rhythm.js';

const TEN_A_MINUTE = { callsPerMinute: 10, minPeriodMs: 15_000 };

describe('live table refresh rhythm', () => {
  it('makes one Get Streams call per 100 channels a round', () => {
    expect(refreshBatches(0)).toBe(0);
    expect(refreshBatches(1)).toBe(1);
    expect(refreshBatches(100)).toBe(1);
    expect(refreshBatches(101)).toBe(2);
    expect(refreshBatches(1_000)).toBe(10);
  });

  it('spaces rounds so the refresh spends at most the calls a minute it is given', () => {
    expect(refreshPeriodMs(100)).toBe(60_000);
    expect(refreshPeriodMs(1_000)).toBe(600_000);
    expect(refreshPeriodMs(1_000, TEN_A_MINUTE)).toBe(60_000);
    expect(refreshPeriodMs(5_000, TEN_A_MINUTE)).toBe(300_000);
  });

  it('never refreshes more often than the shortest period', () => {
    expect(refreshPeriodMs(1, TEN_A_MINUTE)).toBe(15_000);
    expect(refreshPeriodMs(100, TEN_A_MINUTE)).toBe(15_000);
    expect(refreshPeriodMs(0, { ...LIVE_RHYTHM_DEFAULTS, callsPerMinute: 100 })).toBe(
      LIVE_RHYTHM_DEFAULTS.minPeriodMs,
    );
  });

  it('costs far under 2% of the 800 points a minute with 1,000 channels', () => {
    expect(refreshBudgetShare(1)).toBeCloseTo(0.125);
    expect(refreshBudgetShare(1_000)).toBeCloseTo(0.125);
    expect(refreshBudgetShare(100, TEN_A_MINUTE)).toBeCloseTo(0.5);
    expect(refreshBudgetShare(1_000, TEN_A_MINUTE)).toBeCloseTo(1.25);
  });
});
