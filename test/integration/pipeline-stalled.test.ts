import { UnrecoverableError, Worker } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClipPipeline } from '../../src/app/clip-pipeline.js';
import { type ClipPipelineSettings, type ClipPipelineTuning } from '../../src/app/clip-pipeline.js';
import type { ClipJobData } from '../../src/clips/job-data.js';
import type { ClipRequest } from '../../src/core/clip.js';
import {
  startPipelineHarness,
  waitFor,
  type PipelineHarness,
} from '../helpers/pipeline-harness.js';
import { spawnWorkerProcess } from '../helpers/pipeline-worker.js';

/** Jobs that end without our processor answering them still answer every requester. */

const cleanups: (() => Promise<unknown> | unknown)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function harness(opts: Parameters<typeof startPipelineHarness>[0] = {}) {
  const h = await startPipelineHarness(opts);
  cleanups.push(() => h.close());
  return h;
}

async function worker(
  h: PipelineHarness,
  opts: { tuning?: ClipPipelineTuning; settings?: Partial<ClipPipelineSettings> } = {},
): Promise<ClipPipeline> {
  const p = h.sharePipeline({
    role: 'worker',
    settings: opts.settings,
    tuning: { stalledIntervalMs: 300, ...opts.tuning },
  });
  cleanups.push(() => p.close());
  await p.start();
  return p;
}

function answers(h: PipelineHarness, req: ClipRequest) {
  return h.senders.twitch.answersFor(req.requestId);
}

async function savedClip(h: PipelineHarness, jobId: string): Promise<string> {
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

describe('jobs that end without the processor answering', () => {
  it('a job that stalled too often is answered, and the next request starts a new clip', async () => {
    // No reuse window: a later request must start a clip, not reuse this job's answer.
    const noReuse = { coalesceWindowS: 0 };
    const h = await harness({
      role: 'bot',
      channels: ['streamer', 'busy'],
      clipVisibleAfterMs: 'never',
      settings: noReuse,
    });
    // A deadline far off: the clip must still be awaited when the process is killed, however
    // long a busy machine takes to get there.
    const dying = await spawnWorkerProcess(h, { ...noReuse, visibleDeadlineS: 120 });
    cleanups.push(() => dying.kill('SIGKILL'));

    const req = h.clipRequest('streamer');
    const { jobId } = await h.pipeline.service.request(req);
    const clipId = await savedClip(h, jobId);
    const joiner = h.clipRequest('streamer');
    expect((await h.pipeline.service.request(joiner)).joined).toBe(true);
    // Requester lists expire with their claim: never a key without a TTL.
    const ttl = await h.redis.pttl(h.pipeline.keys.requesters(jobId));
    expect(ttl).toBeGreaterThan(0);
    await dying.kill('SIGKILL');

    // The one surviving worker is busy with another clip when the stall is found, so the
    // stalled-out job waits in the queue; BullMQ fails it (maxStalledCount 0: at its first
    // stall) without running our code once the worker is free.
    await worker(h, {
      tuning: { maxStalledCount: 0 },
      settings: { ...noReuse, concurrency: 1, visibleDeadlineS: 4 },
    });
    const busy = h.clipRequest('busy');
    await h.pipeline.service.request(busy);
    // The lock expiring, the stall check and the busy clip's 4 s deadline: seconds of real
    // work, more on a loaded machine.
    await waitFor(() => answers(h, req).length > 0 && answers(h, joiner).length > 0, {
      what: 'both answers',
      timeoutMs: 60_000,
    });
    const job = await h.pipeline.queue!.queue.getJob(jobId);
    expect(await job?.getState()).toBe('failed');
    expect(job?.failedReason).toContain('stalled');
    // The clip was made: say it may still appear, with its edit link.
    expect(answers(h, req)[0]!.result.outcome).toMatchObject({ status: 'not_visible', clipId });

    h.standIn.setChannel('streamer', { clipVisibleAfterMs: 100 });
    const later = h.clipRequest('streamer');
    const queued = await h.pipeline.service.request(later);
    // Not joined to the failed job.
    expect(queued.joined).toBe(false);
    expect(queued.jobId).not.toBe(jobId);
    await waitFor(() => answers(h, later).length > 0, {
      what: 'the later answer',
      timeoutMs: 30_000,
    });
    expect(answers(h, later)[0]!.result.outcome.status).toBe('created');
    await new Promise((r) => setTimeout(r, 200));
    expect(answers(h, req)).toHaveLength(1);
    expect(answers(h, joiner)).toHaveLength(1);
  });

  it('a claim whose job failed unanswered is an orphan: the next job adopts its requesters', async () => {
    const h = await harness({ role: 'bot' });
    const req = h.clipRequest('streamer');
    const { jobId } = await h.pipeline.service.request(req);
    // A worker that fails the job and never answers (a crash right after BullMQ failed it).
    const silent = new Worker(
      h.pipeline.keys.queueName,
      async () => {
        throw new UnrecoverableError('died unanswered (test)');
      },
      { connection: h.connections.create('silent-worker'), prefix: h.prefix },
    );
    cleanups.push(() => silent.close());
    await waitFor(
      async () => (await (await h.pipeline.queue!.queue.getJob(jobId))?.getState()) === 'failed',
      { what: 'the job to fail' },
    );
    await silent.close();
    expect(answers(h, req)).toHaveLength(0);

    const next = h.clipRequest('streamer');
    const queued = await h.pipeline.service.request(next);
    expect(queued.joined).toBe(false);
    expect(queued.jobId).not.toBe(jobId);
    await worker(h);
    await waitFor(() => answers(h, req).length > 0 && answers(h, next).length > 0, {
      what: 'both answers',
    });
    // One clip answers both: the stranded requester was adopted by the new job.
    expect(answers(h, req)[0]!.result.jobId).toBe(queued.jobId);
    expect(answers(h, next)[0]!.result.outcome.status).toBe('created');
    expect(h.standIn.createdClips()).toHaveLength(1);
  });

  it('forced stop on the LAST attempt hands the job back: another worker answers it', async () => {
    // The clip appears only after 5 s, and no worker gives up on it before: the job is surely
    // still waiting when the first worker stops, however slow the machine.
    const slow = { visibleDeadlineS: 60 };
    const h = await harness({ role: 'bot', clipVisibleAfterMs: 5000, tuning: { attempts: 1 } });
    const first = await worker(h, { settings: { ...slow, shutdownGraceS: 0.2 } });
    const req = h.clipRequest('streamer');
    const { jobId } = await h.pipeline.service.request(req);
    const clipId = await savedClip(h, jobId);

    await first.close();
    // It stopped without waiting for the job: before the clip could be seen.
    expect(Date.now()).toBeLessThan(h.standIn.createdClips()[0]!.visibleAt!);
    // Back in the queue at once, its only attempt unspent (not left to the stall check).
    const job = await h.pipeline.queue!.queue.getJob(jobId);
    expect(await job?.getState()).toBe('waiting');
    expect(job?.attemptsMade).toBe(0);
    expect(answers(h, req)).toHaveLength(0);

    // A stall would now fail the job: only the hand-back lets it finish.
    await worker(h, { settings: slow, tuning: { maxStalledCount: 0 } });
    await waitFor(() => answers(h, req).length > 0, { what: 'the answer', timeoutMs: 60_000 });
    const outcome = answers(h, req)[0]!.result.outcome;
    expect(outcome.status === 'created' && outcome.clip.id).toBe(clipId);
    expect(h.standIn.count('POST', '/helix/clips')).toBe(1);
  });
});
