import { afterEach, describe, expect, it } from 'vitest';
import { startE2E, type E2E } from '../helpers/e2e-harness.js';

/** `!clipconfig` and cooldowns, through the real bot and Twitch chat stand-in. */

let scene: E2E | undefined;
afterEach(async () => {
  await scene?.stop();
  scene = undefined;
});

const CLIP_LINK = 'clips.twitch.tv/';

describe('!clipconfig', () => {
  it("refuses a viewer, applies a moderator's change, and the change takes effect at once", async () => {
    scene = await startE2E();
    const s = scene;
    const broadcasterId = s.world.twitch.userId(s.channel);
    // The bot moderates here, so its answers need not be spaced a second apart.
    s.world.chat.setChannel(s.channel, { botIsModerator: true });

    const asked = s.say('!clipconfig off', { login: 'victor' });
    const refusal = await s.replyTo(asked);
    expect(refusal.text).toMatch(/Only moderators and the broadcaster can use !clipconfig/);
    expect((await s.services.settings.get(broadcasterId)).enabled).toBe(true);

    const modAsked = s.say('!clipconfig off', { login: 'mod_mia', role: 'moderator' });
    const applied = await s.replyTo(modAsked);
    expect(applied.text).toMatch(/Clipping is now off/);
    // Stored in Redis: a fresh read sees it.
    expect((await s.services.settings.get(broadcasterId)).enabled).toBe(false);

    const viewerClip = s.say('!clip', { login: 'victor' });
    const off = await s.replyTo(viewerClip);
    expect(off.text).toMatch(/Clipping is off for/);
    expect(s.world.twitch.count('POST', '/clips')).toBe(0);

    const on = s.say('!clipconfig on', { login: s.channel, role: 'broadcaster' });
    expect((await s.replyTo(on)).text).toMatch(/Clipping is now on/);
    const again = s.say('!clip', { login: 'wendy' });
    expect((await s.replyTo(again)).text).toContain(CLIP_LINK);
    expect(s.world.twitch.count('POST', '/clips')).toBe(1);
    expect(s.world.chat.violations).toEqual([]);
  });

  it('limits clipping to subscribers when a moderator says so', async () => {
    scene = await startE2E();
    const s = scene;
    s.world.chat.setChannel(s.channel, { botIsModerator: true });

    const set = s.say('!clipconfig who subscriber', { login: 'mod_mia', role: 'moderator' });
    expect((await s.replyTo(set)).text).toMatch(/subscribers and up can clip/);

    const viewer = s.say('!clip', { login: 'victor' });
    expect((await s.replyTo(viewer)).text).toMatch(
      /Only subscribers, VIPs and moderators can clip/,
    );
    const sub = s.say('!clip', { login: 'sub_sam', role: 'subscriber' });
    expect((await s.replyTo(sub)).text).toContain(CLIP_LINK);
    expect(s.world.twitch.count('POST', '/clips')).toBe(1);
  });
});

describe('cooldowns', () => {
  it('refuses a repeat within the per-user cooldown with one short answer, even after a restart', async () => {
    scene = await startE2E();
    const s = scene;
    s.world.chat.setChannel(s.channel, { botIsModerator: true });

    const first = s.say('!clip', { login: 'victor', displayName: 'Victor' });
    const second = s.say('!clip', { login: 'victor', displayName: 'Victor' });
    const third = s.say('!clip', { login: 'victor', displayName: 'Victor' });
    expect((await s.replyTo(first)).text).toContain(CLIP_LINK);
    const notice = await s.waitForBot((m) => /before your next clip/.test(m.text));
    expect(notice.text).toMatch(/^Wait \d+s before your next clip\.$/);

    // Everything the three requests could cause is out once a later command is answered.
    const help = s.say('!cliphelp', { login: 'helen' });
    await s.replyTo(help);
    const refusals = s.botMessages().filter((m) => /before your next clip/.test(m.text));
    expect(refusals).toHaveLength(1);
    expect([second, third]).toContain(refusals[0]!.replyParentMsgId);
    expect(s.world.twitch.count('POST', '/clips')).toBe(1);

    // The cooldown lives in Redis: a new bot process still holds Victor back.
    await s.app.stop();
    await s.startApp();
    const after = s.say('!clip', { login: 'victor', displayName: 'Victor' });
    const other = s.say('!clip', { login: 'wendy', displayName: 'Wendy' });
    const answer = await s.waitForBot(
      (m) => m.text.includes(CLIP_LINK) && m.text.includes('@Wendy'),
      {
        after: Date.now() - 50,
      },
    );
    expect(answer.replyParentMsgId).toBe(other);
    expect(answer.text).not.toContain('@Victor');
    expect(s.botMessages().some((m) => m.replyParentMsgId === after)).toBe(false);
  });

  it('holds a channel cooldown set by a moderator', async () => {
    // No coalescing window: a request after the clip is a new clip, so the cooldown decides.
    scene = await startE2E({ env: { COALESCE_WINDOW_S: '0' } });
    const s = scene;
    s.world.chat.setChannel(s.channel, { botIsModerator: true });

    const set = s.say('!clipconfig cooldown channel 120', { login: 'mod_mia', role: 'moderator' });
    expect((await s.replyTo(set)).text).toMatch(/Channel cooldown is now 120s/);
    const a = s.say('!clip', { login: 'alice' });
    expect((await s.replyTo(a)).text).toContain(CLIP_LINK);
    const b = s.say('!clip', { login: 'bob' });
    expect((await s.replyTo(b)).text).toMatch(/The next clip in this channel is possible in \d+s/);
    expect(s.world.twitch.count('POST', '/clips')).toBe(1);
  });
});

describe('CLIP_DEFAULT_DURATION', () => {
  it("is the length of a channel's clips until its moderators set their own", async () => {
    scene = await startE2E({
      channels: ['streamer', 'other'],
      env: { CLIP_DEFAULT_DURATION: '45', COALESCE_WINDOW_S: '0' },
    });
    const s = scene;
    for (const c of ['streamer', 'other']) s.world.chat.setChannel(c, { botIsModerator: true });
    const mod = { login: 'mod_mia', role: 'moderator' } as const;
    const durations = () => s.world.twitch.createdClips().map((c) => c.duration);

    // Changing something else leaves the channel following the operator's default.
    await s.replyTo(s.say('!clipconfig cooldown user 0', mod));
    expect((await s.replyTo(s.say('!clip', { login: 'victor' }))).text).toContain(CLIP_LINK);
    expect(durations()).toEqual([45]);

    const set = await s.replyTo(s.say('!clipconfig duration 20', mod));
    expect(set.text).toMatch(/20/);
    expect((await s.replyTo(s.say('!clip', { login: 'wendy' }))).text).toContain(CLIP_LINK);
    // Another channel that set nothing still gets the operator's default.
    const elsewhere = s.say('!clip', { login: 'victor', channel: 'other' });
    expect((await s.replyTo(elsewhere)).text).toContain(CLIP_LINK);
    expect(durations()).toEqual([45, 20, 45]);
  });
});
