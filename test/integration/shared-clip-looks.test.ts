import { describe, expect, it } from 'vitest';
import { ClipKeys } from '../../src/clips/keys.js';
import { SharedClipLooks } from '../../src/clips/shared-clip-looks.js';
import { VisibilityPoller } from '../../src/clips/visibility-poller.js';
import { pipelineHarnesses, testLogger, waitFor } from '../helpers/pipeline-harness.js';

const harness = pipelineHarnesses();

describe('visibility looks shared by worker processes (real Redis, real axios)', () => {
  it('two workers with pending clips make one Get Clips call per tick', async () => {
    // The worker role only: the harness's own poller stays out of the way.
    const p = await harness({ clipVisibleAfterMs: 600, channels: ['one', 'two'] });
    const keys = new ClipKeys(p.prefix, 'clips');
    const log = testLogger();
    const poller = () =>
      new VisibilityPoller({
        helix: p.helix,
        log,
        pollIntervalMs: 100,
        fastPollIntervalMs: 100,
        batching: true,
        adaptive: false,
        shared: new SharedClipLooks({ redis: p.redis, keys, helix: p.helix, log }),
      });
    const a = poller();
    const b = poller();
    try {
      const one = await p.helix.createClip({ broadcasterId: p.channel('one').id });
      const two = await p.helix.createClip({ broadcasterId: p.channel('two').id });
      // Let both subscriptions settle, so each hears the other's looks.
      await new Promise((r) => setTimeout(r, 100));
      const since = Date.now();
      // Two processes' timers, 30 ms apart, as unaligned as two machines' would be.
      const first = Date.now() + 50;
      const seenA = a.waitVisible(one.id, { firstCheckAt: first, deadlineAt: first + 5_000 });
      const seenB = b.waitVisible(two.id, { firstCheckAt: first + 30, deadlineAt: first + 5_000 });
      const [clipA, clipB] = await Promise.all([seenA, seenB]);
      expect(clipA?.id).toBe(one.id);
      expect(clipB?.id).toBe(two.id);

      const looks = p.standIn.journal.filter(
        (e) => e.method === 'GET' && e.path === '/helix/clips' && e.at >= since,
      );
      // Every look asked about every clip still waiting (one found by an earlier look, at
      // or after it appeared, waits no longer): no worker polled its own alone.
      const visibleAt = new Map(p.standIn.createdClips().map((c) => [c.id, c.visibleAt ?? 0]));
      for (const [i, look] of looks.entries()) {
        const waiting = [one.id, two.id].filter(
          (id) => !looks.slice(0, i).some((earlier) => earlier.at >= visibleAt.get(id)!),
        );
        expect([...(look.query.id ?? [])].sort()).toEqual(waiting.sort());
      }
      // Ticks 100 ms apart over the ~600 ms until the clips appear: one call each, not two.
      expect(looks.length).toBeGreaterThanOrEqual(2);
      expect(looks.length).toBeLessThanOrEqual(12);
      const gaps = looks.slice(1).map((l, i) => l.at - looks[i]!.at);
      // Two workers each polling would put calls a few ms apart.
      expect(gaps.filter((g) => g < 50)).toHaveLength(0);
      await waitFor(async () => (await p.redis.zcard(keys.visibilityWatch())) === 0, {
        what: 'the watch set to empty',
      });
    } finally {
      a.close();
      b.close();
    }
  });
});
