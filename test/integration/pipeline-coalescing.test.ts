import { describe, expect, it } from 'vitest';
import type { ClipRequest, ReplyEnvelope } from '../../src/core/clip.js';
import { pipelineHarnesses, waitFor, type PipelineHarness } from '../helpers/pipeline-harness.js';

const harness = pipelineHarnesses();

/** Every reply envelope (both platforms) that answers this request. */
function answers(p: PipelineHarness, req: ClipRequest): ReplyEnvelope[] {
  return [
    ...p.senders.twitch.answersFor(req.requestId),
    ...p.senders.discord.answersFor(req.requestId),
  ];
}

async function allAnswered(
  p: PipelineHarness,
  reqs: ClipRequest[],
  timeoutMs = 10_000,
): Promise<void> {
  await waitFor(() => reqs.every((r) => answers(p, r).length > 0), {
    what: `${reqs.length} answers`,
    timeoutMs,
  });
  // Give a duplicate the chance to show up before asserting there is none.
  await new Promise((r) => setTimeout(r, 150));
  for (const r of reqs) expect(answers(p, r)).toHaveLength(1);
}

async function counter(p: PipelineHarness, kind: string): Promise<number> {
  const m = await p.metrics.clipRequests.get();
  return m.values.find((v) => v.labels.kind === kind)?.value ?? 0;
}

