import { describe, expect, it } from 'vitest';
import { chunk } from '../../src/twitch/helix-client.js';
import { seedHash } from '../../src/twitch/token-manager.js';
import { OAuthError } from '../../src/twitch/oauth-client.js';

describe('chunk', () => {
  it('splits into pieces of at most the size, keeping order', () => {
    const ids = Array.from({ length: 250 }, (_, i) => String(i));
    const pieces = chunk(ids, 100);
    expect(pieces.map((p) => p.length)).toEqual([100, 100, 50]);
    expect(pieces.flat()).toEqual(ids);
    expect(chunk([], 100)).toEqual([]);
  });
});

describe('seedHash', () => {
  it('is stable, short, and changes with either token', () => {
    const a = seedHash({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    expect(a).toBe(seedHash({ accessToken: 'access-1', refreshToken: 'refresh-1' }));
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(a).not.toContain('access-1');
    expect(seedHash({ accessToken: 'access-2', refreshToken: 'refresh-1' })).not.toBe(a);
    expect(seedHash({ accessToken: 'access-1', refreshToken: 'refresh-2' })).not.toBe(a);
    expect(seedHash({ accessToken: 'access-1' })).not.toBe(a);
  });
});

describe('OAuthError', () => {
  it('is transient for no answer, 429 and 5xx only', () => {
    expect(new OAuthError(0, 'POST /oauth2/token', 'ETIMEDOUT').transient).toBe(true);
    expect(new OAuthError(503, 'POST /oauth2/token', '').transient).toBe(true);
    expect(new OAuthError(429, 'POST /oauth2/token', '').transient).toBe(true);
    expect(new OAuthError(400, 'POST /oauth2/token', 'Invalid refresh token').transient).toBe(
      false,
    );
    expect(new OAuthError(401, 'POST /oauth2/token', '').transient).toBe(false);
  });
});
