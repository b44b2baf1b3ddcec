import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { VisibilityPoller } from '../../src/clips/visibility-poller.js';
import { silentLogger } from '../../src/logger.js';
import type { HelixApi } from '../../src/twitch/helix-api.js';
import type { HelixClip } from '../../src/twitch/types.js';

// The worker's defaults (CLIP_FIRST_POLL_MS, CLIP_POLL_INTERVAL_MS) and the poller's fast pace.
const FIRST = 1000;
const POLL = 1500;
const FAST = 350;
const DEADLINE = 60_000;

/** Twitch's side of Get Clips on the fake clock: when each clip appears, and every request. */
class GetClips {
  readonly visibleAt = new Map<string, number>();
  readonly requests: { at: number; ids: string[] }[] = [];

  api(): HelixApi {
    return {
      getClipsByIds: async (ids: string[]) => {
        this.requests.push({ at: Date.now(), ids: [...ids] });
        const now = Date.now();
        return ids
          .filter((id) => (this.visibleAt.get(id) ?? Infinity) <= now)
          .map((id) => ({ id }) as HelixClip);
      },
    } as unknown as HelixApi;
  }
}

interface Tracked {
  id: string;
  createdAt: number;
  visibleAt: number;
  settled: boolean;
  clip?: HelixClip;
  settledAt?: number;
}

interface RigOptions {
  batching?: boolean;
  adaptive?: boolean;
  fastPollIntervalMs?: number;
  firstPollMs?: number;
}

/** One poller and its fake Twitch; clips are created the way ClipProcessor registers them. */
class Rig {
  readonly twitch = new GetClips();
  readonly poller: VisibilityPoller;
  private readonly firstPollMs: number;

  constructor(opts: RigOptions = {}) {
    this.firstPollMs = opts.firstPollMs ?? FIRST;
    this.poller = new VisibilityPoller({
      helix: this.twitch.api(),
      log: silentLogger(),
      pollIntervalMs: POLL,
      batching: opts.batching ?? true,
      ...(opts.adaptive === undefined ? {} : { adaptive: opts.adaptive }),
      ...(opts.fastPollIntervalMs === undefined
        ? {}
        : { fastPollIntervalMs: opts.fastPollIntervalMs }),
    });
  }

  /** A clip created now that Get Clips returns from `visibleAfterMs` on (Infinity: never). */
  create(id: string, visibleAfterMs: number, createdAt = Date.now()): Tracked {
    const t: Tracked = { id, createdAt, visibleAt: createdAt + visibleAfterMs, settled: false };
    this.twitch.visibleAt.set(id, t.visibleAt);
    void this.poller
      .waitVisible(id, {
        firstCheckAt: createdAt + this.firstPollMs,
        deadlineAt: createdAt + DEADLINE,
      })
      .then((clip) => {
        t.settled = true;
        t.settledAt = Date.now();
        if (clip) t.clip = clip;
      });
    return t;
  }

  /** Ages (ms since creation) at which a Get Clips request asked about this clip. */
  ages(t: Tracked): number[] {
    return this.twitch.requests.filter((r) => r.ids.includes(t.id)).map((r) => r.at - t.createdAt);
  }

  async settle(...ts: Tracked[]): Promise<void> {
    for (let i = 0; i < 100_000 && ts.some((t) => !t.settled); i++) {
      await vi.advanceTimersToNextTimerAsync();
    }
    expect(ts.every((t) => t.settled)).toBe(true);
  }

  /** One clip after another, each appearing `visibleAfterMs` after its creation. */
  async learn(n: number, visibleAfterMs: number, prefix: string): Promise<Tracked[]> {
    const done: Tracked[] = [];
    for (let i = 0; i < n; i++) {
      const t = this.create(`${prefix}${i}`, visibleAfterMs);
      await this.settle(t);
      expect(t.clip?.id).toBe(t.id);
      done.push(t);
      await vi.advanceTimersByTimeAsync(1000);
    }
    return done;
  }

