import { describe, expect, it } from 'vitest';
import { clipVodUrl } from '../../src/core/vod-time.js';
import { isValidLogin, nextCursor } from '../../src/twitch/helix-client.js';

describe('edges real Twitch answers have', () => {
  it('a last page may carry a cursor {"b":null,"a":""}: there is no next page', () => {
    expect(Buffer.from('eyJiIjpudWxsLCJhIjoiIn0', 'base64').toString()).toBe('{"b":null,"a":""}');
    expect(nextCursor('eyJiIjpudWxsLCJhIjoiIn0')).toBeUndefined();
    expect(nextCursor('')).toBeUndefined();
    const more = Buffer.from('{"b":null,"a":{"Cursor":"MTA="}}').toString('base64');
    expect(nextCursor(more)).toBe(more);
    expect(nextCursor('opaque-cursor')).toBe('opaque-cursor');
  });

  it('a clip with video_id but no vod_offset links to the VOD, never ?t=NaNhNaNmNaNs', () => {
    expect(clipVodUrl({ video_id: '123' })).toBe('https://www.twitch.tv/videos/123');
    expect(clipVodUrl({ video_id: '123', vod_offset: null })).toBe(
      'https://www.twitch.tv/videos/123',
    );
    expect(clipVodUrl({ video_id: '123', vod_offset: 65 })).toBe(
      'https://www.twitch.tv/videos/123?t=0h1m5s',
    );
    expect(clipVodUrl({ video_id: '', vod_offset: 65 })).toBeUndefined();
  });

  it('checks logins before a batch goes to GET /users', () => {
    expect(isValidLogin('summit1g')).toBe(true);
    expect(isValidLogin('not a login!')).toBe(false);
    expect(isValidLogin('x'.repeat(26))).toBe(false);
  });
});
