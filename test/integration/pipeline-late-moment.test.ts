import { describe, expect, it } from 'vitest';
import { pipelineHarnesses, waitFor, type PipelineHarness } from '../helpers/pipeline-harness.js';

/**
 * The moment deadline in the worker (real Redis and BullMQ, the Helix stand-in): a live
 * request whose job reaches Create Clip too late is never made live; without a VOD clip
 * scope it is answered 'too_late' at once, and a request in time is clipped as ever.
 */

const harness = pipelineHarnesses();

async function answer(p: PipelineHarness, agoMs: number, duration?: number, login = 'streamer') {
  const req = p.clipRequest(login, {
    requestedAt: Date.now() - agoMs,
    ...(duration ? { duration } : {}),
  });
  await p.pipeline.service.request(req);
  await waitFor(() => p.senders.twitch.answersFor(req.requestId).length > 0, {
    what: 'the answer',
  });
  return p.senders.twitch.answersFor(req.requestId);
}

describe('a job past its moment', () => {
  it('answers too_late without Create Clip when the bot may not clip VODs', async () => {
    // The bot's token has clips:edit only: no Create Clip From VOD.
    const p = await harness({ identifyBot: true });
    const answers = await answer(p, 40_000);
    expect(answers).toHaveLength(1);
    expect(answers[0]!.result.outcome).toMatchObject({ status: 'failed', reason: 'too_late' });
    expect(p.standIn.count('POST', '/helix/clips')).toBe(0);
    expect(p.standIn.count('POST', '/helix/videos/clips')).toBe(0);
  });

  it('follows the duration: 12 s late is in time for a 30 s clip, not for a 10 s one', async () => {
    const p = await harness({ channels: ['streamer', 'chan_a'] });
    const inTime = await answer(p, 12_000);
    expect(inTime[0]!.result.outcome.status).toBe('created');
    // Another channel: the first clip's requests would join it (the coalescing window).
    const late = await answer(p, 12_000, 10, 'chan_a');
    expect(late[0]!.result.outcome).toMatchObject({ status: 'failed', reason: 'too_late' });
    expect(p.standIn.count('POST', '/helix/clips')).toBe(1);
  });
});
