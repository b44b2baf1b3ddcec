import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { LocalWorld } from '../../standins/local-world.js';
import { roleStarter } from '../helpers/cli-process.js';
import { waitFor } from '../helpers/e2e-harness.js';
import { cleanupPrefix, testRedis, testRedisUrl, uniquePrefix } from '../helpers/redis.js';

/**
 * The drill of issue 13, over real processes: `clipbot start --role bot` takes a `!clip 10`
 * while no worker runs; a `clipbot start --role worker` starts only seconds later, past the
 * moment a live 10 s clip could still hold (5 s). The worker clips the asked moment from
 * the VOD: Create Clip From VOD ends at the line's tmi-sent-ts, and no live clip is made.
 */

const redis = testRedis();
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(() => redis.disconnect());

/** How long after the request the worker starts: past the 10 s clip's 5 s. */
const WORKER_LATE_MS = 8_000;

describe('a worker that starts late', () => {
  it('clips the asked moment from the VOD, not a live clip of later', async () => {
    const prefix = uniquePrefix('late');
    cleanups.push(() => cleanupPrefix(redis, prefix));
    const world = await new LocalWorld({ channels: ['streamer'] }).start();
    cleanups.push(() => world.stop());
    const startMs = Math.floor(Date.now() / 1000) * 1000 - 600_000;
    world.twitch.setLive('streamer', true, { startedAt: new Date(startMs) });
    world.twitch.setChannel('streamer', { editors: [world.botLogin] });
    const start = roleStarter(world, { url: testRedisUrl(), prefix }, cleanups);
    const bot = start('bot');
    await bot.waitForStdout(/clipbot started/, 60_000);
    await waitFor(() => world.chat.joined('streamer'), { timeoutMs: 15_000, what: 'the bot' });

    const asked = world.chat.say('streamer', { login: 'alice', role: 'viewer', text: '!clip 10' });
    const askedAt = Date.now();
    // The job waits in the queue; the worker comes WORKER_LATE_MS later (its start-up adds more).
    await new Promise((r) => setTimeout(r, WORKER_LATE_MS));
    const worker = start('worker');
    const answer = await world.chat.waitForMessage(
      (m) => m.replyParentMsgId === asked && m.text.includes('clips.twitch.tv/'),
      { timeoutMs: 60_000 },
    );
    const calls = world.twitch.journal.filter(
      (e) => e.method === 'POST' && e.path === '/helix/videos/clips' && e.status === 202,
    );
    expect(calls).toHaveLength(1);
    const call = calls[0]!;
    const offset = Number(call.query.vod_offset?.[0]);
    // The stand-in stamps the line when it sends it, the moment `say` returns.
    const expected = Math.floor((askedAt - startMs) / 1000);
    console.log(
      `late worker: Create Clip From VOD ${((call.at - askedAt) / 1000).toFixed(1)} s after !clip; vod_offset ${offset} (asked at ${expected}), duration ${call.query.duration?.[0]}`,
    );
    expect(Math.abs(offset - expected)).toBeLessThanOrEqual(1);
    expect(call.query.duration).toEqual(['10']);
    expect(world.twitch.count('POST', '/helix/clips')).toBe(0);
    expect(worker.stdout()).toMatch(/too late for its moment; clipping it from the VOD/);
    await new Promise((r) => setTimeout(r, 500));
    expect(world.chat.sent.filter((m) => m.replyParentMsgId === asked)).toHaveLength(1);
    expect(answer.text).toMatch(/^@alice Clip: /);
  });
});
