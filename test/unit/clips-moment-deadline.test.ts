import { describe, expect, it } from 'vitest';
import { MOMENT_DEADLINE_DEFAULTS, momentVerdict } from '../../src/clips/moment-deadline.js';

const T = 1_764_000_000_000;

describe('momentVerdict', () => {
  it('a default (30 s) clip holds the moment up to 25 s after the request', () => {
    expect(momentVerdict({ requestedAt: T }, T + 1_000)).toMatchObject({
      late: false,
      deadlineS: 30 - MOMENT_DEADLINE_DEFAULTS.marginS,
    });
    expect(momentVerdict({ requestedAt: T }, T + 25_000).late).toBe(false);
    expect(momentVerdict({ requestedAt: T }, T + 25_001).late).toBe(true);
    // What the issue measured: Create Clip a minute after the request.
    expect(momentVerdict({ requestedAt: T }, T + 61_500)).toMatchObject({
      late: true,
      elapsedS: 61.5,
    });
  });

  it("follows the clip's duration", () => {
    expect(momentVerdict({ requestedAt: T, duration: 60 }, T + 50_000).late).toBe(false);
    expect(momentVerdict({ requestedAt: T, duration: 60 }, T + 56_000).late).toBe(true);
    expect(momentVerdict({ requestedAt: T, duration: 20 }, T + 16_000).late).toBe(true);
  });

  it('never asks a short clip for more than half its length of margin', () => {
    expect(momentVerdict({ requestedAt: T, duration: 5 }, T + 2_000)).toMatchObject({
      late: false,
      deadlineS: 2.5,
    });
    expect(momentVerdict({ requestedAt: T, duration: 5 }, T + 3_000).late).toBe(true);
    expect(momentVerdict({ requestedAt: T, duration: 10 }, T + 5_000).late).toBe(false);
  });

  it("does not count the channel's capture delay as lateness", () => {
    expect(momentVerdict({ requestedAt: T, delayS: 20 }, T + 40_000).late).toBe(false);
    expect(momentVerdict({ requestedAt: T, delayS: 20 }, T + 46_000).late).toBe(true);
  });

  it('takes the margin from the options', () => {
    expect(momentVerdict({ requestedAt: T }, T + 22_000, { marginS: 10 }).late).toBe(true);
    expect(momentVerdict({ requestedAt: T }, T + 22_000, { marginS: 0 }).late).toBe(false);
  });

  it('a request stamped in the future is not late', () => {
    expect(momentVerdict({ requestedAt: T + 3_000 }, T).late).toBe(false);
  });
});
