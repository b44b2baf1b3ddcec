import { afterEach, describe, expect, it } from 'vitest';
import { startE2E, type E2E } from '../helpers/e2e-harness.js';

/**
 * On the wire (tmi.js to the chat stand-in, the Helix stand-in): `!clip 10` whose first
 * Create Clip loses its answer (a 503; Twitch made nothing). The job looks for the clip in
 * Get Clips once it would show (5 s: nothing learned yet), finds none, and by then the
 * moment is past a live clip's reach: it is clipped from the VOD instead of sent live again.
 * The in-time resend and the too_late answer are in
 * test/integration/pipeline-late-resend.test.ts.
 */

let scene: E2E | undefined;
afterEach(async () => {
  await scene?.stop();
  scene = undefined;
});

describe('Create Clip sent again after a lost answer, past the moment', () => {
  it('goes to the VOD: one live attempt, one Create Clip From VOD ending at the request', async () => {
    // The lookup waits 5 s (nothing learned yet), capped at the visibility deadline.
    scene = await startE2E({ env: { CLIP_VISIBLE_DEADLINE_S: '10' } });
    const s = scene;
    const startMs = Math.floor(Date.now() / 1000) * 1000 - 600_000;
    s.world.twitch.setLive(s.channel, true, { startedAt: new Date(startMs) });
    s.world.twitch.setChannel(s.channel, { editors: [s.world.botLogin] });
    s.world.twitch.injectFailure({ status: 503, count: 1, method: 'POST', path: '/helix/clips' });
    // Asked 1 s ago: in time for a 10 s clip now (5 s), no longer after the 5 s lookup.
    const sentAt = Date.now() - 1_000;
    const id = s.world.chat.say(s.channel, {
      login: 'victor',
      displayName: 'Victor',
      text: '!clip 10',
      tags: { 'tmi-sent-ts': String(sentAt) },
    });
    const reply = await s.replyTo(id);
    expect(reply.text).toMatch(/^@Victor Clip: https:\/\/clips\.twitch\.tv\/\S+/);
    expect(s.world.twitch.count('POST', '/helix/clips')).toBe(1);
    const vodCalls = s.world.twitch.journal.filter(
      (e) => e.method === 'POST' && e.path === '/helix/videos/clips' && e.status === 202,
    );
    expect(vodCalls).toHaveLength(1);
    expect(vodCalls[0]?.query).toMatchObject({
      duration: ['10'],
      vod_offset: [String(Math.floor((sentAt - startMs) / 1000))],
    });
  });
});
