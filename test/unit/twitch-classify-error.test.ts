import { describe, expect, it } from 'vitest';
import { chatSafeTwitchText, classifyHelixFailure } from '../../src/twitch/classify-error.js';
import type { HelixErrorKind } from '../../src/twitch/errors.js';

// Texts from Twitch's reference (test/fixtures/helix-contract/) and observed variants.
const cases: [number, string, string, string, HelixErrorKind][] = [
  // Real Twitch's Create Clip 403s (Chatterino/chatterino2 src/providers/twitch/api/Helix.cpp
  // matches these substrings; the category text is quoted whole by a public auto-clipper).
  [403, 'POST', '/clips', 'Clipping is restricted for this channel.', 'clips_disabled'],
  [
    403,
    'POST',
    '/clips',
    'User does not have permissions to clip on this channel.',
    'clips_restricted',
  ],
  [
    403,
    'POST',
    '/clips',
    'Clipping is restricted for this category on this channel.',
    'not_clippable',
  ],
  [403, 'POST', '/clips', 'Something Twitch never said before.', 'forbidden'],
  [
    404,
    'POST',
    '/clips',
    'The broadcaster in the broadcaster_id query parameter must be broadcasting live.',
    'not_live',
  ],
  [404, 'POST', '/clips', '', 'not_live'],
  [
    404,
    'POST',
    '/videos/clips',
    'The broadcaster in the broadcaster_id query parameter must be broadcasting live.',
    'not_live',
  ],
  [404, 'POST', '/videos/clips', 'The VOD is not found.', 'not_found'],
  [
    404,
    'POST',
    '/videos/clips',
    'The broadcaster_id or the editor_id does not exist.',
    'unknown_broadcaster',
  ],
  [404, 'GET', '/clips', 'The ID in game_id was not found.', 'not_found'],
  [
    403,
    'POST',
    '/clips',
    'The broadcaster has restricted the ability to capture clips to followers and/or subscribers only.',
    'clips_restricted',
  ],
  [
    403,
    'POST',
    '/clips',
    'The specified broadcaster has not enabled clips on their channel.',
    'clips_disabled',
  ],
  [
    403,
    'POST',
    '/clips',
    'The user is banned or timed out from the broadcaster’s channel.',
    'banned',
  ],
  [
    403,
    'POST',
    '/videos/clips',
    "The user is banned or timed out from the broadcaster's channel.",
    'banned',
  ],
  [
    403,
    'POST',
    '/videos/clips',
    'The user defined by the editor_id is not authorized to create Clips.',
    'forbidden',
  ],
  [403, 'GET', '/users', 'Forbidden', 'forbidden'],
  [400, 'POST', '/clips', 'The category is not clippable.', 'not_clippable'],
  [400, 'POST', '/clips', 'The title did not pass AutoMod checks.', 'title_rejected'],
  [
    400,
    'POST',
    '/clips',
    'The ID in the broadcaster_id query parameter was not found.',
    'unknown_broadcaster',
  ],
  [400, 'POST', '/clips', 'Missing required parameter "broadcaster_id"', 'bad_request'],
  [
    400,
    'POST',
    '/clips',
    'The duration must be between 5 and 60 seconds, with a precision of 0.1.',
    'bad_request',
  ],
  [400, 'POST', '/clips', 'The title must be at most 100 characters.', 'bad_request'],
  [400, 'GET', '/clips', 'The ID in game_id was not found.', 'bad_request'],
  [401, 'POST', '/clips', 'Missing scope: clips:edit', 'missing_scope'],
  [
    401,
    'POST',
    '/clips',
    'The user access token must include the clips:edit scope.',
    'missing_scope',
  ],
  [401, 'GET', '/streams', 'Invalid OAuth token', 'unauthorized'],
  [401, 'GET', '/streams', '', 'unauthorized'],
  [429, 'GET', '/streams', 'Too Many Requests', 'rate_limited'],
  [500, 'POST', '/clips', 'Internal Server Error', 'server_error'],
  [503, 'GET', '/clips', '', 'server_error'],
  [409, 'GET', '/clips', 'Conflict', 'bad_request'],
];

describe('classifyHelixFailure', () => {
  it.each(cases)('%i %s %s "%s" -> %s', (status, method, path, message, kind) => {
    expect(classifyHelixFailure({ status, method, path, message })).toBe(kind);
  });

  it('treats the method case-insensitively', () => {
    expect(classifyHelixFailure({ status: 404, method: 'post', path: '/clips', message: '' })).toBe(
      'not_live',
    );
  });
});

describe('chatSafeTwitchText', () => {
  it('strips control and invisible characters, collapses spaces and bounds the length', () => {
    expect(chatSafeTwitchText('\u0001 Nope\r\n\tnot\u200b here \u{E0020}')).toBe('Nope not here');
    const long = chatSafeTwitchText('word '.repeat(100), 40);
    expect(long).toHaveLength(40);
    expect(long.endsWith('…')).toBe(true);
  });
});
