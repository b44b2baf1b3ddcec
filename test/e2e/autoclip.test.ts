import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveStatusTable } from '../../src/clips/live-status-table.js';
import { createLogger } from '../../src/logger.js';
import {
  AUTOCLIP,
  autoClipsCounted,
  burst,
  liveTableReady,
  moderator,
  quietChat,
} from '../helpers/autoclip-scene.js';
import { ANSWER_WAIT_MS, clipLinks, startE2E, waitFor, type E2E } from '../helpers/e2e-harness.js';

/**
 * Automatic clips end to end: chat lines through the chat stand-in and real tmi.js feed the
 * detector, a fire asks for the clip through the same queue as `!clip` (BullMQ on Redis),
 * the worker makes it against the Helix stand-in, and the post reaches the Discord stand-in
 * through real discord.js. The detectors learn no baseline first (AUTOCLIP: warmupS 0): a
 * quiet chat, as a channel that has just started.
 */

let scene: E2E | undefined;
afterEach(async () => {
  await scene?.stop();
  scene = undefined;
});

/** Log records' messages, for what only the log says (a fire dropped as offline). */
function capturedLog() {
  const messages: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const text of chunk.toString().split('\n')) {
        if (text.includes('"msg"')) messages.push((JSON.parse(text) as { msg: string }).msg);
      }
      done();
    },
  });
  return { log: createLogger({ level: 'debug', format: 'json', destination }), messages };
}