describe('coalescing clip requests', () => {
  it('turns 50 concurrent requests for one channel into one clip and 50 answers', async () => {
    const p = await harness({ clipVisibleAfterMs: 300 });
    const reqs = Array.from({ length: 50 }, (_, i) =>
      p.clipRequest('streamer', { platform: i % 5 === 0 ? 'discord' : 'twitch' }),
    );
    const queued = await Promise.all(reqs.map((r) => p.pipeline.service.request(r)));

    expect(new Set(queued.map((q) => q.jobId)).size).toBe(1);
    expect(queued.filter((q) => !q.joined)).toHaveLength(1);
    await allAnswered(p, reqs);
    expect(p.standIn.count('POST', '/helix/clips')).toBe(1);
    expect(p.standIn.createdClips()).toHaveLength(1);
    // All Twitch requesters in ONE envelope (one chat message naming them); Discord: one each.
    expect(p.senders.twitch.replies).toHaveLength(1);
    expect(p.senders.twitch.replies[0]!.requests).toHaveLength(40);
    expect(p.senders.discord.replies).toHaveLength(10);
    const clipIds = new Set(
      [...p.senders.twitch.replies, ...p.senders.discord.replies].map((e) =>
        e.result.outcome.status === 'created' ? e.result.outcome.clip.id : 'none',
      ),
    );
    expect([...clipIds]).toEqual([p.standIn.createdClips()[0]!.id]);
    expect(await counter(p, 'queued')).toBe(1);
    expect(await counter(p, 'coalesced')).toBe(49);
  });

  it('answers a request made just after the clip finished from the stored result', async () => {
    const p = await harness({ settings: { coalesceWindowS: 3 } });
    const first = p.clipRequest('streamer');
    await p.pipeline.service.request(first);
    await allAnswered(p, [first]);

    const late = p.clipRequest('streamer');
    const q = await p.pipeline.service.request(late);
    expect(q.joined).toBe(true);
    await allAnswered(p, [late]);
    expect(p.standIn.count('POST', '/helix/clips')).toBe(1);
    const [a, b] = [answers(p, first)[0]!, answers(p, late)[0]!];
    expect(b.result).toEqual(a.result);
  });

  it('starts a new clip once the coalescing window is over', async () => {
    const p = await harness({ settings: { coalesceWindowS: 0.3 } });
    const first = p.clipRequest('streamer');
    await p.pipeline.service.request(first);
    await allAnswered(p, [first]);
    await new Promise((r) => setTimeout(r, 400));

    const later = p.clipRequest('streamer');
    expect((await p.pipeline.service.request(later)).joined).toBe(false);
    await allAnswered(p, [later]);
    expect(p.standIn.createdClips()).toHaveLength(2);
  });

  it('does not reuse a transient failure: the next request tries again', async () => {
    const p = await harness({ helixRetries: 0, tuning: { attempts: 1 } });
    p.standIn.injectFailure({ status: 503, count: 1, method: 'GET', path: '/helix/streams' });
    const first = p.clipRequest('streamer');
    await p.pipeline.service.request(first);
    await allAnswered(p, [first]);
    expect(answers(p, first)[0]!.result.outcome).toMatchObject({ reason: 'twitch_unavailable' });

    const again = p.clipRequest('streamer');
    expect((await p.pipeline.service.request(again)).joined).toBe(false);
    await allAnswered(p, [again]);
    expect(answers(p, again)[0]!.result.outcome.status).toBe('created');
  });

  it('does not reuse a finished "offline": a request just after the stream went live makes a clip', async () => {
    const p = await harness({ settings: { coalesceWindowS: 5 } });
    p.standIn.setLive('streamer', false);
    const first = p.clipRequest('streamer');
    await p.pipeline.service.request(first);
    await allAnswered(p, [first]);
    expect(answers(p, first)[0]!.result.outcome).toMatchObject({ reason: 'offline' });

    // Get Streams lags behind a stream's start: viewers ask again at once.
    p.standIn.setLive('streamer', true);
    await new Promise((r) => setTimeout(r, 100));
    const again = p.clipRequest('streamer');
    expect((await p.pipeline.service.request(again)).joined).toBe(false);
    await allAnswered(p, [again]);
    expect(answers(p, again)[0]!.result.outcome.status).toBe('created');
    expect(p.standIn.createdClips()).toHaveLength(1);
  });

  it('does not reuse any finished failure, even one that lasts ("clips disabled")', async () => {
    const p = await harness({ settings: { coalesceWindowS: 5 } });
    p.standIn.setChannel('streamer', { clips: 'disabled' });
    const first = p.clipRequest('streamer');
    await p.pipeline.service.request(first);
    await allAnswered(p, [first]);
    expect(answers(p, first)[0]!.result.outcome).toMatchObject({ reason: 'clips_disabled' });

    p.standIn.setChannel('streamer', { clips: 'enabled' });
    const again = p.clipRequest('streamer');
    expect((await p.pipeline.service.request(again)).joined).toBe(false);
    await allAnswered(p, [again]);
    expect(answers(p, again)[0]!.result.outcome.status).toBe('created');
  });

  it('answers a repeated request id once', async () => {
    const p = await harness();
    const req = p.clipRequest('streamer', { platform: 'discord' });
    const a = await p.pipeline.service.request(req);
    const b = await p.pipeline.service.request(req);
    expect(b.jobId).toBe(a.jobId);
    await allAnswered(p, [req]);
  });

  it('handles 20 channels at once: 20 clips, each answer to its own requesters', async () => {
    const logins = Array.from({ length: 20 }, (_, i) => `chan${i}`);
    // 20 jobs at once on a busy 2-core machine (CI runs the suite twice) take seconds, not
    // the few hundred ms they take on an idle one: a deadline and a wait that fit that work.
    const p = await harness({
      channels: logins,
      clipVisibleAfterMs: 200,
      settings: { visibleDeadlineS: 30 },
    });
    const reqs = logins.flatMap((l) => [
      p.clipRequest(l),
      p.clipRequest(l, { platform: 'discord' }),
    ]);
    await Promise.all(reqs.map((r) => p.pipeline.service.request(r)));
    await allAnswered(p, reqs, 60_000);

    expect(p.standIn.createdClips()).toHaveLength(20);
    expect(p.standIn.count('POST', '/helix/clips')).toBe(20);
    const clipByChannel = new Map(p.standIn.createdClips().map((c) => [c.broadcasterId, c.id]));
    for (const r of reqs) {
      const env = answers(p, r)[0]!;
      expect(env.result.broadcasterId).toBe(r.broadcasterId);
      expect(env.requests.every((x) => x.broadcasterId === r.broadcasterId)).toBe(true);
      const outcome = env.result.outcome;
      expect(outcome.status === 'created' && outcome.clip.id).toBe(
        clipByChannel.get(r.broadcasterId),
      );
    }
    // Batching: live checks and visibility looks were shared between channels.
    expect(p.standIn.count('GET', '/helix/streams')).toBeLessThan(20);
    const looks = p.standIn.journal.filter((e) => e.method === 'GET' && e.path === '/helix/clips');
    expect(Math.max(...looks.map((e) => e.query.id?.length ?? 0))).toBeGreaterThan(1);
  });

  it('with batching off: no coalescing, one Get Streams per request, one id per Get Clips', async () => {
    const p = await harness({ settings: { batching: false } });
    const reqs = [p.clipRequest('streamer'), p.clipRequest('streamer'), p.clipRequest('streamer')];
    const queued = await Promise.all(reqs.map((r) => p.pipeline.service.request(r)));
    expect(queued.every((q) => !q.joined)).toBe(true);
    await allAnswered(p, reqs);
    expect(p.standIn.createdClips()).toHaveLength(3);
    expect(p.standIn.count('GET', '/helix/streams')).toBe(3);
    const looks = p.standIn.journal.filter((e) => e.method === 'GET' && e.path === '/helix/clips');
    expect(looks.every((e) => e.query.id?.length === 1)).toBe(true);
  });

  it('reuses a fresh "live" answer instead of asking Get Streams again', async () => {
    const p = await harness({ settings: { coalesceWindowS: 0, liveCacheS: 30 } });
    for (let i = 0; i < 3; i++) {
      const r = p.clipRequest('streamer');
      await p.pipeline.service.request(r);
      await allAnswered(p, [r]);
    }
    expect(p.standIn.createdClips()).toHaveLength(3);
    expect(p.standIn.count('GET', '/helix/streams')).toBe(1);
  });

  it('a claim whose job was never queued is taken over by the next request, joiners included', async () => {
    const p = await harness({ tuning: { orphanGraceMs: 0 } });
    const keys = p.pipeline.keys;
    const stranded = p.clipRequest('streamer');
    // What a bot that died between claiming and queueing leaves behind.
    await p.redis.hset(keys.pending(stranded.broadcasterId), {
      jobId: 'clip-gone',
      state: 'open',
      since: Date.now() - 60_000,
    });
    await p.redis.rpush(keys.requesters('clip-gone'), JSON.stringify(stranded));

    const next = p.clipRequest('streamer');
    expect((await p.pipeline.service.request(next)).joined).toBe(false);
    await allAnswered(p, [stranded, next]);
    expect(p.standIn.createdClips()).toHaveLength(1);
  });
});
