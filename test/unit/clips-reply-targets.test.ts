import { describe, expect, it } from 'vitest';
import { mergeKey, mergeRequests, splitByTarget } from '../../src/replies/reply-targets.js';
import type { ClipRequest, ReplyEnvelope, ReplyTarget } from '../../src/core/clip.js';

function req(id: string, replyTo: ReplyTarget): ClipRequest {
  return {
    requestId: id,
    broadcasterId: '1',
    broadcasterLogin: 'streamer',
    broadcasterName: 'Streamer',
    requester: { platform: replyTo.platform, userId: `u-${id}`, displayName: id },
    replyTo,
    requestedAt: 0,
  };
}

const twitchIn = (channel: string): ReplyTarget => ({ platform: 'twitch', channel });
const discordAt = (interactionId: string): ReplyTarget => ({
  platform: 'discord',
  interactionId,
  guildId: 'g',
  channelId: 'c',
});

function envelope(platform: 'twitch' | 'discord', requests: ClipRequest[]): ReplyEnvelope {
  return {
    platform,
    requests,
    result: {
      jobId: 'job-1',
      broadcasterId: '1',
      broadcasterLogin: 'streamer',
      broadcasterName: 'Streamer',
      outcome: { status: 'failed', reason: 'offline' },
      finishedAt: 0,
    },
  };
}

describe('splitByTarget', () => {
  it('keeps a Twitch envelope whole when every requester asked in one channel', () => {
    const env = envelope('twitch', [
      req('a', twitchIn('#Streamer')),
      req('b', twitchIn('streamer')),
    ]);
    expect(splitByTarget(env)).toEqual([{ key: 'twitch:streamer', envelope: env }]);
  });

  it('splits a Twitch envelope by channel, each part naming only its requesters', () => {
    const a = req('a', twitchIn('one'));
    const b = req('b', twitchIn('two'));
    const c = req('c', twitchIn('one'));
    const parts = splitByTarget(envelope('twitch', [a, b, c]));
    expect(parts.map((p) => p.key)).toEqual(['twitch:one', 'twitch:two']);
    expect(parts[0]!.envelope.requests).toEqual([a, c]);
    expect(parts[1]!.envelope.requests).toEqual([b]);
  });

  it('gives each Discord interaction its own target, and a post its channel', () => {
    const parts = splitByTarget(
      envelope('discord', [req('a', discordAt('i1')), req('b', discordAt('i2'))]),
    );
    expect(parts.map((p) => p.key)).toEqual(['discord:interaction:i1', 'discord:interaction:i2']);
    const post = {
      ...envelope('discord', [req('a', twitchIn('x'))]),
      post: { guildId: 'g', channelId: 'p1' },
    };
    expect(splitByTarget(post)).toEqual([{ key: 'discord:post:p1', envelope: post }]);
  });

  it('keeps an envelope without requests as one target', () => {
    expect(splitByTarget(envelope('twitch', []))).toHaveLength(1);
  });
});

describe('merging answers of one clip', () => {
  it('merges Twitch replies by job, never Discord answers nor posts', () => {
    expect(mergeKey(envelope('twitch', []))).toBe('job-1');
    expect(mergeKey(envelope('discord', []))).toBeUndefined();
    expect(
      mergeKey({ ...envelope('twitch', []), post: { guildId: 'g', channelId: 'c' } }),
    ).toBeUndefined();
  });

  it('names each request once, in order', () => {
    const a = req('a', twitchIn('x'));
    const b = req('b', twitchIn('x'));
    expect(mergeRequests([[a, b], [b], [a]])).toEqual([a, b]);
  });
});