describe('automatic clips', () => {
  it('a burst in a quiet channel makes one clip, posted to the linked Discord channel, quiet in chat', async () => {
    scene = await startE2E({ discord: true, autoclip: AUTOCLIP });
    const s = scene;
    await s.link(s.channel, 'clips');
    await liveTableReady(s, true);
    expect(await moderator(s, '!clipconfig auto on')).toMatch(/auto/i);

    quietChat(s);
    burst(s, 'KEKW', 8);

    const posted = await s.discord.waitForMessage(s.channelId('clips'), () => true, ANSWER_WAIT_MS);
    const created = s.world.twitch.createdClips();
    expect(created).toHaveLength(1);
    const clip = created[0]!;
    expect(clip.title).toBe('kekw');
    // From 12 s before the burst began to its fire (autoClipWindow).
    expect(clip.duration).toBeGreaterThanOrEqual(12);
    expect(clip.duration).toBeLessThanOrEqual(23);
    const body = JSON.stringify(posted.body);
    expect(body).toContain(clipLinks(clip).watch);
    expect(body).toContain('Clipped automatically');
    expect(await autoClipsCounted(s, 'word')).toBe(1);

    // Listed as automatic; and nothing said in Twitch chat before that answer.
    const asked = s.say('!clips recent', { login: 'curious' });
    const recent = await s.replyTo(asked);
    expect(recent.text).toContain(', auto');
    expect(recent.text).toContain(clipLinks(clip).watch);
    expect(s.botMessages().filter((m) => m.text.includes('clips.twitch.tv'))).toEqual([recent]);
  });

  it('makes no clip for one flooder or a giveaway, then clips a real burst', async () => {
    scene = await startE2E({ autoclip: AUTOCLIP });
    const s = scene;
    await liveTableReady(s, true);
    await moderator(s, '!clipconfig auto on');
    quietChat(s);

    // One viewer flooding the same word: one voice, however many lines.
    s.world.chat.sayMany(
      Array.from({ length: 40 }, () => ({
        channel: s.channel,
        msg: { login: 'flooder', text: 'LUL' },
      })),
    );
    // A giveaway: everyone types the command.
    burst(s, '!enter', 15, { from: 'entrant' });
    // A real moment: had either look-alike fired, its clip would carry its word, and this
    // burst (inside the moment and the cooldown) would make none.
    burst(s, 'PogChamp', 8, { emote: true });

    await waitFor(() => s.world.twitch.createdClips().length > 0, {
      what: 'a clip',
      timeoutMs: ANSWER_WAIT_MS,
    });
    const created = s.world.twitch.createdClips();
    expect(created.map((c) => c.title)).toEqual(['PogChamp']);
    expect(await autoClipsCounted(s, 'emote')).toBe(1);
    expect(await autoClipsCounted(s, 'word')).toBe(0);
  });

  it('a manual !clip during the burst joins the automatic clip: one clip, the viewer gets the link', async () => {
    // Twitch slow to publish: the automatic clip is still pending when the viewer asks.
    scene = await startE2E({ autoclip: AUTOCLIP, clipVisibleAfterMs: 1500 });
    const s = scene;
    await liveTableReady(s, true);
    await moderator(s, '!clipconfig auto on');
    quietChat(s);
    burst(s, 'OMEGALUL', 8);
    await waitFor(() => s.world.twitch.createdClips().length === 1, {
      what: 'the automatic clip',
      timeoutMs: ANSWER_WAIT_MS,
    });
    const asked = s.say('!clip', { login: 'late_viewer' });
    const reply = await s.replyTo(asked);

    const created = s.world.twitch.createdClips();
    expect(created).toHaveLength(1);
    expect(reply.text).toContain(clipLinks(created[0]!).watch);
    expect(reply.text).toMatch(/^@late_viewer /);
    // The bot's own request is answered, never named.
    expect(reply.text).not.toMatch(/@\w*bot/i);
  });

  it('a moderator turns it off (no clip) and on again; with chat on, it is announced', async () => {
    scene = await startE2E({ autoclip: AUTOCLIP });
    const s = scene;
    await liveTableReady(s, true);
    await moderator(s, '!clipconfig auto on');
    await moderator(s, '!clipconfig auto off');
    quietChat(s);
    burst(s, 'Kappa', 8);
    // Off: the burst above was not even observed, so it cannot hold back the next one.
    await moderator(s, '!clipconfig auto on');
    await moderator(s, '!clipconfig auto chat on');
    burst(s, 'monkaS', 8, { from: 'second_wave' });

    const announced = await s.waitForBot((m) => m.text.startsWith('Automatic clip ('));
    const created = s.world.twitch.createdClips();
    expect(created.map((c) => c.title)).toEqual(['monkas']);
    expect(announced.text).toMatch(/^Automatic clip \(monkas\): Clip: https:/);
    expect(announced.text).toContain(clipLinks(created[0]!).watch);
  });

  it("the title template's {game} and {title}: the game from Get Streams, the token as title", async () => {
    scene = await startE2E({ autoclip: AUTOCLIP });
    const s = scene;
    await liveTableReady(s, true);
    // What the Helix stand-in streams (LocalWorld), as the refresh's Get Streams heard it.
    const entry = await new LiveStatusTable(s.redis, s.app.parts.pipeline.keys).get(s.channel);
    expect(entry).toMatchObject({ gameName: 'Celeste' });
    expect(await moderator(s, '!clipconfig title {title} | {game} on {channel}')).toContain(
      '{game}',
    );
    await moderator(s, '!clipconfig auto on');
    const streamsCalls = s.world.twitch.count('GET', '/helix/streams');

    quietChat(s);
    burst(s, 'PogChamp', 8, { emote: true });
    await waitFor(() => s.world.twitch.createdClips().length > 0, {
      what: 'a clip',
      timeoutMs: ANSWER_WAIT_MS,
    });
    expect(s.world.twitch.createdClips().map((c) => c.title)).toEqual([
      'PogChamp | Celeste on streamer',
    ]);
    // The words came with the table's entry: no Get Streams for the title (nor the live check).
    expect(s.world.twitch.count('GET', '/helix/streams')).toBe(streamsCalls);
  });

  it('makes no clip while the channel is offline (the live table says so; no Helix call)', async () => {
    const { log, messages } = capturedLog();
    scene = await startE2E({ autoclip: AUTOCLIP, log });
    const s = scene;
    await liveTableReady(s, true);
    // The stream ends, and the table says so as the refresh would write it.
    s.world.twitch.setLive(s.channel, false);
    const now = Date.now();
    await new LiveStatusTable(s.redis, s.app.parts.pipeline.keys).put({
      [s.channel]: { live: false, checkedAt: now, trustUntil: now + 60_000 },
    });
    await moderator(s, '!clipconfig auto on');
    const streamsCalls = s.world.twitch.count('GET', '/helix/streams');

    quietChat(s);
    burst(s, 'KEKW', 8);
    await waitFor(() => messages.some((m) => m.includes('does not say live')), {
      what: 'the fire to be dropped',
      timeoutMs: ANSWER_WAIT_MS,
    });
    expect(s.world.twitch.createdClips()).toEqual([]);
    expect(s.world.twitch.count('GET', '/helix/streams')).toBe(streamsCalls);
    expect(await autoClipsCounted(s, 'word')).toBe(0);
  });
});
