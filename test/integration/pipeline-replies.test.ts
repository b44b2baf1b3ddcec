import { afterEach, describe, expect, it } from 'vitest';
import type { ClipRequest } from '../../src/core/clip.js';
import {
  RecordingSender,
  startPipelineHarness,
  waitFor,
  type PipelineHarness,
} from '../helpers/pipeline-harness.js';

const cleanups: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function harness(opts: Parameters<typeof startPipelineHarness>[0] = {}) {
  const h = await startPipelineHarness(opts);
  cleanups.push(() => h.close());
  return h;
}

/** Waits until the job behind `req` has finished and its answer sits in the stream. */
async function waitForQueuedAnswer(h: PipelineHarness, jobId: string): Promise<void> {
  await waitFor(async () => (await h.redis.exists(h.pipeline.keys.result(jobId))) === 1, {
    what: 'the job result',
  });
}

describe('reply delivery', () => {
  it('keeps an answer in Redis while the sender is not ready and delivers it once it is', async () => {
    const h = await harness();
    h.senders.twitch.isReady = false;
    const req = h.clipRequest('streamer');
    const { jobId } = await h.pipeline.service.request(req);
    await waitForQueuedAnswer(h, jobId);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.senders.twitch.envelopes).toHaveLength(0);
    expect(await h.redis.xlen(h.pipeline.keys.replies('twitch'))).toBe(1);

    h.senders.twitch.isReady = true;
    await waitFor(() => h.senders.twitch.answersFor(req.requestId).length > 0, {
      what: 'the delivery',
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(h.senders.twitch.answersFor(req.requestId)).toHaveLength(1);
    // Delivered envelopes are acknowledged and removed.
    expect(await h.redis.xlen(h.pipeline.keys.replies('twitch'))).toBe(0);
    const observed = await h.metrics.requestToAnswer.get();
    expect(observed.values.find((v) => v.metricName?.endsWith('_count'))?.value).toBe(1);
  });

  it('retries a delivery that threw, and delivers it once', async () => {
    const h = await harness();
    h.senders.discord.failNext = 2;
    const req = h.clipRequest('streamer', { platform: 'discord' });
    await h.pipeline.service.request(req);
    await waitFor(() => h.senders.discord.answersFor(req.requestId).length > 0, {
      what: 'the delivery',
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(h.senders.discord.answersFor(req.requestId)).toHaveLength(1);
    expect(h.senders.discord.failNext).toBe(0);
  });

  it('one platform being down does not hold up the other', async () => {
    const h = await harness();
    h.senders.twitch.isReady = false;
    const fromDiscord = h.clipRequest('streamer', { platform: 'discord' });
    const fromTwitch = h.clipRequest('streamer');
    await h.pipeline.service.request(fromTwitch);
    await h.pipeline.service.request(fromDiscord);
    await waitFor(() => h.senders.discord.answersFor(fromDiscord.requestId).length > 0, {
      what: 'the Discord answer',
    });
    expect(h.senders.twitch.envelopes).toHaveLength(0);
    h.senders.twitch.isReady = true;
    await waitFor(() => h.senders.twitch.answersFor(fromTwitch.requestId).length > 0, {
      what: 'the Twitch answer',
    });
  });

  it('takes over an answer that a dead bot process read but never delivered', async () => {
    const h = await harness();
    h.senders.twitch.isReady = false;
    const req = h.clipRequest('streamer');
    const { jobId } = await h.pipeline.service.request(req);
    await waitForQueuedAnswer(h, jobId);
    // Another bot process reads the envelope, then dies before delivering it.
    const stream = h.pipeline.keys.replies('twitch');
    const read = await h.redis.xreadgroup(
      'GROUP',
      'reply-senders',
      'dead-bot',
      'COUNT',
      10,
      'STREAMS',
      stream,
      '>',
    );
    expect(read).not.toBeNull();
    h.senders.twitch.isReady = true;
    await new Promise((r) => setTimeout(r, 300));
    expect(h.senders.twitch.envelopes).toHaveLength(0);
    // claimIdleMs is 1 s in the test tuning.
    await waitFor(() => h.senders.twitch.answersFor(req.requestId).length > 0, {
      what: 'the taken-over delivery',
    });
    expect(h.senders.twitch.answersFor(req.requestId)).toHaveLength(1);
  });

  it('two bot processes share the stream: every answer is delivered exactly once', async () => {
    const logins = Array.from({ length: 8 }, (_, i) => `chan${i}`);
    const h = await harness({ channels: logins });
    const other = h.sharePipeline({ role: 'bot' });
    const otherSenders = [new RecordingSender('twitch'), new RecordingSender('discord')];
    for (const s of otherSenders) other.registerSender(s);
    await other.start();
    cleanups.push(() => other.close());

    const reqs: ClipRequest[] = logins.flatMap((l) => [
      h.clipRequest(l),
      h.clipRequest(l, { platform: 'discord' }),
      h.clipRequest(l, { platform: 'discord' }),
    ]);
    await Promise.all(reqs.map((r, i) => (i % 2 ? other.service : h.pipeline.service).request(r)));
    const all = [h.senders.twitch, h.senders.discord, ...otherSenders];
    const count = (r: ClipRequest) => all.reduce((n, s) => n + s.answersFor(r.requestId).length, 0);
    await waitFor(() => reqs.every((r) => count(r) > 0), { what: 'every answer' });
    await new Promise((r) => setTimeout(r, 300));
    for (const r of reqs) expect(count(r)).toBe(1);
  });
});
