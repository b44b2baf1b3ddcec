import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app/app.js';
import { startE2E, waitFor, type E2E } from '../helpers/e2e-harness.js';
import { anotherApp } from '../helpers/second-app.js';
import { runCli, type CliRun } from '../helpers/cli-process.js';
import { testRedisUrl } from '../helpers/redis.js';

/**
 * Two bot processes (two Apps built like main.ts builds one, each with its own Redis
 * connections and its own tmi.js connection to the chat stand-in) on one Redis prefix, both
 * reading the same channel, as during a rolling deploy: every message is handled once.
 */

let scene: E2E | undefined;
const extra: App[] = [];
const children: CliRun[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.child.exitCode === null) c.child.kill('SIGKILL');
  await Promise.all(extra.splice(0).map((a) => a.stop().catch(() => undefined)));
  await scene?.stop();
  scene = undefined;
});

const CLIP_LINK = 'clips.twitch.tv/';

/** A second bot process on the scene's Redis prefix and world, joined to `channels`. */
async function secondApp(s: E2E, channels: string[]): Promise<App> {
  const app = await anotherApp(s);
  extra.push(app);
  await waitFor(
    () => channels.every((c) => app.parts.chat?.twitchChat?.joinedChannels().includes(c)),
    { what: 'the second process to join', timeoutMs: 15_000 },
  );
  return app;
}

describe('two bot processes in the same chat', () => {
  it('one !clip makes one clip and one answer; !clipconfig runs and answers once', async () => {
    // Leases off: both processes join every channel, as two deploys of the old bot would.
    scene = await startE2E({ env: { CHANNEL_LEASE_MS: '0' } });
    const s = scene;
    s.world.chat.setChannel(s.channel, { botIsModerator: true });
    await secondApp(s, [s.channel]);

    const asked = s.say('!clip', { login: 'victor', displayName: 'Victor' });
    expect((await s.replyTo(asked)).text).toContain(CLIP_LINK);

    const config = s.say('!clipconfig duration 20', { login: 'mod_mia', role: 'moderator' });
    expect((await s.replyTo(config)).text).toMatch(/20/);

    // Everything the lines above could cause in either process is out once a later
    // command is answered.
    const help = s.say('!cliphelp', { login: 'helen' });
    await s.replyTo(help);

    const sent = s.botMessages();
    expect(sent.filter((m) => m.replyParentMsgId === asked)).toHaveLength(1);
    expect(sent.filter((m) => m.replyParentMsgId === config)).toHaveLength(1);
    expect(sent.filter((m) => m.replyParentMsgId === help)).toHaveLength(1);
    expect(sent.filter((m) => /before your next clip/.test(m.text))).toEqual([]);
    expect(s.world.twitch.count('POST', '/clips')).toBe(1);
  });
});

describe('channel leases', () => {
  it('two processes share 10 channels about evenly; a killed one is taken over within seconds', async () => {
    const channels = Array.from({ length: 10 }, (_, i) => `chan_${i}`);
    // The production lease (10 s), to measure the takeover a deploy would see.
    scene = await startE2E({ channels, env: { CHANNEL_LEASE_MS: '10000' } });
    const s = scene;
    const here = () => s.twitchChat?.joinedChannels() ?? [];
    expect(here()).toHaveLength(10);

    const other = runCli(
      ['start', '--role', 'all'],
      s.world.env({
        REDIS_URL: testRedisUrl(),
        REDIS_KEY_PREFIX: s.prefix,
        CHANNEL_LEASE_MS: '10000',
        LOG_FORMAT: 'json',
        LOG_LEVEL: 'info',
        HTTP_PORT: '0',
      }),
    );
    children.push(other);
    // The first process gives back what exceeds its share; the second takes it.
    await waitFor(() => here().length === 5 && s.world.chat.joinedChannels().length === 10, {
      what: 'the channels to be shared out 5 and 5',
      timeoutMs: 60_000,
      intervalMs: 100,
    });

    // A !clip in a channel the other process reads: answered once, by that process.
    const theirs = channels.find((c) => !here().includes(c))!;
    const asked = s.say('!clip', { channel: theirs, login: 'victor' });
    expect((await s.replyTo(asked)).text).toContain('clips.twitch.tv/');

    other.child.kill('SIGKILL');
    await other.exited;
    const killedAt = Date.now();
    await waitFor(() => here().length === 10, {
      what: 'the survivor to read all 10 channels',
      timeoutMs: 20_000,
      intervalMs: 50,
    });
    const takeoverMs = Date.now() - killedAt;
    console.log(`channel lease takeover after kill -9: ${takeoverMs} ms (lease 10 s)`);
    expect(takeoverMs).toBeLessThan(20_000);

    const after = s.say('!clip', { channel: theirs, login: 'wendy' });
    expect((await s.replyTo(after)).text).toContain('clips.twitch.tv/');
    // The killed process's answer, if it was still unacknowledged, was not said again.
    expect(s.botMessages(theirs).filter((m) => m.replyParentMsgId === asked)).toHaveLength(1);
  }, 120_000);
});
