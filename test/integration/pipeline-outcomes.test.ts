import { describe, expect, it } from 'vitest';
import type { ClipOutcome, ReplyEnvelope } from '../../src/core/clip.js';
import { pipelineHarnesses, waitFor, type PipelineHarness } from '../helpers/pipeline-harness.js';

const harness = pipelineHarnesses();

/** Queues one Twitch request for `streamer` and returns the one envelope that answers it. */
async function clipOnce(
  p: PipelineHarness,
  over: Parameters<PipelineHarness['clipRequest']>[1] = {},
): Promise<ReplyEnvelope> {
  const req = p.clipRequest('streamer', over);
  const platform = req.replyTo.platform;
  const { joined } = await p.pipeline.service.request(req);
  expect(joined).toBe(false);
  const sender = p.senders[platform];
  await waitFor(() => sender.answersFor(req.requestId).length > 0, { what: 'the answer' });
  const answers = sender.answersFor(req.requestId);
  expect(answers).toHaveLength(1);
  return answers[0]!;
}

/** When each Get Clips that asked about `clipId` reached the stand-in (epoch ms, in order). */
function looksAt(p: PipelineHarness, clipId: string): number[] {
  return p.standIn.journal
    .filter((e) => e.method === 'GET' && e.path === '/helix/clips' && e.query.id?.includes(clipId))
    .map((e) => e.at)
    .sort((a, b) => a - b);
}

function failedReason(outcome: ClipOutcome): string | undefined {
  return outcome.status === 'failed' ? outcome.reason : undefined;
}

