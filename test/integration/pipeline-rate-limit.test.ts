import { afterEach, describe, expect, it } from 'vitest';
import { FAST_SETTINGS, startPipelineHarness, waitFor } from '../helpers/pipeline-harness.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('a 429 pauses the whole clip queue', () => {
  it('no worker (in any process) calls Twitch for other jobs until the pause is over', async () => {
    const channels = ['streamer', 'chan_a', 'chan_b', 'chan_c'];
    const h = await startPipelineHarness({ channels });
    cleanups.push(() => h.close());
    const second = h.sharePipeline({ role: 'worker' });
    cleanups.push(() => second.close());
    await second.start();

    h.standIn.force429(1, 1500);
    const first = h.clipRequest('streamer');
    await h.pipeline.service.request(first);
    // The queue-wide pause is BullMQ's rate-limit key, set to "full" until the pause ends
    // (otherwise it only counts jobs started, under the worker's never-reached limit).
    const limiter = `${h.prefix}:${FAST_SETTINGS.queueName}:limiter`;
    await waitFor(async () => Number(await h.redis.get(limiter)) >= Number.MAX_SAFE_INTEGER, {
      what: 'the pause',
    });
    const pauseEndsAt = Date.now() + (await h.redis.pttl(limiter));
    const throttled = h.standIn.journal.filter((e) => e.status === 429);
    expect(throttled).toHaveLength(1);

    const others = channels.slice(1).map((c) => h.clipRequest(c));
    for (const r of others) await h.pipeline.service.request(r);
    const all = [first, ...others];
    await waitFor(() => all.every((r) => h.senders.twitch.answersFor(r.requestId).length > 0), {
      what: 'every answer',
      timeoutMs: 15_000,
    });
    for (const r of all) {
      expect(h.senders.twitch.answersFor(r.requestId)[0]!.result.outcome.status).toBe('created');
    }
    // Every Helix call after the 429 waited for the pause (small slack for clock reads).
    const after = h.standIn.journal.filter(
      (e) => e.path.startsWith('/helix/') && e.at > throttled[0]!.at,
    );
    expect(after.length).toBeGreaterThanOrEqual(4);
    for (const e of after) expect(e.at).toBeGreaterThanOrEqual(pauseEndsAt - 50);
  });
});
