import { afterEach, describe, expect, it } from 'vitest';
import {
  AUTOCLIP,
  autoClipsCounted,
  burst,
  liveTableReady,
  moderator,
  quietChat,
} from '../helpers/autoclip-scene.js';
import { ANSWER_WAIT_MS, startE2E, waitFor, type E2E } from '../helpers/e2e-harness.js';

/**
 * Raids and sub gifts end to end: USERNOTICE lines shaped as Twitch sends them (the chat
 * stand-in's raid and giftSubs; standins/chat/user-notices.ts names the captures they follow)
 * reach the real tmi.js, the feed and the detector; a fire's clip goes through BullMQ on
 * Redis to the Helix stand-in. As in autoclip.test.ts, a quiet channel with no warm-up.
 */

let scene: E2E | undefined;
afterEach(async () => {
  await scene?.stop();
  scene = undefined;
});

describe('automatic clips: raids and sub gifts', () => {
  it('a raid’s greeting burst makes no clip with raids off (the default)', async () => {
    scene = await startE2E({ autoclip: AUTOCLIP });
    const s = scene;
    await liveTableReady(s);
    expect(await moderator(s, '!clipconfig auto on')).toMatch(/now on/);
    quietChat(s);

    s.world.chat.raid(s.channel, { login: 'raiding_rita', displayName: 'Raiding_Rita' }, 120);
    // The raiders greet: twelve of them, a burst that clips a quiet channel otherwise.
    burst(s, 'HeyGuys', 12, { from: 'raider', emote: true });

    // The moderator's answer comes after every line above was read, and after any fire of
    // theirs was asked for (a few Redis calls, where the answer goes through the router,
    // the settings and the reply stream): none was.
    expect(await moderator(s, '!clipconfig auto raids on')).toMatch(/Raid greetings can now/);
    expect(await autoClipsCounted(s)).toBe(0);
    expect(s.world.twitch.createdClips()).toEqual([]);

    // The control: with raids on, the next wave of the same raid clips (so the greetings
    // above reached the detector, and it was the raid that held them back).
    burst(s, 'PogChamp', 15, { from: 'second_raider', emote: true });
    await waitFor(() => s.world.twitch.createdClips().length > 0, {
      what: 'the second wave’s clip',
      timeoutMs: ANSWER_WAIT_MS,
    });
    expect(s.world.twitch.createdClips()).toHaveLength(1);
    expect(await autoClipsCounted(s)).toBe(1);
  });

  it('a burst of gifted subs from many gifters makes one clip, titled from the stream', async () => {
    scene = await startE2E({ autoclip: AUTOCLIP });
    const s = scene;
    await liveTableReady(s);
    // A support burst carries no token: {title} is the stream's title, {game} its game.
    await moderator(s, '!clipconfig title {title} ({game})');
    await moderator(s, '!clipconfig auto on');
    quietChat(s);

    // Six gifters at once: community gifts (submysterygift, then a subgift each) and single
    // gifts (a lone subgift). Each gifter counts once however many subs they give.
    s.world.chat.giftSubs(
      s.channel,
      Array.from({ length: 6 }, (_v, i) => ({
        gifter: { login: `gifter${i}`, displayName: `Gifter${i}` },
        recipients: i % 2 ? [`lucky${i}`] : [`lucky${i}a`, `lucky${i}b`, `lucky${i}c`],
      })),
    );
    await waitFor(() => s.world.twitch.createdClips().length > 0, {
      what: 'the support clip',
      timeoutMs: ANSWER_WAIT_MS,
    });
    // Every notice above was read before this answer: one fire for the whole burst.
    await moderator(s, '!clipconfig auto sensitivity normal');
    const created = s.world.twitch.createdClips();
    expect(created.map((c) => c.title)).toEqual(['Speedrun any% - world record pace (Celeste)']);
    expect(await autoClipsCounted(s, 'support')).toBe(1);
    expect(await autoClipsCounted(s, 'rate')).toBe(0);
  });
});
