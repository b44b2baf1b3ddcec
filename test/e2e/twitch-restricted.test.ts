import { afterEach, describe, expect, it } from 'vitest';
import { JOINED_NOTE } from '../../src/chat/twitch/index.js';
import { clipLinks, startE2E, waitFor, type E2E } from '../helpers/e2e-harness.js';

/**
 * What the bot sends, against the real bot: chats that restrict who may talk, a clip
 * Twitch has not published yet, and viewers who joined a clip someone else started.
 */

let scene: E2E | undefined;
afterEach(async () => {
  await scene?.stop();
  scene = undefined;
});

async function undeliverable(s: E2E): Promise<number> {
  const metric = await s.metrics.replyDeliveries.get();
  return metric.values.find((v) => v.labels.result === 'undeliverable')?.value ?? 0;
}

describe('Twitch answers in restricted chats', () => {
  it('drops and counts the answer a followers-only chat refuses, instead of calling it sent', async () => {
    scene = await startE2E();
    const s = scene;
    s.world.chat.setRoomState(s.channel, { followersOnly: 0 });
    s.say('!clip', { login: 'vivian' });

    await waitFor(async () => (await undeliverable(s)) === 1, { what: 'the answer to be dropped' });
    // The clip was made; Twitch refused the answer, once, and nothing was shown.
    expect(s.world.twitch.createdClips()).toHaveLength(1);
    expect(s.world.chat.rejected.map((m) => m.msgId)).toEqual(['msg_followersonly_zero']);
    expect(s.botMessages()).toEqual([]);
  });

  it('spaces its answers as slow mode says, so Twitch shows both', async () => {
    scene = await startE2E();
    const s = scene;
    s.world.chat.setRoomState(s.channel, { slow: 3 });
    const first = s.say('!clip', { login: 'ann', displayName: 'Ann' });
    await s.replyTo(first);
    // Joins the clip just made: answered at once, but slow mode holds the message back.
    const second = s.say('!clip', { login: 'bob', displayName: 'Bob' });
    await s.replyTo(second, 10_000);
    const [a, b] = s.botMessages();
    expect(b!.at - a!.at).toBeGreaterThanOrEqual(3_000);
    expect(s.world.chat.rejected).toEqual([]);
    expect(s.world.chat.violations).toEqual([]);
  });
});

describe('Twitch answers that tell viewers more', () => {
  it('gives the watch link of a clip Twitch has not published yet, not only the edit link', async () => {
    scene = await startE2E({ clipVisibleAfterMs: 'never', env: { CLIP_VISIBLE_DEADLINE_S: '1' } });
    const s = scene;
    const id = s.say('!clip', { login: 'vivian', displayName: 'Vivian' });
    const reply = await s.replyTo(id);
    const [clip] = s.world.twitch.createdClips();
    const { watch, edit } = clipLinks(clip!);
    expect(reply.text).toContain(`it may still appear here: ${watch} (edit: ${edit})`);
  });

  it('tells a viewer who asked for another length that they joined a clip already being made', async () => {
    scene = await startE2E({ clipVisibleAfterMs: 400 });
    const s = scene;
    const first = s.say('!clip 20', { login: 'ann', displayName: 'Ann' });
    const second = s.say('!clip 45', { login: 'bob', displayName: 'Bob' });
    const toAnn = await s.replyTo(first);
    const toBob = s.botMessages().find((m) => m.text.includes('@Bob')) ?? (await s.replyTo(second));
    expect(s.world.twitch.createdClips()).toHaveLength(1);
    expect(s.world.twitch.createdClips()[0]!.duration).toBe(20);
    expect(toBob.text).toContain(JOINED_NOTE);
    // Said once, even when one message answers both.
    expect(toBob.text.split(JOINED_NOTE)).toHaveLength(2);
    if (toAnn !== toBob) expect(toAnn.text).not.toContain(JOINED_NOTE);
  });
});
