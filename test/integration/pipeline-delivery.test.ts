import { afterEach, describe, expect, it } from 'vitest';
import { UndeliverableError } from '../../src/replies/delivery-errors.js';
import type {
  ClipRequest,
  Platform,
  ReplyEnvelope,
  ReplySender,
  ReplyTarget,
} from '../../src/core/clip.js';
import {
  startPipelineHarness,
  waitFor,
  type PipelineHarness,
} from '../helpers/pipeline-harness.js';
import { encodeReplyEntry } from '../../src/core/reply-envelope.js';

/**
 * The reply dispatcher: one platform never waits for the other, one reply target never
 * waits for another, an answer that can never be delivered is dropped (and counted), and
 * a slow delivery is not taken over by another bot process.
 */

const cleanups: (() => Promise<unknown> | unknown)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A sender whose behaviour per envelope the test decides; records attempts and deliveries. */
class ScriptedSender implements ReplySender {
  readonly attempts: ReplyEnvelope[] = [];
  readonly delivered: ReplyEnvelope[] = [];

  constructor(
    readonly platform: Platform,
    private readonly behave: (env: ReplyEnvelope) => Promise<void> | void = () => undefined,
  ) {}

  ready(): boolean {
    return true;
  }

  async deliver(envelope: ReplyEnvelope): Promise<void> {
    this.attempts.push(envelope);
    await this.behave(envelope);
    this.delivered.push(envelope);
  }

  answered(req: ClipRequest): number {
    return this.delivered.filter((e) => e.requests.some((r) => r.requestId === req.requestId))
      .length;
  }
}

function channelOf(env: ReplyEnvelope): string {
  const to = env.requests[0]?.replyTo;
  return to?.platform === 'twitch' ? to.channel : '';
}

function askedIn(channel: string): { replyTo: ReplyTarget } {
  return { replyTo: { platform: 'twitch', channel } };
}

function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}

async function harness(channels: string[]): Promise<PipelineHarness> {
  const h = await startPipelineHarness({ channels, clipVisibleAfterMs: 50 });
  cleanups.push(() => h.close());
  return h;
}

async function deliveries(h: PipelineHarness, result: string): Promise<number> {
  const m = await h.metrics.replyDeliveries.get();
  return m.values.filter((v) => v.labels.result === result).reduce((n, v) => n + v.value, 0);
}

