import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { WAIT_TEXT } from '../../src/clips/reasons.js';
import { LocalWorld } from '../../standins/local-world.js';
import { roleStarter } from '../helpers/cli-process.js';
import { waitFor } from '../helpers/e2e-harness.js';
import { cleanupPrefix, testRedis, testRedisUrl, uniquePrefix } from '../helpers/redis.js';

/**
 * Fast takeover, over real processes: a bot process and two `clipbot start --role worker`
 * processes with the production lock settings; the worker making the clip is killed with
 * SIGKILL after Create Clip, and the other one finishes the same clip and answers.
 * The time is reported, and bounded loosely (the bench measures it: takeover in bench/).
 */

const redis = testRedis();
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(() => redis.disconnect());

const CREATED = /clip created; waiting until it is visible/;

describe('a worker killed mid-job', () => {
  it('has its job resumed by another worker, which makes no second clip and answers once', async () => {
    const prefix = uniquePrefix('takeover');
    cleanups.push(() => cleanupPrefix(redis, prefix));
    // Visible 6 s after Create Clip: the job is surely still active when its worker dies.
    const world = await new LocalWorld({
      channels: ['streamer'],
      clipVisibleAfterMs: 6000,
    }).start();
    cleanups.push(() => world.stop());
    const start = roleStarter(world, { url: testRedisUrl(), prefix }, cleanups);
    const bot = start('bot');
    const workers = [start('worker'), start('worker')];
    await Promise.all([bot, ...workers].map((r) => r.waitForStdout(/clipbot started/, 60_000)));
    await waitFor(() => world.chat.joined('streamer'), { timeoutMs: 15_000, what: 'the bot' });

    const asked = world.chat.say('streamer', { login: 'alice', role: 'viewer', text: '!clip' });
    await waitFor(() => workers.some((w) => CREATED.test(w.stdout())), {
      timeoutMs: 15_000,
      what: 'Create Clip in one of the workers',
    });
    const victim = workers.find((w) => CREATED.test(w.stdout()))!;
    const heir = workers.find((w) => w !== victim)!;
    victim.child.kill('SIGKILL');
    const killedAt = Date.now();

    const [resumed] = await heir.waitForStdout(
      /"time":(\d+)[^\n]*"msg":"resuming clip job"/,
      20_000,
    );
    const answer = await world.chat.waitForMessage(
      (m) => m.replyParentMsgId === asked && m.text.includes('clips.twitch.tv/'),
      { timeoutMs: 20_000 },
    );
    const resumedAt = Number(/"time":(\d+)/.exec(resumed)![1]);
    const takeoverMs = resumedAt - killedAt;
    console.log(
      `takeover: resumed ${takeoverMs} ms after kill -9; answered ${answer.at - killedAt} ms after`,
    );
    expect(takeoverMs).toBeLessThan(20_000);
    expect(world.twitch.count('POST', '/helix/clips')).toBe(1);
    await new Promise((r) => setTimeout(r, 500));
    const replies = world.chat.sent.filter((m) => m.replyParentMsgId === asked).map((m) => m.text);
    // One answer with the clip; besides it, at most the one notice that the resumed clip is
    // on its way (said when the asker has waited over 4 s, as after a takeover).
    expect(replies.filter((t) => t.includes('clips.twitch.tv/'))).toHaveLength(1);
    const notices = replies.filter((t) => !t.includes('clips.twitch.tv/'));
    expect(notices.length).toBeLessThanOrEqual(1);
    for (const n of notices) expect(n).toBe(`@alice ${WAIT_TEXT.recovering}`);
  });
});
