import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClipJobData } from '../../src/clips/job-data.js';
import type { ClipRequest } from '../../src/core/clip.js';
import { silentLogger } from '../../src/logger.js';
import { EmbeddedRedis } from '../../src/redis/embedded-redis.js';
import {
  startPipelineHarness,
  waitFor,
  type PipelineHarness,
} from '../helpers/pipeline-harness.js';
import { spawnWorkerProcess, type WorkerProcess } from '../helpers/pipeline-worker.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The job's saved progress, once Create Clip's answer is in it. */
async function waitForSavedClip(h: PipelineHarness, jobId: string): Promise<string> {
  let clipId: string | undefined;
  await waitFor(
    async () => {
      const job = await h.pipeline.queue!.queue.getJob(jobId);
      clipId = (job?.data as ClipJobData | undefined)?.progress?.clipId;
      return clipId !== undefined;
    },
    { what: 'the clip id saved in the job', timeoutMs: 15_000 },
  );
  return clipId!;
}

function answerCount(h: PipelineHarness, req: ClipRequest): number {
  return h.senders.twitch.answersFor(req.requestId).length;
}

describe('clip jobs survive crashes', () => {
  it('a worker killed with SIGKILL after Create Clip: a new worker finishes the same clip', async () => {
    const h = await startPipelineHarness({ role: 'bot', clipVisibleAfterMs: 1500 });
    cleanups.push(() => h.close());
    const first: WorkerProcess = await spawnWorkerProcess(h);
    cleanups.push(() => first.kill('SIGKILL'));

    const req = h.clipRequest('streamer');
    const { jobId } = await h.pipeline.service.request(req);
    const clipId = await waitForSavedClip(h, jobId);
    expect(await first.kill('SIGKILL')).toBe('SIGKILL');
    expect(answerCount(h, req)).toBe(0);

    const second = h.sharePipeline({ role: 'worker', tuning: { stalledIntervalMs: 300 } });
    cleanups.push(() => second.close());
    await second.start();

    await waitFor(() => answerCount(h, req) > 0, { what: 'the answer', timeoutMs: 15_000 });
    await new Promise((r) => setTimeout(r, 200));
    expect(answerCount(h, req)).toBe(1);
    const outcome = h.senders.twitch.answersFor(req.requestId)[0]!.result.outcome;
    expect(outcome.status === 'created' && outcome.clip.id).toBe(clipId);
    expect(h.standIn.count('POST', '/helix/clips')).toBe(1);
    expect(h.standIn.createdClips()).toHaveLength(1);
  });

  it('SIGTERM lets the active job finish before the worker process exits', async () => {
    const h = await startPipelineHarness({ role: 'bot', clipVisibleAfterMs: 600 });
    cleanups.push(() => h.close());
    const worker = await spawnWorkerProcess(h, { shutdownGraceS: 10 });
    cleanups.push(() => worker.kill('SIGKILL'));

    const req = h.clipRequest('streamer');
    const { jobId } = await h.pipeline.service.request(req);
    await waitForSavedClip(h, jobId);
    void worker.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.stdout()).toContain('closed');
    // The job finished in the closing worker: its answer is already queued.
    await waitFor(() => answerCount(h, req) > 0, { what: 'the answer' });
    expect(h.senders.twitch.answersFor(req.requestId)[0]!.result.outcome.status).toBe('created');
    expect(await (await h.pipeline.queue!.queue.getJob(jobId))?.getState()).toBe('completed');
  });

  it('a job still active after the shutdown grace resumes on another worker', async () => {
    // The clip appears only after 5 s, and no worker gives up on it before: the job is surely
    // still active when the first worker stops, however slow the machine.
    const h = await startPipelineHarness({ role: 'bot', clipVisibleAfterMs: 5000 });
    cleanups.push(() => h.close());
    const worker = (shutdownGraceS: number) =>
      h.sharePipeline({
        role: 'worker',
        settings: { shutdownGraceS, visibleDeadlineS: 60 },
        tuning: { lockDurationMs: 1000, stalledIntervalMs: 300 },
      });
    const first = worker(0.2);
    await first.start();

    const req = h.clipRequest('streamer');
    const { jobId } = await h.pipeline.service.request(req);
    await waitForSavedClip(h, jobId);
    await first.close();
    // It stopped after its grace, without waiting for the job: before the clip could be seen.
    expect(Date.now()).toBeLessThan(h.standIn.createdClips()[0]!.visibleAt!);
    expect(answerCount(h, req)).toBe(0);

    const second = worker(2);
    cleanups.push(() => second.close());
    await second.start();
    await waitFor(() => answerCount(h, req) > 0, { what: 'the answer', timeoutMs: 60_000 });
    await new Promise((r) => setTimeout(r, 200));
    expect(answerCount(h, req)).toBe(1);
    expect(h.standIn.count('POST', '/helix/clips')).toBe(1);
  });

  it('Redis restarted mid-job (append-only file): nothing is lost', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'clipbot-restart-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const redis = new EmbeddedRedis({ dataDir: dir, log: silentLogger(), appendFsync: 'always' });
    const url = await redis.start();
    cleanups.push(() => redis.stop());
    const h = await startPipelineHarness({ redisUrl: url, clipVisibleAfterMs: 1200 });
    cleanups.push(() => h.close());

    const req = h.clipRequest('streamer');
    const { jobId } = await h.pipeline.service.request(req);
    const clipId = await waitForSavedClip(h, jobId);
    // A joiner arriving while the clip is being made must be answered too.
    const joiner = h.clipRequest('streamer');
    expect((await h.pipeline.service.request(joiner)).joined).toBe(true);

    await redis.stop('SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    expect(await redis.start()).toBe(url);

    await waitFor(() => answerCount(h, req) > 0 && answerCount(h, joiner) > 0, {
      what: 'both answers',
      timeoutMs: 15_000,
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(answerCount(h, req)).toBe(1);
    expect(answerCount(h, joiner)).toBe(1);
    const outcome = h.senders.twitch.answersFor(req.requestId)[0]!.result.outcome;
    expect(outcome.status === 'created' && outcome.clip.id).toBe(clipId);
    expect(h.standIn.count('POST', '/helix/clips')).toBe(1);
  });
});
