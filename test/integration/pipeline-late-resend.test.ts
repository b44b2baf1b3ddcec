import { describe, expect, it } from 'vitest';
import type { ClipOutcome, ClipRequest, ReplyEnvelope } from '../../src/core/clip.js';
import { pipelineHarnesses, waitFor, type PipelineHarness } from '../helpers/pipeline-harness.js';

/**
 * A Create Clip sent again after an unconfirmed first attempt (its answer lost, Get Clips
 * showing no clip of it) meets the moment deadline as the first attempt did: the lookup
 * waits seconds, and a live clip made after the deadline would be of something else. Real
 * Redis and BullMQ, the Helix stand-in failing the first Create Clip with a 503.
 */

const harness = pipelineHarnesses();

/**
 * The lookup waits 5 s (nothing learned yet); a request made 1 s before it is asked has
 * 10 s - 5 s = 5 s to reach Create Clip for a 10 s clip, 25 s for a 30 s one. The first
 * attempt (about 1 s after the request) is in time for both; the resend (after 6 s) only
 * for the 30 s clip.
 */
const LOOKUP_WAIT_MS = 5_000;
const ASKED_AGO_MS = 1_000;

async function start(opts: { channels?: string[] } = {}): Promise<PipelineHarness> {
  return harness({
    identifyBot: true,
    helixRetries: 2,
    ...opts,
    tuning: {
      attempts: 3,
      backoffMs: 20,
      unconfirmedWaitMs: LOOKUP_WAIT_MS,
      // Otherwise capped at the harness's visibility deadline (2 s).
      unconfirmedMaxWaitMs: LOOKUP_WAIT_MS,
    },
  });
}

async function ask(h: PipelineHarness, login: string, duration: number): Promise<ClipRequest> {
  const req = h.clipRequest(login, { requestedAt: Date.now() - ASKED_AGO_MS, duration });
  await h.pipeline.service.request(req);
  return req;
}

/** The job's answer (not an "on its way" notice, which a slow Twitch may send first). */
async function answerOf(h: PipelineHarness, req: ClipRequest): Promise<ReplyEnvelope> {
  const final = () =>
    h.senders.twitch
      .answersFor(req.requestId)
      .find((e) => e.result.outcome.status !== 'on_its_way');
  await waitFor(() => final() !== undefined, { what: 'the answer', timeoutMs: 20_000 });
  return final()!;
}

function reason(outcome: ClipOutcome): string | undefined {
  return outcome.status === 'failed' ? outcome.reason : undefined;
}

function liveCreates(h: PipelineHarness, broadcasterId: string): number {
  return h.standIn.journal.filter(
    (e) =>
      e.method === 'POST' &&
      e.path === '/helix/clips' &&
      e.query.broadcaster_id?.[0] === broadcasterId,
  ).length;
}

function lookups(h: PipelineHarness): number {
  return h.standIn.journal.filter(
    (e) => e.method === 'GET' && e.path === '/helix/clips' && e.query.started_at !== undefined,
  ).length;
}

describe('Create Clip sent again after a lost answer', () => {
  it('is not sent live once the moment is past: too_late, one Create Clip in all', async () => {
    // The bot's token has clips:edit only, so a late request is answered, not VOD-clipped.
    const h = await start();
    h.standIn.injectFailure({ status: 503, count: 1, method: 'POST', path: '/helix/clips' });
    const req = await ask(h, 'streamer', 10);
    const env = await answerOf(h, req);
    expect(reason(env.result.outcome)).toBe('too_late');
    // The first attempt was in time and sent; the lookup found nothing; no live resend.
    expect(liveCreates(h, req.broadcasterId)).toBe(1);
    expect(lookups(h)).toBe(1);
    expect(h.standIn.createdClips()).toHaveLength(0);
    expect(h.standIn.count('POST', '/helix/videos/clips')).toBe(0);
  });

  it('is checked in a BullMQ retry too: the lookup failed, the rerun finds nothing, too_late', async () => {
    const h = await start();
    h.standIn.injectFailure({ status: 503, count: 1, method: 'POST', path: '/helix/clips' });
    // Lookups fail past the Helix client's own retries: BullMQ retries the job.
    h.standIn.injectFailure({ status: 503, count: 3, method: 'GET', path: '/helix/clips' });
    const req = h.clipRequest('streamer', { requestedAt: Date.now() - ASKED_AGO_MS, duration: 10 });
    const { jobId } = await h.pipeline.service.request(req);
    const env = await answerOf(h, req);
    expect(reason(env.result.outcome)).toBe('too_late');
    expect(liveCreates(h, req.broadcasterId)).toBe(1);
    const job = await h.pipeline.queue!.queue.getJob(jobId);
    expect(job?.attemptsMade).toBeGreaterThanOrEqual(1);
    expect(h.standIn.createdClips()).toHaveLength(0);
  });

  it('is sent live again while the moment holds: one clip; a shorter clip beside it is late', async () => {
    const h = await start({ channels: ['streamer', 'chan_a'] });
    // Both first attempts lose their answer (Twitch acted on neither).
    h.standIn.injectFailure({ status: 503, count: 2, method: 'POST', path: '/helix/clips' });
    const inTime = await ask(h, 'streamer', 30);
    // Another channel, so that it is not joined to the first request.
    const late = await ask(h, 'chan_a', 10);
    const [inTimeEnv, lateEnv] = await Promise.all([answerOf(h, inTime), answerOf(h, late)]);
    expect(inTimeEnv.result.outcome.status).toBe('created');
    expect(liveCreates(h, inTime.broadcasterId)).toBe(2);
    const made = h.standIn.createdClips();
    expect(made).toHaveLength(1);
    expect(inTimeEnv.result.outcome.status === 'created' && inTimeEnv.result.outcome.clip.id).toBe(
      made[0]!.id,
    );
    expect(reason(lateEnv.result.outcome)).toBe('too_late');
    expect(liveCreates(h, late.broadcasterId)).toBe(1);
  });
});
