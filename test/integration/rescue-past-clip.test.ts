import { describe, expect, it } from 'vitest';
import { resultBody } from '../../src/chat/twitch/format.js';
import { FAILURE_TEXT } from '../../src/clips/reasons.js';
import type { ReplyEnvelope } from '../../src/core/clip.js';
import type { JournalEntry } from '../../standins/twitch/index.js';
import { libraryFixtures, textOf, type LibraryFixture } from './library-fixture.js';

/**
 * Clip the past: `!clip -2m`, `/clip ago:2m`, through the same queue and worker, with
 * Create Clip From VOD against the stand-in.
 */

const fixture = libraryFixtures();

function vodClipCalls(f: LibraryFixture): JournalEntry[] {
  return f.standIn.journal.filter((e) => e.method === 'POST' && e.path === '/helix/videos/clips');
}

function offsetS(link: string): number {
  const m = /\?t=(\d+)h(\d+)m(\d+)s$/.exec(link);
  if (!m) throw new Error(`no ?t= in ${link}`);
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

describe('clip the past', () => {
  it('!clip -2m clips the 30 s that ended two minutes ago, from the VOD', async () => {
    const f = await fixture();
    const { requestId, answers } = await f.twitch('clip -2m what a save');
    expect(answers).toEqual([]);
    const env = await f.clipAnswer(requestId);
    expect(env.result.outcome.status).toBe('created');
    const [call] = vodClipCalls(f);
    const requestedAt = env.requests[0]!.requestedAt;
    expect(call?.query).toMatchObject({
      broadcaster_id: [f.streamer.id],
      vod_id: [f.standIn.liveVodId('streamer')],
      duration: ['30'],
      title: ['what a save'],
      vod_offset: [String(Math.floor((requestedAt - 120_000 - f.streamStartMs) / 1000))],
    });
    expect(call?.query.editor_id).toEqual([f.standIn.userId('clipbot')]);
    expect(f.standIn.count('POST', '/helix/clips')).toBe(0);
    expect(env.requests[0]?.vod).toEqual({ agoS: 120 });
    expect(twitchBody(env)).toMatch(/Clip: https:\/\/clips\.twitch\.tv\//);
  });

  it('/clip ago:1m30s with a duration does the same on Discord', async () => {
    const f = await fixture();
    await f.services.links.link('g1', f.streamer);
    const { requestId } = await f.discord('clip', undefined, { ago: '1m30s', duration: 20 });
    const env = await f.clipAnswer(requestId, 'discord');
    expect(env.result.outcome.status).toBe('created');
    const requestedAt = env.requests[0]!.requestedAt;
    expect(vodClipCalls(f)[0]?.query).toMatchObject({
      duration: ['20'],
      vod_offset: [String(Math.floor((requestedAt - 90_000 - f.streamStartMs) / 1000))],
    });
    // No title given: Create Clip From VOD needs one, so the VOD's (the stream's) is used.
    expect(vodClipCalls(f)[0]?.query.title).toEqual(['Speedrun']);
  });

  it('without a VOD clip scope, says so and gives the VOD link instead', async () => {
    const f = await fixture({ botScopes: ['clips:edit'] });
    const { requestId } = await f.twitch('clip -2m');
    const env = await f.clipAnswer(requestId);
    expect(env.result.outcome).toMatchObject({ status: 'failed', reason: 'vod_scope_missing' });
    expect(vodClipCalls(f)).toHaveLength(0);
    const link = env.result.vodLink ?? '';
    expect(
      link.startsWith(`https://www.twitch.tv/videos/${f.standIn.liveVodId('streamer')}?t=`),
    ).toBe(true);
    // The link starts where the asked 30 s would have begun.
    const requestedAt = env.requests[0]!.requestedAt;
    expect(offsetS(link)).toBe(Math.floor((requestedAt - 120_000 - f.streamStartMs) / 1000) - 30);
    const line = twitchBody(env);
    expect(line).toContain('editor:manage:clips');
    expect(line).toContain(`VOD: ${link}`);
  });

  it('refuses a moment before the stream started, with a clear answer', async () => {
    const f = await fixture({ streamStartedAgoS: 60 });
    const env = await f.clipAnswer((await f.twitch('clip -2m')).requestId);
    expect(env.result.outcome).toMatchObject({ status: 'failed', reason: 'before_stream' });
    expect(env.result.vodLink).toBeUndefined();
    expect(twitchBody(env)).toContain(FAILURE_TEXT.before_stream);
    // 45 s in, the 30 s that ended 20 s ago would start before the stream did.
    const close = await fixture({ streamStartedAgoS: 45 });
    const env2 = await close.clipAnswer((await close.twitch('clip -20s')).requestId);
    expect(env2.result.outcome).toMatchObject({ status: 'failed', reason: 'before_stream' });
    expect(vodClipCalls(f)).toHaveLength(0);
  });

  it('answers "no VOD" when the stream keeps none', async () => {
    const f = await fixture();
    f.standIn.setChannel('streamer', { hasVod: false });
    const env = await f.clipAnswer((await f.twitch('clip -1m')).requestId);
    expect(env.result.outcome).toMatchObject({ status: 'failed', reason: 'no_vod' });
    expect(env.result.vodLink).toBeUndefined();
  });

  it("answers when the bot is not one of the channel's editors", async () => {
    const f = await fixture();
    f.standIn.setChannel('streamer', { editors: [] });
    const env = await f.clipAnswer((await f.twitch('clip -1m')).requestId);
    expect(env.result.outcome).toMatchObject({ status: 'failed', reason: 'vod_not_editor' });
    expect(env.result.vodLink).toMatch(/^https:\/\/www\.twitch\.tv\/videos\/\d+\?t=0h8m\d+s$/);
  });

  it('still clips a moment of a stream that just ended, from its archive', async () => {
    const f = await fixture();
    f.standIn.setLive('streamer', false);
    const env = await f.clipAnswer((await f.twitch('clip -1m')).requestId);
    expect(env.result.outcome.status).toBe('created');
    expect(vodClipCalls(f)).toHaveLength(1);
  });

  it('never joins the live clip, and past clips of one moment share one clip', async () => {
    const f = await fixture();
    const live = await f.twitch('clip');
    const pastA = await f.twitch('clip -1m');
    const pastB = await f.twitch('clip -1m');
    const [a, b, c] = await Promise.all([
      f.clipAnswer(live.requestId),
      f.clipAnswer(pastA.requestId),
      f.clipAnswer(pastB.requestId),
    ]);
    expect(a.result.jobId).not.toBe(b.result.jobId);
    expect(b.result.jobId).toBe(c.result.jobId);
    expect(f.standIn.count('POST', '/helix/clips')).toBe(1);
    expect(vodClipCalls(f)).toHaveLength(1);
    expect(f.standIn.createdClips()).toHaveLength(2);
  });

  it('answers at once when the time is not one it can read', async () => {
    const f = await fixture();
    await f.services.links.link('g1', f.streamer);
    const { answers } = await f.discord('clip', undefined, { ago: 'yesterday' });
    expect(textOf(answers[0])).toBe('Say how long ago the moment ended, like 2m, 90s or 1m30s.');
    const far = await f.discord('clip', undefined, { ago: '49h' });
    expect(textOf(far.answers[0])).toBe('Clips of the past reach back at most 48 hours.');
    expect(f.standIn.createdClips()).toHaveLength(0);
  });
});

/** The words the Twitch chat adapter sends for an answer (before the names of who asked). */
function twitchBody(env: ReplyEnvelope): string {
  return resultBody(env.result);
}
