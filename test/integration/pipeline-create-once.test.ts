import { afterEach, describe, expect, it } from 'vitest';
import { ClipPipeline } from '../../src/clips/clip-pipeline.js';
import type { ClipJobData } from '../../src/clips/job-data.js';
import type { ClipOutcome, ClipRequest, ReplyEnvelope } from '../../src/clips/types.js';
import { silentLogger } from '../../src/logger.js';
import { HelixClient } from '../../src/twitch/helix-client.js';
import {
  FAST_SETTINGS,
  FAST_TUNING,
  startPipelineHarness,
  waitFor,
  type PipelineHarness,
  type PipelineHarnessOptions,
} from '../helpers/pipeline-harness.js';
import { spawnWorkerProcess } from '../helpers/pipeline-worker.js';

/**
 * DESIGN: "a retried or restarted job never creates a second clip". A Create Clip whose
 * answer was lost may have made a clip, so it is never sent again: the job answers
 * 'uncertain'. Definite refusals (429, 4xx) may still be retried.
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

/** A worker-only pipeline on the harness's queue, with its own Helix client. */
async function worker(h: PipelineHarness, helix = h.helix): Promise<ClipPipeline> {
  const p = new ClipPipeline({
    role: 'worker',
    connections: h.connections,
    settings: { ...FAST_SETTINGS, prefix: h.prefix },
    log: silentLogger(),
    helix,
    tuning: { ...FAST_TUNING, stalledIntervalMs: 300 },
  });
  cleanups.push(() => p.close());
  await p.start();
  return p;
}

describe('Create Clip is sent at most once per job', () => {
  it('a 5xx on Create Clip is not repeated, by the client nor by a job retry: "uncertain"', async () => {
    const h = await harness({ helixRetries: 2, tuning: { attempts: 3, backoffMs: 20 } });
    h.standIn.injectFailure({ status: 503, count: 100, method: 'POST', path: '/helix/clips' });
    const req = h.clipRequest('streamer');
    const { jobId } = await h.pipeline.service.request(req);
    const env = await answerOf(h, req);
    expect(reason(env.result.outcome)).toBe('uncertain');
    expect(h.standIn.count('POST', '/helix/clips')).toBe(1);
    const job = await h.pipeline.queue!.queue.getJob(jobId);
    expect(await job?.getState()).toBe('failed');
    expect(job?.attemptsMade).toBe(1);
  });

  it('a Create Clip that timed out (the clip was made) is not sent again', async () => {
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
    await worker(h, impatient);
    h.standIn.setLatency(700, { method: 'POST', path: '/clips' });
    const req = h.clipRequest('streamer');
    await h.pipeline.service.request(req);
    const env = await answerOf(h, req);
    expect(reason(env.result.outcome)).toBe('uncertain');
    // Twitch did make it: the stand-in finishes the request after its latency.
    await waitFor(() => h.standIn.createdClips().length === 1, { what: 'the late clip' });
    // A second call would have left within the backoff and been recorded 700 ms later.
    await new Promise((r) => setTimeout(r, 900));
    expect(h.standIn.count('POST', '/helix/clips')).toBe(1);
    expect(h.standIn.createdClips()).toHaveLength(1);
  });

  it('a worker killed while Create Clip is in flight: the resumed job does not call it again', async () => {
    const h = await harness({ role: 'bot' });
    const first = await spawnWorkerProcess(h);
    cleanups.push(() => first.kill('SIGKILL'));
    h.standIn.setLatency(3000, { method: 'POST', path: '/clips' });
    const req = h.clipRequest('streamer');
    const { jobId } = await h.pipeline.service.request(req);
    await waitFor(
      async () => {
        const job = await h.pipeline.queue!.queue.getJob(jobId);
        return (job?.data as ClipJobData | undefined)?.progress?.createAttemptedAt !== undefined;
      },
      { what: 'the Create Clip mark', timeoutMs: 15_000 },
    );
    await first.kill('SIGKILL');
    // From now on a second Create Clip would succeed at once.
    h.standIn.setLatency(0, { method: 'POST', path: '/clips' });
    await worker(h);

    const env = await answerOf(h, req);
    expect(reason(env.result.outcome)).toBe('uncertain');
    // The killed worker's call still reaches Twitch (3 s latency) and makes the one clip.
    await waitFor(() => h.standIn.createdClips().length === 1, {
      what: 'the first call to land',
      timeoutMs: 5000,
    });
    expect(h.standIn.count('POST', '/helix/clips')).toBe(1);
  });

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
