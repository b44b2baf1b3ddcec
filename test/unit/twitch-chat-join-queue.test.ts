import { afterEach, describe, expect, it, vi } from 'vitest';
import { JoinQueue } from '../../src/chat/twitch/join-queue.js';
import { TWITCH_LIMITS } from '../../src/chat/twitch/limits.js';
import { silentLogger } from '../../src/logger.js';

afterEach(() => vi.useRealTimers());

describe('JoinQueue', () => {
  it("paces JOINs to Twitch's join rate, counted from Twitch's answer to each", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: 1_000_000 });
    const sent: { channel: string; at: number }[] = [];
    const queue = new JoinQueue({
      limits: { ...TWITCH_LIMITS, joinWindowMs: 400, joinLimit: 2, marginMs: 10 },
      log: silentLogger(),
      part: async () => undefined,
      // Twitch answers each JOIN 100 ms after it left: it may have arrived as late as that.
      join: async (channel) => {
        sent.push({ channel, at: Date.now() });
        await new Promise((r) => setTimeout(r, 100));
      },
    });
    const started = Date.now();
    queue.setWanted(['a', 'b', 'c', 'd', 'e']);
    queue.onConnected();
    await vi.runAllTimersAsync();
    expect(queue.joinedChannels().sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(sent.map((s) => [s.channel, s.at - started])).toEqual([
      ['a', 0],
      ['b', 0],
      // A window plus the margin after the answers to the first two.
      ['c', 100 + 410],
      ['d', 100 + 410],
      ['e', 2 * (100 + 410)],
    ]);
  });
});
