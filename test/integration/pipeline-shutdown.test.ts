import { afterEach, describe, expect, it } from 'vitest';
import {
  startPipelineHarness,
  waitFor,
  type PipelineHarness,
  type PipelineHarnessOptions,
} from '../helpers/pipeline-harness.js';

/**
 * A graceful shutdown in steps: closeWorker() lets active jobs finish while the reply
 * dispatcher still delivers, drainReplies() gives their answers a bounded moment to leave,
 * and only then do the chat adapters stop and close() runs.
 */

const cleanups: (() => Promise<unknown> | unknown)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function harness(opts: PipelineHarnessOptions = {}): Promise<PipelineHarness> {
  const h = await startPipelineHarness(opts);
  cleanups.push(() => h.close());
  return h;
}

describe('shutting the pipeline down', () => {
  it('delivers the answer of a job that finishes during closeWorker() before drainReplies() resolves', async () => {
    const h = await harness({ clipVisibleAfterMs: 500 });
    const created = new Promise<void>((r) => h.standIn.events.once('clip-created', () => r()));
    const req = h.clipRequest('streamer');
    await h.pipeline.service.request(req);
    await created;
    await h.pipeline.closeWorker();
    expect(await h.pipeline.drainReplies(3000)).toBe(true);
    const answers = h.senders.twitch.answersFor(req.requestId);
    expect(answers).toHaveLength(1);
    expect(answers[0]!.result.outcome.status).toBe('created');
    expect(await h.redis.xlen(h.pipeline.keys.replies('twitch'))).toBe(0);
  });

  it('gives up at its deadline when a ready sender keeps failing; the answer stays for later', async () => {
    const h = await harness();
    h.senders.twitch.failNext = 1_000;
    const req = h.clipRequest('streamer');
    await h.pipeline.service.request(req);
    await waitFor(async () => (await h.redis.xlen(h.pipeline.keys.replies('twitch'))) === 1, {
      what: 'the answer in the stream',
    });
    const started = Date.now();
    expect(await h.pipeline.drainReplies(300)).toBe(false);
    // Gave up at its deadline rather than retrying forever (bound loose for a busy machine).
    expect(Date.now() - started).toBeLessThan(10_000);
    await h.pipeline.close();
    expect(await h.redis.xlen(h.pipeline.keys.replies('twitch'))).toBe(1);
  });

  it('does not wait for a platform whose sender is not ready', async () => {
    const h = await harness();
    h.senders.discord.isReady = false;
    const req = h.clipRequest('streamer', { platform: 'discord' });
    await h.pipeline.service.request(req);
    await waitFor(async () => (await h.redis.xlen(h.pipeline.keys.replies('discord'))) === 1, {
      what: 'the answer in the stream',
    });
    // Far shorter than the deadline it was given: it did not wait for the sender (bound loose
    // for a busy machine).
    const started = Date.now();
    expect(await h.pipeline.drainReplies(30_000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
