import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveChecker, type LiveCheckerOptions } from '../../src/clips/live-checker.js';
import type { HelixApi } from '../../src/twitch/helix-api.js';
import type { HelixStream } from '../../src/twitch/types.js';

const WINDOW = 20; // the default batch window
const INTERVAL = 750; // the default minIntervalMs
const BURST = 4; // the default burstCalls

/** Twitch's side of Get Streams on the fake clock: who is live, and every call. */
class GetStreams {
  readonly live = new Set<string>();
  readonly calls: { at: number; ids: string[] }[] = [];
  /** Fails the call with this (1-based) number. */
  failCall?: { n: number; err: Error };

  api(): HelixApi {
    return {
      getStreams: async ({ userIds }: { userIds: string[] }) => {
        this.calls.push({ at: Date.now(), ids: [...userIds] });
        if (this.failCall?.n === this.calls.length) throw this.failCall.err;
        return userIds
          .filter((id) => this.live.has(id))
          .map((id) => ({ user_id: id }) as HelixStream);
      },
    } as unknown as HelixApi;
  }
}

interface Check {
  id: string;
  at: number;
  answer?: boolean;
  error?: unknown;
  answeredAt?: number;
}

class Rig {
  readonly twitch = new GetStreams();
  readonly checker: LiveChecker;
  readonly checks: Check[] = [];

  constructor(opts: Partial<Omit<LiveCheckerOptions, 'helix'>> = {}) {
    this.checker = new LiveChecker({
      helix: this.twitch.api(),
      batching: true,
      cacheS: 5,
      ...opts,
    });
  }

  check(id: string): Check {
    const c: Check = { id, at: Date.now() };
    this.checks.push(c);
    this.checker.isLive(id).then(
      (live) => {
        c.answer = live;
        c.answeredAt = Date.now();
      },
      (err: unknown) => {
        c.error = err;
        c.answeredAt = Date.now();
      },
    );
    return c;
  }

  /** One check for a new channel every `everyMs`, `n` of them. */
  async steady(n: number, everyMs: number, prefix = 'u'): Promise<Check[]> {
    const out: Check[] = [];
    for (let i = 0; i < n; i++) {
      out.push(this.check(`${prefix}${i}`));
      await vi.advanceTimersByTimeAsync(everyMs);
    }
    return out;
  }

  async drain(): Promise<void> {
    await vi.runAllTimersAsync();
  }
}

/** Token bucket: no stretch of time holds more calls than the burst plus one per interval. */
function expectPaced(times: number[], burst: number, interval: number): void {
  for (let i = 0; i < times.length; i++) {
    for (let j = i + 1; j < times.length; j++) {
      const span = (times[j] ?? 0) - (times[i] ?? 0);
      expect(j - i + 1).toBeLessThanOrEqual(burst + span / interval + 1e-9);
    }
  }
}

function expectAnswered(checks: Check[]): void {
  for (const c of checks) expect(c.answeredAt, `check ${c.id}`).toBeDefined();
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.setSystemTime(1_700_000_000_000);
});
afterEach(() => vi.useRealTimers());