describe('clip pipeline outcomes (stand-in Twitch, real Redis)', () => {
  it('creates a clip, waits until Get Clips returns it, and answers with its links', async () => {
    const p = await harness({ clipVisibleAfterMs: 250 });
    const env = await clipOnce(p, { title: 'what a play', duration: 20 });

    expect(env.platform).toBe('twitch');
    expect(env.result.outcome.status).toBe('created');
    if (env.result.outcome.status !== 'created') return;
    const clip = env.result.outcome.clip;
    const made = p.standIn.createdClips();
    expect(made).toHaveLength(1);
    expect(clip.id).toBe(made[0]!.id);
    expect(clip.url).toContain(clip.id);
    expect(clip.editUrl).toContain(`/clip/${clip.id}?`);
    expect(clip.title).toBe('what a play');
    expect(made[0]!.duration).toBe(20);
    expect(env.result.outcome.titleDropped).toBeUndefined();
    expect(env.result.broadcasterLogin).toBe('streamer');
    expect(p.standIn.count('POST', '/helix/clips')).toBe(1);
    // Visible only after 250 ms. By the order of events, not by how many looks fit in that
    // time (on a busy machine the first look may come after the clip appeared): no look
    // before visibility ended the wait, a look after it did, and only then came the answer.
    const visibleAt = made[0]!.visibleAt!;
    const looks = looksAt(p, clip.id);
    expect(looks.at(-1)).toBeGreaterThanOrEqual(visibleAt);
    expect(looks.slice(0, -1).every((at) => at < visibleAt)).toBe(true);
    const answeredAt = p.senders.twitch.deliveredAt.get(env)!;
    expect(answeredAt).toBeGreaterThanOrEqual(looks.at(-1)!);
    expect(await p.metrics.clipsCreated.get()).toMatchObject({ values: [{ value: 1 }] });
  });

  it('answers "offline" without calling Create Clip when the stream is not live', async () => {
    const p = await harness();
    p.standIn.setLive('streamer', false);
    const env = await clipOnce(p);
    expect(failedReason(env.result.outcome)).toBe('offline');
    expect(p.standIn.count('POST', '/helix/clips')).toBe(0);
    expect(p.standIn.count('GET', '/helix/streams')).toBe(1);
  });

  it.each([
    [{ clips: 'disabled' as const }, 'clips_disabled'],
    [{ clips: 'followers' as const }, 'clips_restricted'],
    [{ clips: 'subscribers' as const }, 'clips_restricted'],
    [{ botBanned: true }, 'banned'],
    [{ clippable: false }, 'not_clippable'],
  ])('maps %o to %s, once, without retrying', async (channel, reason) => {
    const p = await harness();
    p.standIn.setChannel('streamer', channel);
    const env = await clipOnce(p);
    expect(failedReason(env.result.outcome)).toBe(reason);
    // Permanent: not retried.
    expect(p.standIn.count('POST', '/helix/clips')).toBe(1);
    // The answer is published from inside the job, a moment before BullMQ records the
    // failure (and counts the attempt): wait for the record before reading the job.
    const queue = p.pipeline.queue!.queue;
    await waitFor(async () => (await queue.getJobState(env.result.jobId)) !== 'active', {
      what: 'the job to be recorded as ended',
    });
    const job = await queue.getJob(env.result.jobId);
    expect(await job?.getState()).toBe('failed');
    expect(job?.attemptsMade).toBe(1);
  });

  it('makes the clip without a title AutoMod rejected, and says so', async () => {
    const p = await harness();
    p.standIn.automodBlock('badword');
    const env = await clipOnce(p, { title: 'such a badword moment' });
    const outcome = env.result.outcome;
    expect(outcome.status).toBe('created');
    expect(outcome.status === 'created' && outcome.titleDropped).toBe(true);
    expect(p.standIn.count('POST', '/helix/clips')).toBe(2);
    const made = p.standIn.createdClips();
    expect(made).toHaveLength(1);
    expect(made[0]!.title).not.toContain('badword');
  });

  it('answers honestly with the edit URL when the clip never becomes visible', async () => {
    const p = await harness({
      clipVisibleAfterMs: 'never',
      settings: { visibleDeadlineS: 1, firstPollMs: 100, pollIntervalMs: 200 },
    });
    const started = Date.now();
    const env = await clipOnce(p);
    const outcome = env.result.outcome;
    expect(outcome.status).toBe('not_visible');
    if (outcome.status !== 'not_visible') return;
    const made = p.standIn.createdClips();
    expect(outcome.clipId).toBe(made[0]!.id);
    expect(outcome.editUrl).toContain(`/clip/${made[0]!.id}?`);
    // Waited for the deadline, looking again and again until then; never more often than
    // every interval. How many looks fit depends on the machine's load, so the lower bound
    // is "kept looking until the deadline", not a count.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const looks = looksAt(p, outcome.clipId);
    expect(looks.length).toBeGreaterThan(1);
    expect(looks.length).toBeLessThanOrEqual(7);
    // The last look is the one due at the deadline (1 s after creation), or one asked earlier
    // whose answer came so late it reached the deadline: allow two intervals (400 ms) for that.
    // A poller that gave up early or slept through the wait would look long before.
    expect(looks.at(-1)).toBeGreaterThanOrEqual(made[0]!.createdAt + 1000 - 400);
    expect(p.senders.twitch.deliveredAt.get(env)).toBeGreaterThanOrEqual(looks.at(-1)!);
    expect(p.standIn.count('POST', '/helix/clips')).toBe(1);
  });

  it('retries Twitch 5xx with backoff and answers "twitch_unavailable" after the last attempt', async () => {
    const p = await harness({ helixRetries: 0, tuning: { attempts: 3, backoffMs: 20 } });
    p.standIn.injectFailure({ status: 503, count: 100, method: 'GET', path: '/helix/streams' });
    const env = await clipOnce(p);
    expect(failedReason(env.result.outcome)).toBe('twitch_unavailable');
    expect(p.standIn.count('GET', '/helix/streams')).toBe(3);
    expect(p.standIn.count('POST', '/helix/clips')).toBe(0);
  });

  it('recovers from a transient 5xx on a later attempt', async () => {
    const p = await harness({ helixRetries: 0, tuning: { attempts: 3, backoffMs: 20 } });
    p.standIn.injectFailure({ status: 502, count: 1, method: 'GET', path: '/helix/streams' });
    const env = await clipOnce(p);
    expect(env.result.outcome.status).toBe('created');
    expect(p.standIn.createdClips()).toHaveLength(1);
  });

  it('pauses the queue on 429 and then makes the clip', async () => {
    const p = await harness();
    p.standIn.force429(1, 300);
    const started = Date.now();
    const env = await clipOnce(p);
    expect(env.result.outcome.status).toBe('created');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('answers "rate_limited" when Twitch keeps answering 429', async () => {
    const p = await harness({ tuning: { maxRateLimitPauses: 2 } });
    p.standIn.force429(100, 50);
    const env = await clipOnce(p);
    expect(failedReason(env.result.outcome)).toBe('rate_limited');
  });

  it('answers "unauthorized" when the bot token is dead and cannot be refreshed', async () => {
    const p = await harness();
    p.standIn.revokeRefreshToken(p.userToken.refreshToken);
    p.standIn.expireToken(p.userToken.accessToken);
    const env = await clipOnce(p);
    expect(failedReason(env.result.outcome)).toBe('unauthorized');
    expect(p.standIn.createdClips()).toHaveLength(0);
  });

  it('answers a Discord request on its own envelope and does not post it to linked channels', async () => {
    const p = await harness({
      postTargets: async () => [{ guildId: 'g9', channelId: 'c9' }],
    });
    const fromDiscord = await clipOnce(p, { platform: 'discord' });
    expect(fromDiscord.platform).toBe('discord');
    expect(fromDiscord.post).toBeUndefined();
    // A clip asked from Discord is not posted to the linked channel.
    expect(p.senders.discord.posts).toHaveLength(0);
  });

  it('posts a clip asked from Twitch to every linked Discord channel', async () => {
    const p = await harness({
      postTargets: async (id) => [
        { guildId: 'g1', channelId: `posts-${id}` },
        { guildId: 'g2', channelId: 'c2' },
      ],
    });
    const env = await clipOnce(p);
    await waitFor(() => p.senders.discord.posts.length === 2, { what: 'two posts' });
    const posts = p.senders.discord.posts;
    expect(posts.map((e) => e.post)).toEqual([
      { guildId: 'g1', channelId: `posts-${env.result.broadcasterId}` },
      { guildId: 'g2', channelId: 'c2' },
    ]);
    expect(posts[0]!.result.jobId).toBe(env.result.jobId);
    expect(posts[0]!.requests.map((r) => r.requestId)).toEqual(
      env.requests.map((r) => r.requestId),
    );
  });

  it('delays the capture by the delay setting', async () => {
    const p = await harness();
    const started = Date.now();
    const created = new Promise<number>((resolve) =>
      p.standIn.events.once('clip-created', () => resolve(Date.now())),
    );
    const req = p.clipRequest('streamer', { delayS: 0.5 });
    await p.pipeline.service.request(req);
    expect(await p.pipeline.queue!.refreshQueueDepth()).toMatchObject({ delayed: 1 });
    expect((await p.metrics.queueDepth.get()).values).toContainEqual(
      expect.objectContaining({ labels: { state: 'delayed' }, value: 1 }),
    );
    await waitFor(() => p.senders.twitch.answersFor(req.requestId).length > 0);
    expect((await created) - started).toBeGreaterThanOrEqual(450);
  });
});
