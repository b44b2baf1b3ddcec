import { SnowflakeUtil } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { rejectLateCallback } from '../../src/chat/discord/callback-rate-limit.js';

const ROUTE = '/interactions/:id/:token/callback';

function callbackUrl(createdAt: number): string {
  const id = SnowflakeUtil.generate({ timestamp: createdAt }).toString();
  return `https://discord.com/api/v10/interactions/${id}/tok/callback`;
}

describe('rejectLateCallback', () => {
  const now = 1_800_000_000_000;

  it('waits out a short 429 that ends before the 3 s deadline', () => {
    expect(
      rejectLateCallback({ route: ROUTE, url: callbackUrl(now - 200), retryAfter: 500 }, now),
    ).toBe(false);
  });

  it('gives up on a 429 that would end past the deadline', () => {
    expect(
      rejectLateCallback({ route: ROUTE, url: callbackUrl(now - 200), retryAfter: 4000 }, now),
    ).toBe(true);
    expect(
      rejectLateCallback({ route: ROUTE, url: callbackUrl(now - 2500), retryAfter: 600 }, now),
    ).toBe(true);
  });

  it('leaves every other route to @discordjs/rest', () => {
    expect(
      rejectLateCallback(
        {
          route: '/channels/:id/messages',
          url: 'https://x/channels/1/messages',
          retryAfter: 60_000,
        },
        now,
      ),
    ).toBe(false);
  });

  it('with a clock far from Discord, only short waits are retried', () => {
    const url = callbackUrl(now - 3_600_000);
    expect(rejectLateCallback({ route: ROUTE, url, retryAfter: 500 }, now)).toBe(false);
    expect(rejectLateCallback({ route: ROUTE, url, retryAfter: 4000 }, now)).toBe(true);
  });
});
