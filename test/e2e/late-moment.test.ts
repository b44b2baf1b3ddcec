import { afterEach, describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../standins/twitch/index.js';
import { startE2E, type E2E } from '../helpers/e2e-harness.js';

/**
 * The moment, or the truth, on the wire (tmi.js to the chat stand-in, the Helix stand-in):
 * a request carries the time Twitch stamped on its line (tmi-sent-ts), and a job that
 * reaches Create Clip too late for a live clip to hold that moment clips it from the VOD,
 * or answers plainly with the moment's VOD link. The worker-started-late drill, over real
 * processes, is in late-moment-drill.test.ts.
 */

let scene: E2E | undefined;
afterEach(async () => {
  await scene?.stop();
  scene = undefined;
});

/** The stream (and its VOD) started 10 minutes ago, whole seconds as Twitch reports it. */
function streamStartedLongAgo(s: E2E): number {
  const startMs = Math.floor(Date.now() / 1000) * 1000 - 600_000;
  s.world.twitch.setLive(s.channel, true, { startedAt: new Date(startMs) });
  return startMs;
}

function vodClipCalls(s: E2E): JournalEntry[] {
  return s.world.twitch.journal.filter(
    (e) => e.method === 'POST' && e.path === '/helix/videos/clips' && e.status === 202,
  );
}

function offsetS(link: string): number {
  const m = /\?t=(\d+)h(\d+)m(\d+)s/.exec(link);
  if (!m) throw new Error(`no ?t= in ${link}`);
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

/** A !clip whose line Twitch stamped `agoMs` before now. */
function sayStamped(s: E2E, text: string, agoMs: number): { id: string; sentAt: number } {
  const sentAt = Date.now() - agoMs;
  const id = s.world.chat.say(s.channel, {
    login: 'victor',
    displayName: 'Victor',
    text,
    tags: { 'tmi-sent-ts': String(sentAt) },
  });
  return { id, sentAt };
}

describe('the moment asked for', () => {
  it("takes the request's time from tmi-sent-ts: the VOD link points 20 s back", async () => {
    scene = await startE2E();
    const s = scene;
    const startMs = streamStartedLongAgo(s);
    s.world.twitch.setChannel(s.channel, { clips: 'disabled' });
    // 20 s back is still in time for a 30 s clip: a live Create Clip is tried (and refused).
    const { id, sentAt } = sayStamped(s, '!clip', 20_000);
    const reply = await s.replyTo(id);
    expect(reply.text).toContain('No clip: clips are turned off');
    const link = /VOD: (\S+)/.exec(reply.text)?.[1] ?? '';
    // The rescue link starts 10 s before the request, as Twitch stamped it.
    expect(offsetS(link)).toBe(Math.floor((sentAt - startMs) / 1000) - 10);
    expect(vodClipCalls(s)).toHaveLength(0);
  });

  it('clips a moment a live clip can no longer hold from the VOD, ending at the request', async () => {
    scene = await startE2E();
    const s = scene;
    const startMs = streamStartedLongAgo(s);
    s.world.twitch.setChannel(s.channel, { editors: [s.world.botLogin] });
    const { id, sentAt } = sayStamped(s, '!clip', 40_000);
    const reply = await s.replyTo(id);
    expect(reply.text).toMatch(/^@Victor Clip: https:\/\/clips\.twitch\.tv\/\S+/);
    const calls = vodClipCalls(s);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.query).toMatchObject({
      vod_id: [s.world.twitch.liveVodId(s.channel)],
      duration: ['30'],
      vod_offset: [String(Math.floor((sentAt - startMs) / 1000))],
    });
    // No live clip of the wrong moment.
    expect(s.world.twitch.count('POST', '/helix/clips')).toBe(0);
  });

  it("answers plainly, with the moment's VOD link, where the bot may not clip the VOD", async () => {
    scene = await startE2E();
    const s = scene;
    const startMs = streamStartedLongAgo(s);
    // The bot is not one of the channel's editors: Create Clip From VOD is refused.
    s.world.twitch.setChannel(s.channel, { editors: [] });
    const { id, sentAt } = sayStamped(s, '!clip', 40_000);
    const reply = await s.replyTo(id);
    const vodId = s.world.twitch.liveVodId(s.channel) ?? '';
    const t = Math.floor((sentAt - startMs) / 1000) - 10;
    expect(reply.text).toBe(
      `@Victor Couldn't clip that moment in time; here it is in the VOD: https://www.twitch.tv/videos/${vodId}?t=0h${Math.floor(t / 60)}m${t % 60}s`,
    );
    expect(s.world.twitch.count('POST', '/helix/clips')).toBe(0);
    expect(vodClipCalls(s)).toHaveLength(0);
  });
});
