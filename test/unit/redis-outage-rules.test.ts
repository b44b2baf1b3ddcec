import { describe, expect, it } from 'vitest';
import { TroubleNotices } from '../../src/chat/trouble-notice.js';
import type { ClipOutcome, ReplyEnvelope } from '../../src/core/clip.js';
import { isRedisUnavailable } from '../../src/redis/connection.js';
import { judgeFreshness } from '../../src/replies/reply-staleness.js';

const twitchIn = (channel: string) =>
  ({ platform: 'twitch', replyTarget: { platform: 'twitch', channel } }) as const;

describe('TroubleNotices', () => {
  it('answers a Twitch channel once per window, each channel on its own', () => {
    let now = 1_000_000;
    const notices = new TroubleNotices({ windowMs: 30_000, now: () => now });
    expect(notices.shouldAnswer(twitchIn('a'))).toBe(true);
    expect(notices.shouldAnswer(twitchIn('a'))).toBe(false);
    expect(notices.shouldAnswer(twitchIn('b'))).toBe(true);
    now += 29_999;
    expect(notices.shouldAnswer(twitchIn('a'))).toBe(false);
    now += 1;
    expect(notices.shouldAnswer(twitchIn('a'))).toBe(true);
  });

  it('always answers Discord (an interaction waits for its own answer)', () => {
    const notices = new TroubleNotices();
    const input = {
      platform: 'discord',
      replyTarget: { platform: 'discord', interactionId: 'i', guildId: 'g', channelId: 'c' },
    } as const;
    expect(notices.shouldAnswer(input)).toBe(true);
    expect(notices.shouldAnswer(input)).toBe(true);
  });

  it('remembers at most maxChannels channels, forgetting the oldest', () => {
    const notices = new TroubleNotices({ maxChannels: 2 });
    for (const c of ['a', 'b', 'c']) expect(notices.shouldAnswer(twitchIn(c))).toBe(true);
    // 'a' was forgotten: it is answered again; 'c' is still in its window.
    expect(notices.shouldAnswer(twitchIn('a'))).toBe(true);
    expect(notices.shouldAnswer(twitchIn('c'))).toBe(false);
  });
});

describe('isRedisUnavailable', () => {
  it('knows what a fail-fast ioredis connection throws, and nothing else', () => {
    const offline = new Error("Stream isn't writeable and enableOfflineQueue options is false");
    const retries = new Error('Reached the max retries per request limit (which is 1).');
    retries.name = 'MaxRetriesPerRequestError';
    for (const err of [
      offline,
      retries,
      new Error('Command timed out'),
      new Error('connect ECONNREFUSED 127.0.0.1:1'),
    ]) {
      expect(isRedisUnavailable(err)).toBe(true);
    }
    expect(isRedisUnavailable(new Error('WRONGTYPE Operation against a key'))).toBe(false);
    expect(isRedisUnavailable('ECONNREFUSED')).toBe(false);
  });
});

function envelope(
  outcome: ClipOutcome,
  finishedAt: number,
  platform: 'twitch' | 'discord' = 'twitch',
): ReplyEnvelope {
  return {
    platform,
    result: {
      jobId: 'j1',
      broadcasterId: '1',
      broadcasterLogin: 's',
      broadcasterName: 'S',
      outcome,
      finishedAt,
    },
    requests: [
      {
        requestId: 'r1',
        broadcasterId: '1',
        broadcasterLogin: 's',
        broadcasterName: 'S',
        requester: { platform, userId: 'u1', displayName: 'alice' },
        replyTo:
          platform === 'twitch'
            ? { platform: 'twitch', channel: 's', parentMessageId: 'm1' }
            : { platform: 'discord', interactionId: 'i', guildId: 'g', channelId: 'c' },
        requestedAt: finishedAt - 5000,
      },
    ],
  };
}

const created: ClipOutcome = {
  status: 'created',
  clip: { id: 'c', url: 'u', editUrl: 'e', title: 't', broadcasterName: 'S' },
};
const failed: ClipOutcome = { status: 'failed', reason: 'twitch_unavailable' };

describe('judgeFreshness (the stale-answer rule)', () => {
  const now = 10_000_000;
  it('sends fresh answers as they are', () => {
    const env = envelope(failed, now - 30_000);
    expect(judgeFreshness(env, now)).toEqual({ action: 'send', envelope: env, unthreaded: false });
  });

  it('drops a Twitch failure answer older than 30 s', () => {
    expect(judgeFreshness(envelope(failed, now - 30_001), now)).toEqual({
      action: 'drop',
      ageMs: 30_001,
    });
  });

  it('delivers an old clip, but as a plain message rather than a threaded reply', () => {
    const verdict = judgeFreshness(envelope(created, now - 120_000), now);
    expect(verdict.action).toBe('send');
    if (verdict.action !== 'send') return;
    expect(verdict.unthreaded).toBe(true);
    expect(verdict.envelope.requests[0]!.replyTo).toEqual({ platform: 'twitch', channel: 's' });
    expect(verdict.envelope.result.outcome).toEqual(created);
  });

  it('leaves Discord answers alone (they edit the asker’s own reply)', () => {
    const env = envelope(failed, now - 600_000, 'discord');
    expect(judgeFreshness(env, now).action).toBe('send');
  });
});