describe('LiveChecker pacing (batching on)', () => {
  it('lets a burst of 4 calls go at once, then at most one call per minIntervalMs', async () => {
    const rig = new Rig();
    const checks = await rig.steady(120, 50);
    await rig.drain();
    expectAnswered(checks);
    const times = rig.twitch.calls.map((c) => c.at);
    // The burst: each of the first four checks has a call of its own after the batch window.
    for (let i = 0; i < BURST; i++) {
      expect(rig.twitch.calls[i]).toEqual({ at: (checks[i]?.at ?? 0) + WINDOW, ids: [`u${i}`] });
    }
    // Then the pace: never closer than the interval once the burst is spent.
    const later = times.slice(BURST);
    expect(later.length).toBeGreaterThan(5);
    for (let i = 1; i < later.length; i++) {
      expect((later[i] ?? 0) - (later[i - 1] ?? 0)).toBeGreaterThanOrEqual(INTERVAL);
    }
    expectPaced(times, BURST, INTERVAL);
    // 6 s of one check every 50 ms: without pacing that would be 120 calls.
    expect(times.length).toBeLessThanOrEqual(BURST + Math.ceil(6000 / INTERVAL) + 1);
  });

  it('sends each paced call with every check that waited for it, and answers each within an interval', async () => {
    const rig = new Rig();
    const checks = await rig.steady(60, 30);
    await rig.drain();
    expectAnswered(checks);
    const calls = rig.twitch.calls;
    const all = calls.flatMap((c) => c.ids);
    expect(all.sort()).toEqual(checks.map((c) => c.id).sort());
    for (let k = 0; k < calls.length; k++) {
      const prev = k === 0 ? -Infinity : (calls[k - 1]?.at ?? 0);
      const call = calls[k]!;
      // Exactly the checks that arrived since the previous call went out.
      const waited = checks.filter((c) => c.at >= prev && c.at < call.at).map((c) => c.id);
      expect(call.ids.sort()).toEqual(waited.sort());
    }
    for (const c of checks) {
      expect((c.answeredAt ?? 0) - c.at).toBeLessThanOrEqual(INTERVAL + WINDOW);
    }
  });

  it('gives every caller the right answer, asking once about a channel checked twice', async () => {
    const rig = new Rig();
    await rig.steady(BURST, 50, 'warm'); // spend the burst
    for (let i = 0; i < 30; i++) if (i % 3 === 0) rig.twitch.live.add(`c${i}`);
    const checks: Check[] = [];
    for (let i = 0; i < 30; i++) {
      checks.push(rig.check(`c${i}`));
      if (i % 2 === 0) checks.push(rig.check(`c${i}`));
      await vi.advanceTimersByTimeAsync(25);
    }
    await rig.drain();
    for (const c of checks) expect(c.answer, c.id).toBe(rig.twitch.live.has(c.id));
    const paced = rig.twitch.calls.slice(BURST);
    for (const call of paced) expect(new Set(call.ids).size).toBe(call.ids.length);
    expect(paced.flatMap((c) => c.ids)).toHaveLength(30);
    expect(paced.length).toBeLessThanOrEqual(Math.ceil((30 * 25) / INTERVAL) + 1);
  });

  it('never puts more than 100 channels in one call, and sends a full 100 without waiting', async () => {
    const rig = new Rig();
    await rig.steady(BURST, 50, 'warm');
    const burstCalls = rig.twitch.calls.length;
    for (let i = 0; i < 250; i++) if (i % 7 === 0) rig.twitch.live.add(`c${i}`);
    const checks = Array.from({ length: 250 }, (_, i) => rig.check(`c${i}`));
    await vi.advanceTimersByTimeAsync(0);
    // Two full batches went at once although the bucket is empty.
    expect(rig.twitch.calls.slice(burstCalls).map((c) => c.ids.length)).toEqual([100, 100]);
    await rig.drain();
    const calls = rig.twitch.calls.slice(burstCalls);
    expect(calls.map((c) => c.ids.length)).toEqual([100, 100, 50]);
    for (const c of checks) expect(c.answer, c.id).toBe(rig.twitch.live.has(c.id));
  });

  it('rejects only the waiters of a failed call, and the next call works', async () => {
    const rig = new Rig();
    const err = new Error('Get Streams 503');
    rig.twitch.failCall = { n: BURST + 2, err };
    for (let i = 0; i < 50; i += 5) rig.twitch.live.add(`u${i}`);
    const checks = await rig.steady(50, 40);
    await rig.drain();
    expectAnswered(checks);
    const failed = new Set(rig.twitch.calls[BURST + 1]?.ids);
    expect(failed.size).toBeGreaterThan(1);
    for (const c of checks) {
      if (failed.has(c.id)) expect(c.error, c.id).toBe(err);
      else {
        expect(c.error, c.id).toBeUndefined();
        expect(c.answer, c.id).toBe(rig.twitch.live.has(c.id));
      }
    }
    expect(checks.filter((c) => c.error !== undefined)).toHaveLength(failed.size);
    expect(rig.twitch.calls.length).toBeGreaterThan(BURST + 2);
    // A failed answer is not cached: asking again about a live channel of that call works.
    const liveFailed = [...failed].find((id) => rig.twitch.live.has(id));
    expect(liveFailed).toBeDefined();
    const calls = rig.twitch.calls.length;
    const again = rig.check(liveFailed!);
    await rig.drain();
    expect(again.answer).toBe(true);
    expect(rig.twitch.calls.slice(calls).map((c) => c.ids)).toEqual([[liveFailed]]);
  });

  it('refills the burst after a quiet spell', async () => {
    const rig = new Rig();
    await rig.steady(30, 50, 'busy');
    await rig.drain();
    await vi.advanceTimersByTimeAsync(BURST * INTERVAL);
    const before = rig.twitch.calls.length;
    const checks = await rig.steady(BURST, 50, 'again');
    const calls = rig.twitch.calls.slice(before);
    expect(calls.map((c) => c.at)).toEqual(checks.map((c) => c.at + WINDOW));
    expect(calls.map((c) => c.ids)).toEqual(checks.map((c) => [c.id]));
  });

  it('never saves up more than the burst, however long the quiet spell', async () => {
    const rig = new Rig();
    await vi.advanceTimersByTimeAsync(60_000);
    const checks = await rig.steady(BURST + 1, 50);
    await rig.drain();
    const times = rig.twitch.calls.map((c) => c.at);
    expect(times.slice(0, BURST)).toEqual(checks.slice(0, BURST).map((c) => c.at + WINDOW));
    // The fifth waits for the bucket: one interval from the start, less what refilled meanwhile.
    expect((times[BURST] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(INTERVAL);
    expectPaced(times, BURST, INTERVAL);
  });

  it('honours burstCalls and minIntervalMs', async () => {
    const rig = new Rig({ burstCalls: 2, minIntervalMs: 300, batchWindowMs: 5 });
    const checks = await rig.steady(40, 20);
    await rig.drain();
    expectAnswered(checks);
    const times = rig.twitch.calls.map((c) => c.at);
    expect(times.slice(0, 2)).toEqual([(checks[0]?.at ?? 0) + 5, (checks[1]?.at ?? 0) + 5]);
    const later = times.slice(2);
    expect(later.length).toBeGreaterThan(1);
    // Checks keep coming, so each paced call goes as soon as the bucket allows: every 300 ms.
    for (let i = 1; i < later.length; i++) {
      expect((later[i] ?? 0) - (later[i - 1] ?? 0)).toBe(300);
    }
    expectPaced(times, 2, 300);
  });
});

describe('LiveChecker live cache', () => {
  it('reuses a live answer within LIVE_CACHE_S without a call, even when the pace is spent', async () => {
    const rig = new Rig({ cacheS: 5 });
    rig.twitch.live.add('star');
    const first = rig.check('star');
    await rig.steady(BURST + 2, 50, 'other'); // spend the burst and owe the bucket
    await rig.drain();
    expect(first.answer).toBe(true);
    const calls = rig.twitch.calls.length;
    const cached = rig.check('star');
    await vi.advanceTimersByTimeAsync(0);
    expect(cached.answer).toBe(true);
    expect(rig.twitch.calls).toHaveLength(calls);
    // Just before the cache runs out it still answers; from then on it asks again.
    await vi.advanceTimersByTimeAsync(first.answeredAt! + 5000 - 1 - Date.now());
    const stillCached = rig.check('star');
    await vi.advanceTimersByTimeAsync(0);
    expect(stillCached.answer).toBe(true);
    expect(rig.twitch.calls).toHaveLength(calls);
    await vi.advanceTimersByTimeAsync(1);
    rig.twitch.live.delete('star');
    const expired = rig.check('star');
    await rig.drain();
    expect(expired.answer).toBe(false);
    expect(rig.twitch.calls.at(-1)?.ids).toEqual(['star']);
  });

  it('does not cache an offline answer, nor anything with cacheS 0', async () => {
    const rig = new Rig({ cacheS: 0 });
    rig.twitch.live.add('a');
    for (const id of ['a', 'b', 'a', 'b']) {
      rig.check(id);
      await rig.drain();
    }
    expect(rig.twitch.calls.map((c) => c.ids)).toEqual([['a'], ['b'], ['a'], ['b']]);
    const cachedRig = new Rig({ cacheS: 5 });
    cachedRig.twitch.live.add('a');
    for (const id of ['a', 'b', 'a', 'b']) {
      cachedRig.check(id);
      await cachedRig.drain();
    }
    expect(cachedRig.twitch.calls.map((c) => c.ids)).toEqual([['a'], ['b'], ['b']]);
  });
});

describe('LiveChecker without batching', () => {
  it('calls Get Streams at once for every check: no pacing, no cache', async () => {
    const rig = new Rig({ batching: false });
    rig.twitch.live.add('u1');
    const checks = Array.from({ length: 10 }, () => rig.check('u1'));
    await vi.advanceTimersByTimeAsync(0);
    expect(rig.twitch.calls).toHaveLength(10);
    expect(rig.twitch.calls.every((c) => c.ids.length === 1 && c.at === checks[0]?.at)).toBe(true);
    expect(checks.every((c) => c.answer === true)).toBe(true);
  });
});
