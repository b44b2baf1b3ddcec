import { describe, expect, it } from 'vitest';
import { agoSeconds, parseAgo } from '../../commands/clip-ago.js';
import { parseClipRef } from '../../commands/clips/clip-ref.js';
import { allCommands } from '../../commands/index.js';
import { UserError } from '../../src/core/command.js';
import { parseVideoIds } from '../../commands/vod/delete.js';
import { ChatCommandIndex, parseChatCommand } from '../../src/core/chat-syntax.js';
import { planPastClip } from '../../src/clips/past-clip.js';
import { rescueOffsetS, wantsRescue } from '../../src/clips/rescue-link.js';
import {
  clipVodUrl,
  formatVodTime,
  parseTwitchDuration,
  vodMomentUrl,
} from '../../src/core/vod-time.js';

const index = new ChatCommandIndex(allCommands());
const parse = (text: string) => parseChatCommand(text, index, '!');
function userError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof UserError) return err.message;
    throw err;
  }
  throw new Error('no UserError');
}

const ID = 'AwkwardHelplessSalamanderSwiftRage-Ab3_xYz9Qw';

describe('clip links', () => {
  it.each([
    [ID],
    ['GentleQuietOtterKappa'],
    [`https://clips.twitch.tv/${ID}`],
    [`http://clips.twitch.tv/${ID}/`],
    [`clips.twitch.tv/${ID}?tt_medium=clips_api&tt_content=url`],
    [`https://clips.twitch.tv/${ID}/edit`],
    [`https://clips.twitch.tv/embed?clip=${ID}&parent=example.com`],
    [`https://www.twitch.tv/streamer/clip/${ID}`],
    [`https://www.twitch.tv/streamer/clip/${ID}?filter=clips&range=7d&sort=time`],
    [`twitch.tv/streamer/clip/${ID}#t`],
    [`https://m.twitch.tv/streamer/clip/${ID}`],
    [`https://m.twitch.tv/clip/${ID}`],
    [`https://player.twitch.tv/?clip=${ID}&parent=x`],
    [`<https://clips.twitch.tv/${ID}>`],
    [`  HTTPS://WWW.TWITCH.TV/streamer/clip/${ID}  `],
  ])('reads the id from %s', (input) => {
    const ref = parseClipRef(input);
    expect(ref.ok).toBe(true);
    expect(ref.ok && ref.id).toBe(input.includes(ID) ? ID : input.trim());
  });

  it.each([
    ['https://www.twitch.tv/videos/123456?t=1h2m3s', 'video'],
    ['https://www.twitch.tv/streamer', 'channel'],
    ['https://www.twitch.tv/streamer/clips', 'channel'],
    ['https://clips.twitch.tv/', 'not_a_clip'],
    ['https://youtu.be/dQw4w9WgXcQ', 'not_a_clip'],
    ['https://twitch.tv.evil.example/streamer/clip/abc', 'not_a_clip'],
    ['javascript:alert(1)', 'not_a_clip'],
    ['not a clip!', 'not_a_clip'],
    ['', 'not_a_clip'],
    ['https://www.twitch.tv/streamer/clip/', 'not_a_clip'],
  ])('refuses %s (%s)', (input, why) => {
    expect(parseClipRef(input)).toEqual({ ok: false, why });
  });
});

describe('clip the past: times', () => {
  it('reads the forms people type', () => {
    expect(parseAgo('2m')).toBe(120);
    expect(parseAgo('-2m')).toBe(120);
    expect(parseAgo('-90s')).toBe(90);
    expect(parseAgo('1m30s')).toBe(90);
    expect(parseAgo('1h5m')).toBe(3900);
    expect(parseAgo('90')).toBe(90);
    expect(parseAgo('2 m')).toBe(120);
    expect(parseAgo('yesterday')).toBeUndefined();
    expect(parseAgo('m')).toBeUndefined();
    expect(parseAgo('')).toBeUndefined();
    expect(userError(() => agoSeconds('0s'))).toMatch(/leave out the time/);
    expect(userError(() => agoSeconds('49h'))).toMatch(/at most 48 hours/);
  });

  it('parses !clip -2m [title] without disturbing the other forms', () => {
    expect(parse('clip -2m what a save')).toEqual({
      command: 'clip',
      options: { ago: '-2m', title: 'what a save' },
    });
    expect(parse('clip -1m30s 20 the dive')?.options).toEqual({
      ago: '-1m30s',
      duration: 20,
      title: 'the dive',
    });
    expect(parse('clip -90s')?.options).toEqual({ ago: '-90s' });
    expect(parse('clip 45 -2m')?.options).toEqual({ duration: 45, title: '-2m' });
    expect(parse('clip -_- lol')?.options).toEqual({ title: '-_- lol' });
    expect(userError(() => parse('clip -4'))).toBe('duration must be between 5 and 60.');
  });

  it('places the clip in the VOD: vod_offset is where it ends', () => {
    const vod = { id: '1', startMs: 1_000_000, durationS: 600 };
    const requestedAt = vod.startMs + 500_000;
    expect(planPastClip({ requestedAt, vod: { agoS: 120 } }, vod)).toEqual({
      vodId: '1',
      vodOffset: 380,
      duration: 30,
    });
    expect(planPastClip({ requestedAt, duration: 20, vod: { agoS: 480 } }, vod).vodOffset).toBe(20);
    const reason = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return (err as { reason?: string }).reason;
      }
      return undefined;
    };
    expect(reason(() => planPastClip({ requestedAt, duration: 21, vod: { agoS: 480 } }, vod))).toBe(
      'before_stream',
    );
    expect(reason(() => planPastClip({ requestedAt, vod: { agoS: 600 } }, vod))).toBe(
      'before_stream',
    );
    expect(
      reason(() => planPastClip({ requestedAt, vod: { agoS: 1 } }, { ...vod, durationS: 400 })),
    ).toBe('vod_not_ready');
  });
});

