import { afterEach, describe, expect, it } from 'vitest';
import { ClipKeys } from '../../src/clips/keys.js';
import { clipLinks, startE2E, type E2E } from '../helpers/e2e-harness.js';

/**
 * SIGTERM (App.stop) while a clip is being made: the worker finishes it within the grace
 * period while Twitch chat still runs, so the viewer gets the answer before the bot exits
 * rather than after the next start.
 */

let scene: E2E | undefined;
afterEach(async () => {
  await scene?.stop();
  scene = undefined;
});

describe('stopping the bot', () => {
  it('answers a clip that finishes during the shutdown grace before stop() resolves', async () => {
    scene = await startE2E({ clipVisibleAfterMs: 1000 });
    const twitch = scene.world.twitch;
    const created = new Promise<string>((resolve) =>
      twitch.events.once('clip-created', (e) => resolve(e.id)),
    );
    const id = scene.say('!clip', { login: 'vivian', displayName: 'Vivian' });
    const clipId = await created;
    const stopping = scene.app.stop();
    // Not answered yet: the clip appears a second after Create Clip.
    expect(scene.world.chat.sent.some((m) => m.replyParentMsgId === id)).toBe(false);
    await stopping;

    const answer = scene.world.chat.sent.find((m) => m.replyParentMsgId === id);
    expect(answer, 'the answer in Twitch chat').toBeDefined();
    expect(answer!.text).toContain(clipLinks({ id: clipId }).watch);
    expect(answer!.text).toContain('@Vivian');
    // Delivered and acknowledged: nothing left for the next start.
    const keys = new ClipKeys(scene.prefix, scene.config.CLIP_QUEUE_NAME);
    const left = await scene.redis.xlen(keys.replies('twitch'));
    expect(left).toBe(0);
  });
});
