import { afterEach, describe, expect, it } from 'vitest';
import type { ClipPipeline } from '../../src/app/clip-pipeline.js';
import { type ClipPipelineSettings, type ClipPipelineTuning } from '../../src/app/clip-pipeline.js';
import type { ClipJobData, ClipJobProgress } from '../../src/clips/job-data.js';
import type { ClipOutcome, ClipRequest, ReplyEnvelope } from '../../src/core/clip.js';
import { silentLogger } from '../../src/logger.js';
import { HelixClient } from '../../src/twitch/helix-client.js';
import {
  startPipelineHarness,
  waitFor,
  type PipelineHarness,
  type PipelineHarnessOptions,
} from '../helpers/pipeline-harness.js';
import { spawnWorkerProcess } from '../helpers/pipeline-worker.js';

/**
 * DESIGN: "a retried or restarted job never creates a second clip". A Create Clip whose
 * answer was lost (a 5xx, a timeout, a worker that died mid-call) may have made a clip:
 * the job looks for it in Get Clips (by the bot account, since the attempt) once it would
 * be visible, and adopts it. Found nothing: Create Clip is sent again, once per job; a
 * second unconfirmed attempt found nothing either: 'uncertain'. Definite refusals (429,
 * 4xx) may still be retried.
 */

const cleanups: (() => Promise<unknown> | unknown)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Short waits before the lookup of an unconfirmed Create Clip (clips appear in 200 ms). */
const LOOKUP_TUNING = { unconfirmedWaitMs: 400 };

async function harness(opts: PipelineHarnessOptions = {}): Promise<PipelineHarness> {
  const h = await startPipelineHarness({
    identifyBot: true,
    ...opts,
    tuning: { ...LOOKUP_TUNING, ...opts.tuning },
  });
  cleanups.push(() => h.close());
  return h;
}

async function answerOf(h: PipelineHarness, req: ClipRequest): Promise<ReplyEnvelope> {
  await waitFor(() => h.senders.twitch.answersFor(req.requestId).length > 0, {
    what: 'the answer',
    timeoutMs: 15_000,
  });
  return h.senders.twitch.answersFor(req.requestId)[0]!;
}

function reason(outcome: ClipOutcome): string | undefined {
  return outcome.status === 'failed' ? outcome.reason : undefined;
}

function clipIdOf(outcome: ClipOutcome): string | undefined {
  return outcome.status === 'created' ? outcome.clip.id : undefined;
}

async function progressOf(h: PipelineHarness, jobId: string): Promise<ClipJobProgress | undefined> {
  const job = await h.pipeline.queue!.queue.getJob(jobId);
  return (job?.data as ClipJobData | undefined)?.progress;
}

/** A worker-only pipeline on the harness's queue, with its own Helix client. */
async function worker(
  h: PipelineHarness,
  helix = h.helix,
  tuning: ClipPipelineTuning = {},
  settings: Partial<ClipPipelineSettings> = {},
): Promise<ClipPipeline> {
  const p = h.sharePipeline({
    role: 'worker',
    settings,
    helix,
    identifyBot: true,
    tuning: { stalledIntervalMs: 300, ...LOOKUP_TUNING, ...tuning },
  });
  cleanups.push(() => p.close());
  await p.start();
  return p;
}

