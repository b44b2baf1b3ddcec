import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app/app.js';
import { startE2E, waitFor, type E2E } from '../helpers/e2e-harness.js';
import { anotherApp } from '../helpers/second-app.js';

/**
 * Two bot processes (two Apps built like main.ts builds one, each with its own Redis
 * connections and its own tmi.js connection to the chat stand-in) on one Redis prefix, both
 * reading the same channel, as during a rolling deploy: every message is handled once.
 */

let scene: E2E | undefined;
const extra: App[] = [];
afterEach(async () => {
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
