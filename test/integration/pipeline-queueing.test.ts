import { afterEach, describe, expect, it } from 'vitest';
import type { ClipRequest } from '../../src/core/clip.js';
import {
  startPipelineHarness,
  waitFor,
  type PipelineHarness,
} from '../helpers/pipeline-harness.js';

/**
 * Adding the BullMQ job can fail in two ways that look the same from here: Redis never
 * ran the command, or it did and the reply was lost. Only the first may be answered
 * 'internal'. The faults are injected at BullMQ's Queue.add (not our code).
 */

let h: PipelineHarness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

function answers(p: PipelineHarness, req: ClipRequest) {
  return p.senders.twitch.answersFor(req.requestId);
}

describe('queueing a clip job', () => {
  it('an add that timed out after Redis ran it: the job runs and makes the clip', async () => {
    const p = (h = await startPipelineHarness({ tuning: { addRetryMs: 20 } }));
    const queue = p.pipeline.queue!.queue;
    const add = queue.add.bind(queue);
    let calls = 0;
    queue.add = (async (...args: Parameters<typeof add>) => {
      calls++;
      await add(...args);
      throw new Error('Command timed out (test)');
    }) as typeof queue.add;

    const req = p.clipRequest('streamer');
    const { jobId, joined } = await p.pipeline.service.request(req);
    expect(joined).toBe(false);
    expect(calls).toBe(1);
    await waitFor(() => answers(p, req).length > 0, { what: 'the answer' });
    await new Promise((r) => setTimeout(r, 200));
    expect(answers(p, req)).toHaveLength(1);
    expect(answers(p, req)[0]!.result.outcome.status).toBe('created');
    expect(answers(p, req)[0]!.result.jobId).toBe(jobId);
    expect(p.standIn.createdClips()).toHaveLength(1);
  });

  it('an add that keeps failing without writing: tried again, then answered "internal"', async () => {
    const p = (h = await startPipelineHarness({ tuning: { addTries: 3, addRetryMs: 20 } }));
    const queue = p.pipeline.queue!.queue;
    let calls = 0;
    queue.add = (async () => {
      calls++;
      throw new Error('Connection is closed (test)');
    }) as typeof queue.add;

    const req = p.clipRequest('streamer');
    const joiner = p.clipRequest('streamer');
    const first = p.pipeline.service.request(req);
    // Joins the claim while its job is being retried: it must be answered too.
    expect((await p.pipeline.service.request(joiner)).joined).toBe(true);
    const { jobId } = await first;
    expect(calls).toBe(3);
    await waitFor(() => answers(p, req).length > 0 && answers(p, joiner).length > 0, {
      what: 'both answers',
    });
    expect(answers(p, req)[0]!.result.outcome).toMatchObject({
      status: 'failed',
      reason: 'internal',
    });
    expect(await queue.getJob(jobId)).toBeUndefined();
    expect(p.standIn.count('POST', '/helix/clips')).toBe(0);
  });
});
