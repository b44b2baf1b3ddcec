import { afterEach, describe, expect, it } from 'vitest';
import { WAIT_TEXT } from '../../src/clips/reasons.js';
import { startE2E, type E2E } from '../helpers/e2e-harness.js';

/**
 * "Your clip is on its way", as viewers see it (tmi.js to the chat stand-in; the Helix
 * stand-in answering 429 with a reset a few seconds off): one notice per request while the
 * bot waits out Twitch's rate limit, then the clip, and never a second notice.
 */

/** Create Clip: the call the request itself makes (its live check reads the live table). */
const CREATE_CLIP = { method: 'POST', path: '/helix/clips' };

let scene: E2E | undefined;
afterEach(async () => {
  await scene?.stop();
  scene = undefined;
});

describe('a clip kept waiting by Twitch', () => {
  it('gets one "on its way" notice during a run of 429s, then the link', async () => {
    scene = await startE2E();
    const s = scene;
    // Three 429s in a row on the clip's own call, each resetting 2.5 s later: about 7.5 s
    // of waiting. (On any call, the live table's refresh could take some of them.)
    s.world.twitch.force429(3, 2500, CREATE_CLIP);
    const asked = s.say('!clip', { login: 'victor', displayName: 'Victor' });
    const notice = await s.replyTo(asked);
    expect(notice.text).toBe(`@Victor ${WAIT_TEXT.rate_limited}`);
    const clip = await s.waitForBot(
      (m) => m.replyParentMsgId === asked && m.text.includes('clips.twitch.tv/'),
    );
    expect(clip.text).toMatch(/^@Victor Clip: https:\/\/clips\.twitch\.tv\//);
    expect(s.world.twitch.journal.filter((e) => e.status === 429)).toHaveLength(3);
    // Nothing more to the asker: one notice, one clip.
    await new Promise((r) => setTimeout(r, 1500));
    const replies = s.botMessages().filter((m) => m.replyParentMsgId === asked);
    expect(replies.map((m) => m.text)).toEqual([notice.text, clip.text]);
  });

  it('on Discord, edits the deferred reply with the notice, then with the clip', async () => {
    scene = await startE2E({ discord: true });
    const s = scene;
    await s.link();
    s.world.twitch.force429(3, 2500, CREATE_CLIP);
    const { interactionId } = s.discord.invokeCommand({
      guildId: s.guild.id,
      user: { id: '200000000000000001', username: 'dana', globalName: 'Dana' },
      name: 'clip',
      options: {},
    });
    const notice = await s.discord.waitForEdit(interactionId, () => true, 15_000);
    expect(notice.body.content).toBe(WAIT_TEXT.rate_limited);
    const final = await s.discord.waitForEdit(
      interactionId,
      (e) => String(e.body.content ?? '').includes('clips.twitch.tv'),
      15_000,
    );
    // The clip's edit replaces the notice's words.
    expect(final.body.content).not.toContain('on its way');
    expect(final.body.embeds).toHaveLength(1);
  });

  it('says nothing extra when the wait is short', async () => {
    scene = await startE2E();
    const s = scene;
    s.world.twitch.force429(1, 500, CREATE_CLIP);
    const asked = s.say('!clip', { login: 'victor', displayName: 'Victor' });
    const reply = await s.replyTo(asked);
    expect(reply.text).toMatch(/^@Victor Clip: /);
    expect(s.world.twitch.journal.filter((e) => e.status === 429)).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 1000));
    expect(s.botMessages().filter((m) => m.replyParentMsgId === asked)).toHaveLength(1);
  });
});