describe('a Create Clip whose answer was lost', () => {
  it('a 503 refused before acting: nothing found, Create Clip sent once more, one clip', async () => {
    const h = await harness({ helixRetries: 2, tuning: { attempts: 3, backoffMs: 20 } });
    h.standIn.injectFailure({ status: 503, count: 1, method: 'POST', path: '/helix/clips' });
    const req = h.clipRequest('streamer');
    const { jobId } = await h.pipeline.service.request(req);
    const env = await answerOf(h, req);
    expect(env.result.outcome.status).toBe('created');
    expect(h.standIn.createdClips()).toHaveLength(1);
    expect(clipIdOf(env.result.outcome)).toBe(h.standIn.createdClips()[0]!.id);
    expect(h.standIn.count('POST', '/helix/clips')).toBe(2);
    // The lookup went first, by broadcaster and time window.
    const lookups = h.standIn.journal.filter(
      (e) => e.method === 'GET' && e.path === '/helix/clips' && e.query.started_at !== undefined,
    );
    expect(lookups).toHaveLength(1);
    expect((await progressOf(h, jobId))?.createRetried).toBe(true);
  });

  it('a 503 after Twitch made the clip: the clip is adopted, Create Clip not sent again', async () => {
    const h = await harness({ helixRetries: 2 });
    h.standIn.injectFailure({
      status: 503,
      count: 1,
      method: 'POST',
      path: '/helix/clips',
      afterHandling: true,
    });
    const req = h.clipRequest('streamer');
    const { jobId } = await h.pipeline.service.request(req);
    const env = await answerOf(h, req);
    expect(env.result.outcome.status).toBe('created');
    expect(h.standIn.count('POST', '/helix/clips')).toBe(1);
    const made = h.standIn.createdClips();
    expect(made).toHaveLength(1);
    expect(clipIdOf(env.result.outcome)).toBe(made[0]!.id);
    if (env.result.outcome.status === 'created') {
      // Adopted from Get Clips (no edit_url there): Twitch's current form, by hand.
      expect(env.result.outcome.clip.editUrl).toBe(
        `https://www.twitch.tv/${req.broadcasterLogin}/clip/${made[0]!.id}`,
      );
    }
    const p = await progressOf(h, jobId);
    expect(p).toMatchObject({ adopted: true, clipId: made[0]!.id });
    expect(p?.createRetried).toBeUndefined();
  });

  it('Create Clip failing twice without a clip: sent twice, never a third time, "uncertain"', async () => {
    const h = await harness({ helixRetries: 2, tuning: { attempts: 3, backoffMs: 20 } });
    h.standIn.injectFailure({ status: 503, count: 100, method: 'POST', path: '/helix/clips' });
    const req = h.clipRequest('streamer');
    const { jobId } = await h.pipeline.service.request(req);
    const env = await answerOf(h, req);
    expect(reason(env.result.outcome)).toBe('uncertain');
    expect(h.standIn.count('POST', '/helix/clips')).toBe(2);
    // The answer is published from inside the job, a moment before BullMQ records the
    // failure: wait for the record, then check it was the first and only attempt.
    const queue = h.pipeline.queue!.queue;
    await waitFor(async () => (await queue.getJobState(jobId)) !== 'active', {
      what: 'the job to be recorded as ended',
      timeoutMs: 10_000,
    });
    const job = await queue.getJob(jobId);
    expect(await job?.getState()).toBe('failed');
    expect(job?.attemptsMade).toBe(1);
  });

  it('without the bot identity nothing can be looked up: "uncertain" at once, sent once', async () => {
    const h = await harness({ identifyBot: false, tuning: { attempts: 3, backoffMs: 20 } });
    h.standIn.injectFailure({ status: 503, count: 1, method: 'POST', path: '/helix/clips' });
    const req = h.clipRequest('streamer');
    await h.pipeline.service.request(req);
    const env = await answerOf(h, req);
    expect(reason(env.result.outcome)).toBe('uncertain');
    expect(h.standIn.count('POST', '/helix/clips')).toBe(1);
    expect(h.standIn.count('GET', '/helix/clips')).toBe(0);
  });

  it('a Create Clip that timed out (Twitch made the clip later): adopted, not sent again', async () => {
    const h = await harness({ role: 'bot', tuning: { attempts: 3, backoffMs: 20 } });
    const impatient = new HelixClient({
      apiUrl: h.standIn.apiUrl,
      clientId: h.standIn.clientId,
      tokens: h.tokens,
      timeoutMs: 250,
      maxRetries: 3,
      retryBaseMs: 20,
      maxRateLimitWaitS: 0,
      log: silentLogger(),
    });
    // Twitch acts 700 ms after the call (the client gave up at 250 ms) and the clip shows
    // 200 ms later; the lookup (1,200 ms after the timeout) comes well after both, instead
    // of racing them as the default 400 ms would.
    await worker(h, impatient, { unconfirmedWaitMs: 1200 });
    h.standIn.setLatency(700, { method: 'POST', path: '/clips' });
    const req = h.clipRequest('streamer');
    await h.pipeline.service.request(req);
    const env = await answerOf(h, req);
    expect(env.result.outcome.status).toBe('created');
    expect(h.standIn.count('POST', '/helix/clips')).toBe(1);
    expect(h.standIn.createdClips()).toHaveLength(1);
    expect(clipIdOf(env.result.outcome)).toBe(h.standIn.createdClips()[0]!.id);
  });

  it('a worker killed while Create Clip is in flight: the resumed job adopts its clip', async () => {
    const h = await harness({ role: 'bot' });
    const first = await spawnWorkerProcess(h);
    cleanups.push(() => first.kill('SIGKILL'));
    h.standIn.setLatency(3000, { method: 'POST', path: '/clips' });
    const req = h.clipRequest('streamer');
    const { jobId } = await h.pipeline.service.request(req);
    await waitFor(async () => (await progressOf(h, jobId))?.createAttemptedAt !== undefined, {
      what: 'the Create Clip mark',
      timeoutMs: 15_000,
    });
    await first.kill('SIGKILL');
    // From now on a second Create Clip would succeed at once.
    h.standIn.setLatency(0, { method: 'POST', path: '/clips' });
    // The dead worker's call reaches Twitch 3 s after it left: the resumed job looks for
    // its clip a while after taking over (2 s lock) rather than at once.
    await worker(h, h.helix, { unconfirmedWaitMs: 2000 }, { visibleDeadlineS: 4 });

    const env = await answerOf(h, req);
    expect(env.result.outcome.status).toBe('created');
    expect(h.standIn.count('POST', '/helix/clips')).toBe(1);
    expect(h.standIn.createdClips()).toHaveLength(1);
    expect(clipIdOf(env.result.outcome)).toBe(h.standIn.createdClips()[0]!.id);
  });

  it("never adopts another job's clip", async () => {
    // Batching off: every request is its own job, so two jobs clip the channel at once.
    const h = await harness({ settings: { batching: false } });
    h.standIn.injectFailure({ status: 503, count: 1, method: 'POST', path: '/helix/clips' });
    const a = h.clipRequest('streamer');
    const b = h.clipRequest('streamer');
    await Promise.all([h.pipeline.service.request(a), h.pipeline.service.request(b)]);
    const [ea, eb] = [await answerOf(h, a), await answerOf(h, b)];
    expect(ea.result.outcome.status).toBe('created');
    expect(eb.result.outcome.status).toBe('created');
    // The job whose first call was refused found only the other job's clip: it made its own.
    expect(clipIdOf(ea.result.outcome)).not.toBe(clipIdOf(eb.result.outcome));
    expect(h.standIn.createdClips()).toHaveLength(2);
    expect(h.standIn.count('POST', '/helix/clips')).toBe(3);
  });
});

describe('Create Clip refused before acting', () => {
  it('a 429 on Create Clip (refused before acting) is retried and makes one clip', async () => {
    const h = await harness({ settings: { coalesceWindowS: 0 } });
    // Warm the live-check cache, so the forced 429 lands on Create Clip itself.
    const warm = h.clipRequest('streamer');
    await h.pipeline.service.request(warm);
    expect((await answerOf(h, warm)).result.outcome.status).toBe('created');

    h.standIn.force429(1, 200);
    const req = h.clipRequest('streamer');
    await h.pipeline.service.request(req);
    const env = await answerOf(h, req);
    expect(env.result.outcome.status).toBe('created');
    expect(h.standIn.count('POST', '/helix/clips')).toBe(3);
    expect(h.standIn.createdClips()).toHaveLength(2);
  });
});