describe('VOD links', () => {
  it('formats and reads Twitch times', () => {
    expect(formatVodTime(0)).toBe('0h0m0s');
    expect(formatVodTime(125.9)).toBe('0h2m5s');
    expect(formatVodTime(3600)).toBe('1h0m0s');
    expect(formatVodTime(-5)).toBe('0h0m0s');
    expect(parseTwitchDuration('3h8m33s')).toBe(11_313);
    expect(parseTwitchDuration('45m2s')).toBe(2702);
    expect(parseTwitchDuration('17s')).toBe(17);
    expect(parseTwitchDuration('soon')).toBeUndefined();
    expect(vodMomentUrl('123', 75)).toBe('https://www.twitch.tv/videos/123?t=0h1m15s');
    expect(() => vodMomentUrl('../x', 1)).toThrow();
    expect(clipVodUrl({ video_id: '9', vod_offset: 61 })).toBe(
      'https://www.twitch.tv/videos/9?t=0h1m1s',
    );
    expect(clipVodUrl({ video_id: '9', vod_offset: null })).toBe('https://www.twitch.tv/videos/9');
    expect(clipVodUrl({ video_id: '', vod_offset: 3 })).toBeUndefined();
  });

  it('starts a rescue link a few seconds before a live moment, at the window of a past one', () => {
    const start = 1_000_000;
    expect(rescueOffsetS({ requestedAt: start + 300_500 }, start, 10)).toBe(290);
    expect(rescueOffsetS({ requestedAt: start + 5_000 }, start, 10)).toBe(0);
    expect(rescueOffsetS({ requestedAt: start + 300_000, vod: { agoS: 60 } }, start, 10)).toBe(210);
    expect(
      rescueOffsetS({ requestedAt: start + 300_000, duration: 15, vod: { agoS: 60 } }, start, 10),
    ).toBe(225);
  });

  it('rescues failures a VOD can help with, and nothing else', () => {
    expect(wantsRescue({ status: 'not_visible', clipId: 'a', editUrl: 'e' })).toBe(true);
    for (const reason of [
      'clips_disabled',
      'clips_restricted',
      'not_clippable',
      'twitch_unavailable',
      'vod_scope_missing',
    ] as const) {
      expect(wantsRescue({ status: 'failed', reason })).toBe(true);
    }
    for (const reason of ['offline', 'unknown_channel', 'no_vod', 'before_stream'] as const) {
      expect(wantsRescue({ status: 'failed', reason })).toBe(false);
    }
    expect(
      wantsRescue({
        status: 'created',
        clip: { id: 'a', url: 'u', editUrl: 'e', title: 't', broadcasterName: 'b' },
      }),
    ).toBe(false);
  });
});

describe('library chat syntax', () => {
  it('reads periods, the word featured, game names and clip links', () => {
    expect(parse('clips week featured')).toEqual({
      command: 'clips',
      subcommand: 'top',
      options: { period: 'week', featured: 'featured' },
    });
    expect(parse('clips featured')?.options).toEqual({ featured: 'featured' });
    expect(userError(() => parse('clips yearly'))).toBe(
      'period must be one of day, week, month, all.',
    );
    expect(parse('clips game week Just Chatting')).toEqual({
      command: 'clips',
      subcommand: 'game',
      options: { period: 'week', name: 'Just Chatting' },
    });
    expect(parse('clips game Monster Hunter: World')?.options).toEqual({
      name: 'Monster Hunter: World',
    });
    expect(parse(`clipinfo https://clips.twitch.tv/${ID}`)).toEqual({
      command: 'clips',
      subcommand: 'info',
      options: { clip: `https://clips.twitch.tv/${ID}` },
    });
    expect(parse('clips recent')).toEqual({ command: 'clips', subcommand: 'recent', options: {} });
    expect(parse('vod')).toEqual({ command: 'vod', subcommand: 'now', options: {} });
    expect(parse('vod delete 123')).toEqual({
      command: 'vod',
      subcommand: 'delete',
      options: { ids: '123' },
    });
  });
});

describe('video ids for /vod delete', () => {
  it('reads ids and video links, up to 5', () => {
    expect(parseVideoIds('123, 456 https://www.twitch.tv/videos/789?t=1s 123')).toEqual([
      '123',
      '456',
      '789',
    ]);
    expect(userError(() => parseVideoIds('1 2 3 4 5 6'))).toBe(
      "At most 5 videos at a time (Twitch's limit).",
    );
    expect(userError(() => parseVideoIds('https://clips.twitch.tv/abc'))).toBe(
      '"https://clips.twitch.tv/abc" is not a video id or video link.',
    );
    expect(userError(() => parseVideoIds(' , '))).toBe('Which videos? Give their ids or links.');
  });
});
