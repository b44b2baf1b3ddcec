import { describe, expect, it } from 'vitest';
import { clipInfoLine } from '../../commands/clips/info.js';
import { askedByText } from '../../commands/clips/recent.js';
import { topClipsLine } from '../../commands/clips/top.js';
import { lengthText, timeAgo } from '../../commands/library-text.js';
import { recentClipBase, type RecentClip } from '../../src/clips/recent-clips.js';
import type { ClipRequest } from '../../src/core/clip.js';
import type { HelixClip } from '../../src/twitch/types.js';

const clip = (over: Partial<HelixClip> = {}): HelixClip => ({
  id: 'BraveOtter-x1',
  url: 'https://clips.twitch.tv/BraveOtter-x1',
  embed_url: '',
  broadcaster_id: '1',
  broadcaster_name: 'Streamer',
  creator_id: '2',
  creator_name: 'Fan',
  video_id: '77',
  game_id: '27471',
  language: 'en',
  title: 'the jump',
  view_count: 1500,
  created_at: '2024-05-01T13:04:59Z',
  thumbnail_url: '',
  duration: 30,
  vod_offset: 3725,
  is_featured: true,
  ...over,
});

describe('clip info line', () => {
  it('names everything a viewer asks about, with the VOD moment', () => {
    expect(clipInfoLine(clip())).toBe(
      '"the jump" · channel Streamer · clipped by Fan · 1,500 views · 30 s · created 2024-05-01 13:04 UTC · featured · VOD at 1h2m5s: https://www.twitch.tv/videos/77?t=1h2m5s · https://clips.twitch.tv/BraveOtter-x1',
    );
    expect(clipInfoLine(clip({ video_id: '', vod_offset: null, is_featured: false }))).toContain(
      '· VOD: none ·',
    );
  });
});

describe('top clips line', () => {
  it('says featured and names channels when asked', () => {
    const line = topClipsLine('Minecraft', 'week', [clip()], 3, {
      featured: true,
      withChannel: true,
    });
    expect(line).toBe(
      'Top featured clips of Minecraft in the last 7 days: 1. the jump [Streamer] (1,500 views) https://clips.twitch.tv/BraveOtter-x1',
    );
  });
});

describe('recent clips', () => {
  const request: ClipRequest = {
    requestId: 'r',
    broadcasterId: '1',
    broadcasterLogin: 'streamer',
    broadcasterName: 'Streamer',
    title: 'asked title',
    duration: 20,
    requester: { platform: 'twitch', userId: 'u', displayName: 'Ann' },
    replyTo: { platform: 'twitch', channel: 'streamer' },
    requestedAt: 0,
    vod: { agoS: 60 },
  };

  it('records made clips (visible or not) and nothing for failures', () => {
    expect(
      recentClipBase(request, { status: 'not_visible', clipId: 'c', editUrl: 'https://e' }, 5),
    ).toEqual({
      clipId: 'c',
      url: 'https://e',
      title: 'asked title',
      status: 'not_visible',
      at: 5,
      duration: 20,
      agoS: 60,
    });
    expect(recentClipBase(request, { status: 'failed', reason: 'offline' }, 5)).toBeUndefined();
  });

  it('names each person once, then how many more', () => {
    const r = (userId: string, displayName: string, platform: 'twitch' | 'discord' = 'twitch') => ({
      platform,
      userId,
      displayName,
    });
    const c: RecentClip = {
      clipId: 'c',
      url: 'u',
      status: 'created',
      at: 0,
      requesters: [
        r('1', 'Ann'),
        r('1', 'Ann'),
        r('2', 'Bob'),
        r('1', 'Ann', 'discord'),
        r('3', 'Cy'),
        r('4', 'Di'),
      ],
    };
    expect(askedByText(c)).toBe('Ann, Bob, Ann +2');
    expect(askedByText({ ...c, requesters: [] })).toBe('someone');
  });

  it('says lengths and ages plainly', () => {
    expect(lengthText(27.5)).toBe('28 s');
    expect(lengthText(90)).toBe('1 min 30 s');
    expect(lengthText(3600)).toBe('1 h');
    expect(timeAgo(0, 30_000)).toBe('just now');
    expect(timeAgo(0, 5 * 60_000)).toBe('5 min ago');
    expect(timeAgo(0, 3 * 3_600_000)).toBe('3 h ago');
    expect(timeAgo(0, 86_400_000)).toBe('1 day ago');
  });
});