  /** Age at which the clip was returned (its wait resolved). */
  static foundAge(t: Tracked): number {
    expect(t.clip?.id).toBe(t.id);
    return (t.settledAt ?? NaN) - t.createdAt;
  }
}

function gaps(ages: number[]): number[] {
  return ages.slice(1).map((a, i) => a - (ages[i] ?? 0));
}

let rig: Rig | undefined;
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.setSystemTime(1_700_000_000_000);
});
afterEach(() => {
  rig?.poller.close();
  rig = undefined;
  vi.useRealTimers();
});

describe('VisibilityPoller, adaptive (batching on)', () => {
  it('before anything is learned, looks at the first check and then every poll interval', async () => {
    rig = new Rig();
    const t = rig.create('a', 2000);
    await rig.settle(t);
    expect(rig.ages(t)).toEqual([FIRST, FIRST + POLL]);
    expect(Rig.foundAge(t)).toBe(FIRST + POLL);
  });

  it('after a few clips that appear at ~2 s, asks nothing before ~2 s and finds the next within a fast interval', async () => {
    // A short first poll makes the point visible: without learning, looks start at 250 ms.
    rig = new Rig({ firstPollMs: 250 });
    await rig.learn(4, 2000, 'warm');
    const t = rig.create('next', 2000);
    await rig.settle(t);
    const ages = rig.ages(t);
    expect(ages[0]).toBeGreaterThanOrEqual(2000 - FAST);
    expect(ages.every((a) => a >= 2000 - FAST)).toBe(true);
    expect(Rig.foundAge(t)).toBeGreaterThanOrEqual(2000);
    expect(Rig.foundAge(t)).toBeLessThanOrEqual(2000 + FAST);
    // No request at all went out between its creation and its first look.
    expect(rig.twitch.requests.filter((r) => r.at >= t.createdAt)).toHaveLength(ages.length);
  });

  it('with the default timings, finds the next clip within a fast interval of appearing', async () => {
    rig = new Rig();
    await rig.learn(3, 2000, 'warm');
    const t = rig.create('next', 2020);
    await rig.settle(t);
    const found = Rig.foundAge(t);
    expect(found).toBeGreaterThanOrEqual(2020);
    // Unlearned, it would be found at FIRST + POLL = 2500.
    expect(found).toBeLessThanOrEqual(2020 + FAST);
    const ages = rig.ages(t);
    expect(ages[0]).toBeGreaterThanOrEqual(FIRST);
    expect(gaps(ages).slice(1)).toEqual(
      gaps(ages)
        .slice(1)
        .map(() => FAST),
    );
  });

  it('looks every fastPollIntervalMs inside the learned window, every poll interval after it, and last at the deadline', async () => {
    const fast = 200;
    rig = new Rig({ fastPollIntervalMs: fast, firstPollMs: 250 });
    const warm = await rig.learn(4, 2000, 'warm');
    // The window spans what the warm-up clips told: from their last miss to the look that found them.
    const from = Math.min(...warm.map((w) => Math.max(...rig!.ages(w).filter((a) => a < 2000))));
    const to = Math.max(...warm.map((w) => Rig.foundAge(w)));
    const t = rig.create('never', Infinity);
    await rig.settle(t);
    expect(t.clip).toBeUndefined();
    expect(t.settledAt! - t.createdAt).toBe(DEADLINE);
    const ages = rig.ages(t);
    expect(ages[0]).toBe(from);
    const g = gaps(ages);
    const fastLooks = g.filter((x) => x === fast).length;
    // Every fast look lies inside [from, to + fast); after it, the normal interval.
    expect(fastLooks).toBe(Math.ceil((to - from) / fast));
    expect(g.slice(0, fastLooks)).toEqual(Array(fastLooks).fill(fast));
    const slow = g.slice(fastLooks, -1);
    expect(slow.length).toBeGreaterThan(30);
    expect(slow.every((x) => x === POLL)).toBe(true);
    expect(g.at(-1)).toBeLessThanOrEqual(POLL);
    expect(ages.at(-1)).toBe(DEADLINE);
  });

  it('finds a clip that appears much later than learned by the normal interval', async () => {
    rig = new Rig();
    await rig.learn(4, 2000, 'warm');
    const t = rig.create('slow', 9000);
    await rig.settle(t);
    const found = Rig.foundAge(t);
    expect(found).toBeGreaterThanOrEqual(9000);
    expect(found).toBeLessThan(9000 + POLL);
    const late = gaps(rig.ages(t).filter((a) => a > 3000));
    expect(late.length).toBeGreaterThan(2);
    expect(late.every((x) => x === POLL)).toBe(true);
  });

  it('finds a clip that appears just before the deadline at the deadline look', async () => {
    rig = new Rig();
    await rig.learn(4, 2000, 'warm');
    const t = rig.create('last-moment', DEADLINE - 100);
    await rig.settle(t);
    expect(t.clip?.id).toBe('last-moment');
    expect(t.settledAt! - t.createdAt).toBe(DEADLINE);
    expect(rig.poller.size).toBe(0);
  });

  it('never spends more than 20 fast looks on one clip, however spread the learned times', async () => {
    rig = new Rig({ firstPollMs: 250 });
    for (let i = 0; i < 6; i++) await rig.learn(1, i % 2 === 0 ? 2000 : 30_000, `spread${i}-`);
    const t = rig.create('never', Infinity);
    await rig.settle(t);
    const fastLooks = gaps(rig.ages(t)).filter((x) => x === FAST).length;
    expect(fastLooks).toBeGreaterThan(5);
    expect(fastLooks).toBeLessThanOrEqual(20);
  });

  it('widens the window within a few clips when clips start appearing later', async () => {
    rig = new Rig();
    await rig.learn(10, 2000, 'warm');
    const shifted = await rig.learn(6, 5000, 'slow');
    // The first ones are found by the normal interval; once ~5% of the samples say 5 s, the
    // fast window reaches it.
    for (const t of shifted.slice(2)) {
      expect(Rig.foundAge(t)).toBeLessThanOrEqual(5000 + FAST);
    }
  });

  it('moves the window start up once the old times have aged out of the samples', async () => {
    rig = new Rig();
    await rig.learn(5, 2000, 'warm');
    await rig.learn(64, 5000, 'slow');
    const t = rig.create('next', 5000);
    await rig.settle(t);
    expect(rig.ages(t)[0]).toBeGreaterThanOrEqual(5000 - FAST);
    expect(Rig.foundAge(t)).toBeLessThanOrEqual(5000 + FAST);
  });

  it('moves the window start down within a few clips when clips start appearing sooner', async () => {
    rig = new Rig();
    await rig.learn(64, 5000, 'slow');
    const sooner = await rig.learn(10, 1000, 'fast');
    // Until ~5% of the samples (4 of 64) say otherwise, the first look stays at the learned
    // start; a clip is never lost, only found at that start.
    const late = sooner.filter((t) => Rig.foundAge(t) > 1000 + FAST);
    expect(late.length).toBeLessThanOrEqual(4);
    for (const t of late) expect(Rig.foundAge(t)).toBeLessThan(5000);
    for (const t of sooner.slice(4)) expect(Rig.foundAge(t)).toBe(FIRST);
  });

  it('does not learn from a job resumed long after its first look (a worker restart)', async () => {
    rig = new Rig({ firstPollMs: 250 });
    await rig.learn(4, 2000, 'warm');
    // Resumed jobs whose clips were created 40 s ago: found at once, at an age that says
    // nothing about how fast Twitch is.
    const resumed = [0, 1, 2].map((i) => rig!.create(`resumed${i}`, 2000, Date.now() - 40_000));
    await rig.settle(...resumed);
    expect(resumed.every((t) => t.clip !== undefined)).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    const t = rig.create('next', 2000);
    await rig.settle(t);
    expect(rig.ages(t)[0]).toBeGreaterThanOrEqual(2000 - FAST);
    expect(rig.ages(t).length).toBeLessThanOrEqual(2);
    expect(Rig.foundAge(t)).toBeLessThanOrEqual(2000 + FAST);
  });

  it('lets clips not yet due ride along in a request that goes anyway, but asks for them alone only when due', async () => {
    rig = new Rig({ firstPollMs: 250 });
    await rig.learn(4, 2000, 'warm');
    const a = rig.create('a', 2000);
    // Far enough behind a that the half-interval pull-forward does not reach b.
    await vi.advanceTimersByTimeAsync(1500);
    const b = rig.create('b', 2000);
    await rig.settle(a, b);
    const aLooks = rig.twitch.requests.filter((r) => r.ids.includes('a')).map((r) => r.at);
    // b rode along in a's requests before it was due, for nothing...
    const together = rig.twitch.requests.filter((r) => r.ids.includes('a') && r.ids.includes('b'));
    expect(together.length).toBeGreaterThan(0);
    expect(together.some((r) => r.at - b.createdAt < 2000 - FAST)).toBe(true);
    // ...but every request without a is one b was due for.
    for (const r of rig.twitch.requests.filter(
      (r) => r.ids.includes('b') && !aLooks.includes(r.at),
    )) {
      expect(r.at - b.createdAt).toBeGreaterThanOrEqual(2000 - FAST);
    }
    expect(Rig.foundAge(a)).toBeLessThanOrEqual(2000 + FAST);
    expect(Rig.foundAge(b)).toBeLessThanOrEqual(2000 + FAST);
  });

  it('never asks about more than 100 clips in one request, nor twice about one', async () => {
    rig = new Rig({ firstPollMs: 250 });
    await rig.learn(4, 2000, 'warm');
    const tracked: Tracked[] = [];
    for (let i = 0; i < 260; i++) {
      tracked.push(rig.create(`c${i}`, [1500, 2000, 2600, 7000][i % 4] ?? 2000));
      if (i % 10 === 9) await vi.advanceTimersByTimeAsync(90);
    }
    await rig.settle(...tracked);
    for (const t of tracked) expect(t.clip?.id).toBe(t.id);
    const sent = rig.twitch.requests.filter((r) => r.ids.some((id) => id.startsWith('c')));
    expect(Math.max(...sent.map((r) => r.ids.length))).toBe(100);
    for (const r of sent) {
      expect(r.ids.length).toBeLessThanOrEqual(100);
      expect(new Set(r.ids).size).toBe(r.ids.length);
    }
  });

  it('does not adapt when adaptive is false', async () => {
    rig = new Rig({ adaptive: false });
    await rig.learn(5, 2000, 'warm');
    const t = rig.create('next', 2000);
    await rig.settle(t);
    expect(rig.ages(t)).toEqual([FIRST, FIRST + POLL]);
  });
});

describe('VisibilityPoller, batching off', () => {
  it('does not adapt, and sends one request per clip per poll', async () => {
    rig = new Rig({ batching: false, adaptive: true, firstPollMs: 250 });
    await rig.learn(5, 2000, 'warm');
    const ts = ['x', 'y', 'z'].map((id) => rig!.create(id, 3000));
    await rig.settle(...ts);
    for (const t of ts) {
      expect(rig.ages(t)).toEqual([250, 250 + POLL, 250 + 2 * POLL]);
      expect(Rig.foundAge(t)).toBe(250 + 2 * POLL);
    }
    expect(rig.twitch.requests.every((r) => r.ids.length === 1)).toBe(true);
    const mine = rig.twitch.requests.filter((r) => r.at >= ts[0]!.createdAt);
    expect(mine).toHaveLength(9);
  });
});
