import { describe, expect, it } from 'vitest';
import { topClipsLine } from '../../commands/clips/top.js';
import { settingsSummary } from '../../commands/settings-summary.js';
import { DEFAULT_CHANNEL_SETTINGS } from '../../src/core/channel-settings.js';
import type { HelixClip } from '../../src/twitch/types.js';

function clip(i: number, views: number, title = `clip number ${i}`): HelixClip {
  return {
    id: `Clip${i}`,
    url: `https://clips.twitch.tv/SomeLongClipSlug-${i}-AbCdEfGhIjKlMnOp`,
    embed_url: '',
    broadcaster_id: '1',
    broadcaster_name: 'Streamer',
    creator_id: '2',
    creator_name: 'Ann',
    video_id: '',
    game_id: '',
    language: 'en',
    title,
    view_count: views,
    created_at: '2026-01-01T00:00:00Z',
    thumbnail_url: '',
    duration: 30,
    vod_offset: null,
    is_featured: false,
  };
}

describe('top clips line', () => {
  it('numbers clips with their views and links', () => {
    const line = topClipsLine('Streamer', 'week', [clip(1, 1234), clip(2, 1)], 3);
    expect(line).toBe(
      'Top clips of Streamer in the last 7 days: 1. clip number 1 (1,234 views) https://clips.twitch.tv/SomeLongClipSlug-1-AbCdEfGhIjKlMnOp 2. clip number 2 (1 view) https://clips.twitch.tv/SomeLongClipSlug-2-AbCdEfGhIjKlMnOp',
    );
  });

  it('never passes 500 characters, whatever the titles', () => {
    const clips = Array.from({ length: 10 }, (_, i) => clip(i, 100 - i, 'T'.repeat(300)));
    const line = topClipsLine('Streamer', 'all', clips, 10);
    expect(line.length).toBeLessThanOrEqual(500);
    expect(line).toContain('1. ' + 'T'.repeat(39) + '…');
  });
});

describe('settings summary', () => {
  it('shows every setting in one line', () => {
    expect(settingsSummary(DEFAULT_CHANNEL_SETTINGS)).toBe(
      'clipping on · who: everyone · cooldown: channel 0s, user 15s · duration 30s (5-60) · title: {title} · delay 0s · auto clips off (normal, cooldown 120s, chat quiet, raids off)',
    );
  });
});
