import { afterEach, describe, expect, it } from 'vitest';
import { FAILURE_TEXT } from '../../src/clips/reasons.js';
import { startE2E, type E2E } from '../helpers/e2e-harness.js';

/**
 * The rescue link as people receive it: the reply the bot really sends in Twitch chat
 * (tmi.js to the chat stand-in) and the edit of the deferred Discord answer (discord.js to
 * the Discord stand-in). test/integration/rescue-*.test.ts cover the cases in depth.
 */

let scene: E2E | undefined;
afterEach(async () => {
  await scene?.stop();
  scene = undefined;
});

describe('rescue answers on the wire', () => {
  it('"clips disabled" comes with the moment in the VOD, in Twitch chat and in Discord', async () => {
    scene = await startE2E({ discord: true });
    const s = scene;
    await s.link();
    s.world.twitch.setChannel(s.channel, { clips: 'disabled' });
    const vodId = s.world.twitch.liveVodId(s.channel);
    expect(vodId).toBeDefined();
    const vodLink = new RegExp(`https://www\\.twitch\\.tv/videos/${vodId}\\?t=\\d+h\\d+m\\d+s`);

    const reply = await s.replyTo(s.say('!clip', { login: 'victor', displayName: 'Victor' }));
    expect(reply.text).toContain(`@Victor No clip: ${FAILURE_TEXT.clips_disabled} VOD: `);
    expect(reply.text).toMatch(vodLink);

    const { interactionId } = s.discord.invokeCommand({
      guildId: s.guild.id,
      user: { id: '200000000000000001', username: 'dana', globalName: 'Dana' },
      name: 'clip',
      options: {},
    });
    const edit = await s.discord.waitForEdit(interactionId, () => true, 8000);
    expect(edit.body.content).toContain(FAILURE_TEXT.clips_disabled);
    expect(edit.body.content).toMatch(vodLink);
  });
});
