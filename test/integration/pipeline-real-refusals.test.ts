import { describe, expect, it } from 'vitest';
import { ClipCreationGate } from '../../src/clips/clip-creation-gate.js';
import { FAILURE_TEXT, failureText } from '../../src/clips/reasons.js';
import type { ClipOutcome, ReplyEnvelope } from '../../src/core/clip.js';
import type { ChannelOptions } from '../../standins/twitch/world.js';
import { pipelineHarnesses, waitFor, type PipelineHarness } from '../helpers/pipeline-harness.js';

// Real BullMQ on Redis, the real HelixClient (axios) against the Helix stand-in, which
// refuses in real Twitch's words (test/fixtures/real-twitch/helix).
const harness = pipelineHarnesses();

async function answerFor(p: PipelineHarness, channel = 'streamer'): Promise<ReplyEnvelope> {
  const req = p.clipRequest(channel);
  expect((await p.pipeline.service.request(req)).joined).toBe(false);
  const sender = p.senders[req.replyTo.platform];
  await waitFor(() => sender.answersFor(req.requestId).length > 0, { what: 'the answer' });
  return sender.answersFor(req.requestId)[0]!;
}

function failed(outcome: ClipOutcome): Extract<ClipOutcome, { status: 'failed' }> {
  if (outcome.status !== 'failed') throw new Error(`expected a failure, got ${outcome.status}`);
  return outcome;
}

describe("Create Clip's real refusals reach the viewer as the right answer", () => {
  it.each<[string, ChannelOptions, string]>([
    ['clips turned off', { clips: 'disabled' }, FAILURE_TEXT.clips_disabled],
    ['followers only', { clips: 'followers' }, FAILURE_TEXT.clips_restricted],
    ['subscribers only', { clips: 'subscribers' }, FAILURE_TEXT.clips_restricted],
    ['a category that cannot be clipped', { clippable: false }, FAILURE_TEXT.not_clippable],
  ])('%s', async (_name, channel, text) => {
    const p = await harness();
    p.standIn.setChannel('streamer', channel);
    const outcome = failed((await answerFor(p)).result.outcome);
    expect(failureText(outcome)).toBe(text);
    expect(p.standIn.count('POST', '/helix/clips')).toBe(1);
  });

  it("a refusal in words nobody knows: the viewer is told Twitch's words, made safe for chat", async () => {
    const p = await harness();
    p.standIn.setChannel('streamer', {
      refusal: { status: 403, message: '  Clips are\u0000 paused\n during maintenance. ' },
    });
    const outcome = failed((await answerFor(p)).result.outcome);
    expect(outcome.reason).toBe('twitch_refused');
    expect(failureText(outcome)).toBe(
      'Twitch refused to make the clip and said: "Clips are paused during maintenance."',
    );
    expect(p.standIn.count('POST', '/helix/clips')).toBe(1);
  });
});

describe("Create Clip's own rate limit (Ratelimit-Helixclipscreation-*)", () => {
  it('pauses clip creation for every worker, not reads, and tells requesters when it lasts', async () => {
    const p = await harness({
      tuning: { clipCreationPause: { baseMs: 400, maxMs: 400 }, maxClipPauseMs: 1000 },
      // One channel per request: requests for one channel would join the same clip.
      channels: ['streamer', 'second', 'third'],
    });
    p.standIn.setClipCreationLimit({ limit: 1, refillPerMinute: 0 });
    const first = await answerFor(p);
    expect(first.result.outcome.status).toBe('created');
    const second = failed((await answerFor(p, 'second')).result.outcome);
    expect(second.reason).toBe('clip_rate_limited');
    expect(failureText(second)).toMatch(/clip creation is paused for about \d+ seconds/);
    // One 429, then the job waited for the pause instead of calling again at once; when the
    // pause outlasted what the job may wait, it answered instead of hammering the bucket.
    const creates = p.standIn.count('POST', '/helix/clips');
    expect(creates).toBeGreaterThanOrEqual(2);
    expect(creates).toBeLessThanOrEqual(4);

    // The pause is in Redis, for every process: another gate on the same keys sees it.
    const gate = new ClipCreationGate({
      redis: p.redis,
      keys: p.pipeline.keys,
      basePauseMs: 400,
      maxPauseMs: 400,
    });
    const until = await gate.strike();
    expect(await gate.pausedUntil()).toBe(until);

    // While paused, a job reads (live check) but does not call Create Clip.
    p.standIn.setClipCreationLimit({ limit: 5, refillPerMinute: 0 });
    const before = p.standIn.count('POST', '/helix/clips');
    const streamsBefore = p.standIn.count('GET', '/helix/streams');
    const third = await answerFor(p, 'third');
    expect(p.standIn.count('GET', '/helix/streams')).toBeGreaterThan(streamsBefore);
    // It waited for the pause to end, then made its clip with one call.
    expect(third.result.outcome, JSON.stringify(third.result.outcome)).toMatchObject({
      status: 'created',
    });
    expect(p.standIn.count('POST', '/helix/clips')).toBe(before + 1);
  });
});
