import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TROUBLE_TEXT } from '../../src/chat/trouble-notice.js';
import { silentLogger } from '../../src/logger.js';
import { EmbeddedRedis } from '../../src/redis/embedded-redis.js';
import { LocalWorld } from '../../standins/local-world.js';
import type { BotMessage } from '../../standins/chat/stand-in.js';
import { runCli, type CliRun } from '../helpers/cli-process.js';
import { waitFor } from '../helpers/e2e-harness.js';

/**
 * Redis killed under a running `clipbot start` (its own process, real tmi.js against the
 * chat stand-in, a redis-server of this test's own): viewers hear that the bot is having
 * trouble, once per channel window; the process stays up; /healthz says Redis is down;
 * after Redis is back the next !clip works and no stale answer goes out.
 */

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const CLIP_LINK = 'clips.twitch.tv/';

async function health(
  opsUrl: string,
  token?: string,
): Promise<{ code: number; body: Record<string, unknown> }> {
  const res = await fetch(`${opsUrl}/healthz`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { code: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('a Redis outage under a running bot', () => {
  it('answers "having trouble" once per channel window, stays up, and recovers without stale answers', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'clipbot-outage-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const redis = new EmbeddedRedis({ dataDir: dir, log: silentLogger(), appendFsync: 'always' });
    const url = await redis.start();
    cleanups.push(() => redis.stop());
    const world = await new LocalWorld({
      channels: ['streamer', 'second'],
      clipVisibleAfterMs: 100,
    }).start();
    cleanups.push(() => world.stop());
    const run: CliRun = runCli(
      ['start'],
      world.env({
        REDIS_URL: url,
        REDIS_KEY_PREFIX: 'outage',
        LOG_FORMAT: 'json',
        LOG_LEVEL: 'info',
        CLIP_FIRST_POLL_MS: '50',
        CLIP_POLL_INTERVAL_MS: '50',
        SHUTDOWN_GRACE_S: '2',
      }),
    );
    cleanups.push(() => run.child.kill('SIGKILL'));
    const [, opsUrl] = await run.waitForStdout(/"ops":"(http:[^"]+)"[^\n]*serving \/healthz/);
    await run.waitForStdout(/clipbot started/, 30_000);
    const chat = world.chat;
    await waitFor(() => chat.joined('streamer') && chat.joined('second'), {
      timeoutMs: 15_000,
      what: 'the bot in both channels',
    });
    const said = (channel: string, m: BotMessage) => m.channel === channel;

    // Working before the outage.
    const before = chat.say('streamer', { login: 'alice', role: 'viewer', text: '!clip' });
    await chat.waitForMessage((m) => m.replyParentMsgId === before && m.text.includes(CLIP_LINK), {
      timeoutMs: 15_000,
    });

    await redis.stop('SIGKILL');
    const killedAt = Date.now();
    await waitFor(async () => (await health(opsUrl!)).code === 503, {
      timeoutMs: 10_000,
      what: '/healthz to say Redis is down',
    });
    // The public sees the status only; the token shows which check is down.
    expect((await health(opsUrl!)).body).toEqual({ status: 'down' });
    const detailed = await health(opsUrl!, world.opsToken);
    expect((detailed.body.checks as Record<string, { status: string }>).redis!.status).toBe('down');

    const first = chat.say('streamer', { login: 'bob', role: 'viewer', text: '!clip' });
    const trouble = await chat.waitForMessage(
      (m) => said('streamer', m) && m.text.includes(TROUBLE_TEXT),
      { timeoutMs: 10_000, after: killedAt },
    );
    expect(trouble.replyParentMsgId).toBe(first);
    // A second command in the window: no second trouble answer. The marker is the same
    // answer in another channel, asked after it on the same connection.
    chat.say('streamer', { login: 'carol', role: 'viewer', text: '!clip' });
    chat.say('streamer', { login: 'carol', role: 'viewer', text: '!clips' });
    chat.say('second', { login: 'dave', role: 'viewer', text: '!clip' });
    await chat.waitForMessage((m) => said('second', m) && m.text.includes(TROUBLE_TEXT), {
      timeoutMs: 10_000,
      after: killedAt,
    });
    await new Promise((r) => setTimeout(r, 300));
    const duringOutage = chat.sent.filter((m) => said('streamer', m) && m.at >= killedAt);
    expect(duringOutage.map((m) => m.text)).toEqual([expect.stringContaining(TROUBLE_TEXT)]);
    expect(run.child.exitCode).toBeNull();

    // Redis back (same port, its append-only file): the next !clip works.
    const restartedAt = Date.now();
    expect(await redis.start()).toBe(url);
    await waitFor(async () => (await health(opsUrl!)).code === 200, {
      timeoutMs: 15_000,
      what: '/healthz to say Redis is back',
    });
    const after = chat.say('streamer', { login: 'erin', role: 'viewer', text: '!clip' });
    await chat.waitForMessage((m) => m.replyParentMsgId === after && m.text.includes(CLIP_LINK), {
      timeoutMs: 15_000,
    });
    await new Promise((r) => setTimeout(r, 500));
    // Nothing else went out after the outage: no late answers to the refused commands, no
    // generic failure, no second trouble answer.
    const afterOutage = chat.sent.filter((m) => m.at >= restartedAt);
    expect(afterOutage).toHaveLength(1);
    expect(chat.sent.some((m) => /Something went wrong/.test(m.text))).toBe(false);
    expect(run.child.exitCode).toBeNull();

    // ioredis errors were logged as structured lines, never as ioredis's own console text.
    expect(run.stderr()).not.toContain('[ioredis]');
    expect(run.stdout()).toMatch(/"msg":"redis connection error"/);
    expect(run.stdout()).toMatch(/"msg":"redis connection restored"/);
    expect(run.stdout() + run.stderr()).not.toContain(world.opsToken);
  });
});