describe('reply delivery per target', () => {
  it('drops an undeliverable answer once and keeps delivering the rest', async () => {
    const h = await harness(['streamer', 'other']);
    const twitch = new ScriptedSender('twitch', (env) => {
      if (channelOf(env) === 'gone') {
        throw new UndeliverableError('the bot is not in #gone', 'not_in_channel');
      }
    });
    h.pipeline.registerSender(twitch);

    // One clip, asked in two channels: the bot left one of them.
    const lost = h.clipRequest('streamer', askedIn('gone'));
    const kept = h.clipRequest('streamer', askedIn('here'));
    await h.pipeline.service.request(lost);
    await h.pipeline.service.request(kept);
    await waitFor(() => twitch.answered(kept) === 1, { what: 'the deliverable half' });
    // A later answer on the same platform is not held up behind it.
    const later = h.clipRequest('other', askedIn('here'));
    await h.pipeline.service.request(later);
    await waitFor(() => twitch.answered(later) === 1, { what: 'the later answer' });

    await waitFor(async () => (await h.redis.xlen(h.pipeline.keys.replies('twitch'))) === 0, {
      what: 'the stream to be emptied',
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(twitch.attempts.filter((e) => channelOf(e) === 'gone')).toHaveLength(1);
    expect(twitch.answered(lost)).toBe(0);
    expect(await deliveries(h, 'undeliverable')).toBe(1);
    expect(await deliveries(h, 'delivered')).toBe(2);
  });

  it('a slow Twitch delivery holds up neither Discord nor other Twitch channels', async () => {
    const h = await harness(['streamer', 'other', 'third']);
    const slow = gate();
    const twitch = new ScriptedSender('twitch', (env) =>
      channelOf(env) === 'slow' ? slow.wait : undefined,
    );
    const discord = new ScriptedSender('discord');
    h.pipeline.registerSender(twitch);
    h.pipeline.registerSender(discord);
    cleanups.push(() => slow.open());

    const held = h.clipRequest('streamer', askedIn('slow'));
    await h.pipeline.service.request(held);
    await waitFor(() => twitch.attempts.length === 1, { what: 'the slow delivery to start' });

    const fromDiscord = h.clipRequest('other', { platform: 'discord' });
    const elsewhere = h.clipRequest('third', askedIn('fast'));
    await h.pipeline.service.request(fromDiscord);
    await h.pipeline.service.request(elsewhere);
    await waitFor(() => discord.answered(fromDiscord) === 1 && twitch.answered(elsewhere) === 1, {
      what: 'the other answers while the slow one is under way',
    });
    expect(twitch.answered(held)).toBe(0);

    slow.open();
    await waitFor(() => twitch.answered(held) === 1, { what: 'the slow answer' });
    await new Promise((r) => setTimeout(r, 200));
    expect(twitch.answered(held)).toBe(1);
    expect(twitch.attempts.filter((e) => channelOf(e) === 'slow')).toHaveLength(1);
  });

  it('retries a failing target with backoff, in order, while other targets go on', async () => {
    const h = await harness(['chan1', 'chan2', 'chan3']);
    let failuresLeft = 3;
    const twitch = new ScriptedSender('twitch', (env) => {
      if (channelOf(env) === 'flaky' && failuresLeft > 0) {
        failuresLeft--;
        throw new Error('connection dropped (test)');
      }
    });
    h.pipeline.registerSender(twitch);

    const first = h.clipRequest('chan1', askedIn('flaky'));
    await h.pipeline.service.request(first);
    await waitFor(() => twitch.attempts.length >= 1, { what: 'the first failure' });
    const second = h.clipRequest('chan2', askedIn('flaky'));
    const other = h.clipRequest('chan3', askedIn('steady'));
    await h.pipeline.service.request(second);
    await h.pipeline.service.request(other);

    await waitFor(() => twitch.answered(first) === 1 && twitch.answered(second) === 1, {
      what: 'the flaky target to recover',
    });
    const order = twitch.delivered.map((e) => e.requests[0]!.requestId);
    // The steady target did not wait for the flaky one; the flaky one kept its order.
    expect(order.indexOf(other.requestId)).toBeLessThan(order.indexOf(first.requestId));
    expect(order.indexOf(first.requestId)).toBeLessThan(order.indexOf(second.requestId));
    expect(failuresLeft).toBe(0);
    expect(await deliveries(h, 'retried')).toBe(3);
    expect(twitch.answered(first)).toBe(1);
  });

  it('a delivery that outlasts claimIdleMs is not taken over by another bot process', async () => {
    const h = await harness(['streamer']);
    const slow = gate();
    const twitch = new ScriptedSender('twitch', () => slow.wait);
    h.pipeline.registerSender(twitch);
    cleanups.push(() => slow.open());

    const req = h.clipRequest('streamer');
    await h.pipeline.service.request(req);
    await waitFor(() => twitch.attempts.length === 1, { what: 'the delivery to start' });

    const other = h.sharePipeline({ role: 'bot' });
    const otherTwitch = new ScriptedSender('twitch');
    other.registerSender(otherTwitch);
    await other.start();
    cleanups.push(() => other.close());

    // claimIdleMs is 1 s in the test tuning: wait well past it.
    await new Promise((r) => setTimeout(r, 2500));
    expect(otherTwitch.attempts).toHaveLength(0);
    slow.open();
    await waitFor(() => twitch.answered(req) === 1, { what: 'the delivery' });
    await waitFor(async () => (await h.redis.xlen(h.pipeline.keys.replies('twitch'))) === 0, {
      what: 'the acknowledgement',
    });
    expect(otherTwitch.attempts).toHaveLength(0);
  });

  it('drops (and counts) an answer too old to be worth sending', async () => {
    const h = await harness(['streamer']);
    const twitch = new ScriptedSender('twitch');
    h.pipeline.registerSender(twitch);
    const req = h.clipRequest('streamer');
    const stale: ReplyEnvelope = {
      platform: 'twitch',
      requests: [req],
      result: {
        jobId: 'clip-stale',
        broadcasterId: req.broadcasterId,
        broadcasterLogin: req.broadcasterLogin,
        broadcasterName: req.broadcasterName,
        outcome: { status: 'failed', reason: 'offline' },
        finishedAt: Date.now() - 25 * 3_600_000,
      },
    };
    const stream = h.pipeline.keys.replies('twitch');
    await h.redis.xadd(stream, '*', ...encodeReplyEntry(stale));
    await waitFor(async () => (await h.redis.xlen(stream)) === 0, { what: 'the stale answer' });
    expect(twitch.attempts).toHaveLength(0);
    expect(await deliveries(h, 'expired')).toBe(1);
  });

  it('drops a Twitch chat answer older than 10 minutes; Discord still gets one that old', async () => {
    const h = await harness(['streamer']);
    const twitch = new ScriptedSender('twitch');
    const discord = new ScriptedSender('discord');
    h.pipeline.registerSender(twitch);
    h.pipeline.registerSender(discord);
    const envelope = (req: ClipRequest, platform: Platform, ageMs: number): ReplyEnvelope => ({
      platform,
      requests: [req],
      result: {
        jobId: `clip-${req.requestId}`,
        broadcasterId: req.broadcasterId,
        broadcasterLogin: req.broadcasterLogin,
        broadcasterName: req.broadcasterName,
        // A clip made: a failure this old is dropped sooner (reply-staleness.ts).
        outcome: {
          status: 'created',
          clip: { id: 'c1', url: 'u', editUrl: 'e', title: 't', broadcasterName: 'S' },
        },
        finishedAt: Date.now() - ageMs,
      },
    });
    // After an outage: an 11-minute-old answer for each platform, and a 9-minute-old one.
    const staleChat = h.clipRequest('streamer');
    const recentChat = h.clipRequest('streamer', askedIn('other'));
    const staleDiscord = h.clipRequest('streamer', { platform: 'discord' });
    const add = (platform: Platform, env: ReplyEnvelope) =>
      h.redis.xadd(h.pipeline.keys.replies(platform), '*', ...encodeReplyEntry(env));
    await add('twitch', envelope(staleChat, 'twitch', 11 * 60_000));
    await add('twitch', envelope(recentChat, 'twitch', 9 * 60_000));
    await add('discord', envelope(staleDiscord, 'discord', 11 * 60_000));

    await waitFor(() => twitch.answered(recentChat) === 1 && discord.answered(staleDiscord) === 1, {
      what: 'the answers still worth sending',
    });
    await waitFor(async () => (await h.redis.xlen(h.pipeline.keys.replies('twitch'))) === 0, {
      what: 'the stale chat answer to be dropped',
    });
    expect(twitch.answered(staleChat)).toBe(0);
    expect(await deliveries(h, 'expired')).toBe(1);
    const m = await h.metrics.replyDeliveries.get();
    const expired = m.values.filter((v) => v.labels.result === 'expired');
    expect(expired.map((v) => v.labels.platform)).toEqual(['twitch']);
  });
});
