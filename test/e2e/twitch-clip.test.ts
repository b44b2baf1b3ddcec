import { afterEach, describe, expect, it } from 'vitest';
import { FAILURE_TEXT, TITLE_DROPPED_TEXT } from '../../src/clips/reasons.js';
import { clipLinks, startE2E, type E2E } from '../helpers/e2e-harness.js';

/** `!clip` in Twitch chat, from the viewer's message to the bot's threaded answer. */

let scene: E2E | undefined;
afterEach(async () => {
  await scene?.stop();
  scene = undefined;
});

describe('!clip in Twitch chat', () => {
  it("answers a viewer's !clip with a threaded reply carrying the watch and edit links", async () => {
    scene = await startE2E();
    const id = scene.say('!clip what a jump', { login: 'vivian', displayName: 'Vivian' });

    const reply = await scene.replyTo(id);
    const created = scene.world.twitch.createdClips();
    expect(created).toHaveLength(1);
    const clip = created[0]!;
    expect(clip.title).toBe('what a jump');
    const links = clipLinks(clip);
    expect(reply.text).toContain(links.watch);
    expect(reply.text).toContain(links.edit);
    expect(reply.text).toContain('@Vivian');
    expect(reply.channel).toBe(scene.channel);
    expect(scene.world.twitch.count('POST', '/clips')).toBe(1);
    expect(scene.botMessages()).toHaveLength(1);
    expect(scene.world.chat.violations).toEqual([]);
  });

  it('tells the viewer plainly when the channel is offline, and makes no clip', async () => {
    scene = await startE2E();
    scene.world.twitch.setLive(scene.channel, false);
    const id = scene.say('!clip');

    const reply = await scene.replyTo(id);
    expect(reply.text).toContain(FAILURE_TEXT.offline);
    expect(reply.text).not.toContain('clips.twitch.tv');
    expect(scene.world.twitch.createdClips()).toEqual([]);
  });

  it('says when the channel turned clips off', async () => {
    scene = await startE2E();
    scene.world.twitch.setChannel(scene.channel, { clips: 'disabled' });
    const id = scene.say('!clip');

    const reply = await scene.replyTo(id);
    expect(reply.text).toContain(FAILURE_TEXT.clips_disabled);
    expect(scene.world.twitch.createdClips()).toEqual([]);
  });

  it('says when only followers may clip and the bot is not allowed', async () => {
    scene = await startE2E();
    scene.world.twitch.setChannel(scene.channel, { clips: 'followers' });
    const id = scene.say('!clip');

    const reply = await scene.replyTo(id);
    expect(reply.text).toContain(FAILURE_TEXT.clips_restricted);
    expect(scene.world.twitch.createdClips()).toEqual([]);
  });

  it('makes the clip without the title AutoMod rejected, and says so', async () => {
    scene = await startE2E();
    scene.world.twitch.automodBlock('frick');
    const id = scene.say('!clip frick that was close');

    const reply = await scene.replyTo(id);
    const created = scene.world.twitch.createdClips();
    expect(created).toHaveLength(1);
    expect(created[0]!.title).not.toContain('frick');
    expect(reply.text).toContain(clipLinks(created[0]!).watch);
    expect(reply.text).toContain(TITLE_DROPPED_TEXT);
  });
});
