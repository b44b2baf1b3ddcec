import { describe, expect, it } from 'vitest';
import { clipResultBody } from '../../src/chat/discord/clip-message.js';
import { resultBody } from '../../src/chat/twitch/format.js';
import type { ReplyEnvelope } from '../../src/core/clip.js';
import { libraryFixtures, type LibraryFixture } from './library-fixture.js';

/**
 * The rescue link: when a clip cannot be made or does not appear by the deadline, the
 * answer carries the moment in the stream's VOD, on both platforms' formatters.
 */

const fixture = libraryFixtures();

function offsetS(link: string): number {
  const m = /\?t=(\d+)h(\d+)m(\d+)s$/.exec(link);
  if (!m) throw new Error(`no ?t= in ${link}`);
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

/** The VOD link a live request gets: its time in the VOD, 10 s earlier. */
function expectLiveRescue(f: LibraryFixture, env: ReplyEnvelope): string {
  const link = env.result.vodLink ?? '';
  const vodId = f.standIn.liveVodId('streamer');
  expect(vodId).toBeDefined();
  expect(link.startsWith(`https://www.twitch.tv/videos/${vodId}?t=`)).toBe(true);
  const requestedAt = env.requests[0]!.requestedAt;
  expect(offsetS(link)).toBe(Math.floor((requestedAt - f.streamStartMs) / 1000) - 10);
  return link;
}

describe('rescue: a link to the moment in the VOD', () => {
  it('comes with "clips disabled", in the Twitch line and the Discord answer', async () => {
    const f = await fixture();
    f.standIn.setChannel('streamer', { clips: 'disabled' });
    const { requestId } = await f.twitch('clip');
    const env = await f.clipAnswer(requestId);
    expect(env.result.outcome).toMatchObject({ status: 'failed', reason: 'clips_disabled' });
    const link = expectLiveRescue(f, env);
    expect(link).toMatch(/\?t=0h9m\d+s$/);
    expect(twitchBody(env)).toContain(`VOD: ${link}`);
    const discord = clipResultBody(env.result, env.requests, { kind: 'reply' });
    expect(discord.content).toContain(link);
  });

  it('comes with a clip that is not visible by the deadline', async () => {
    const f = await fixture({ settings: { visibleDeadlineS: 0.4 } });
    f.standIn.setChannel('streamer', { clipVisibleAfterMs: 'never' });
    await f.services.links.link('g1', f.streamer);
    const asked = await f.discord('clip', undefined, { duration: 20 });
    const env = await f.clipAnswer(asked.requestId, 'discord');
    expect(env.result.outcome.status).toBe('not_visible');
    const link = expectLiveRescue(f, env);
    const discord = clipResultBody(env.result, env.requests, { kind: 'reply' });
    const fields = JSON.stringify(discord.embeds);
    expect(fields).toContain(link);
    expect(twitchBody(env)).toContain(`VOD: ${link}`);
  });

  it('comes when Twitch keeps failing to create the clip', async () => {
    const f = await fixture();
    f.standIn.injectFailure({ status: 503, count: 100, method: 'POST', path: '/helix/clips' });
    const { requestId } = await f.twitch('clip');
    const env = await f.clipAnswer(requestId);
    // A 5xx on Create Clip is not repeated (it may have made the clip): 'uncertain'.
    expect(env.result.outcome).toMatchObject({ status: 'failed', reason: 'uncertain' });
    expectLiveRescue(f, env);
  });

  it('comes with "offline" when the stream just ended: the end of its archive', async () => {
    const f = await fixture();
    const vodId = f.standIn.liveVodId('streamer');
    f.standIn.setLive('streamer', false);
    const env = await f.clipAnswer((await f.twitch('clip')).requestId);
    expect(env.result.outcome).toMatchObject({ status: 'failed', reason: 'offline' });
    const link = env.result.vodLink ?? '';
    expect(link.startsWith(`https://www.twitch.tv/videos/${vodId}?t=`)).toBe(true);
    // The archive ends when the stream did (10 minutes in): its last 10 seconds.
    const requestedAt = env.requests[0]!.requestedAt;
    const endS = Math.floor((requestedAt - f.streamStartMs) / 1000);
    expect(offsetS(link)).toBeGreaterThanOrEqual(endS - 12);
    expect(offsetS(link)).toBeLessThanOrEqual(endS - 10);
    expect(twitchBody(env)).toContain(`VOD: ${link}`);
    const discord = clipResultBody(env.result, env.requests, { kind: 'reply' });
    expect(discord.content).toContain(link);
    // The worker has just seen the channel offline: Get Streams is not asked twice.
    expect(f.standIn.count('GET', '/helix/streams')).toBe(1);
  });

  it('is left out with "offline" when the last stream ended long ago', async () => {
    const f = await fixture();
    // The current stream keeps no archive; the newest one is two days old.
    f.standIn.setChannel('streamer', { hasVod: false });
    f.standIn.addVideo('streamer', {
      createdAt: new Date(Date.now() - 2 * 86_400_000),
      durationS: 3 * 3600,
    });
    f.standIn.setLive('streamer', false);
    const env = await f.clipAnswer((await f.twitch('clip')).requestId);
    expect(env.result.outcome).toMatchObject({ status: 'failed', reason: 'offline' });
    expect(f.standIn.count('GET', '/helix/videos')).toBe(1);
    expect(env.result.vodLink).toBeUndefined();
  });

  it('is left out when the stream has no VOD, even if an older broadcast has one', async () => {
    const f = await fixture();
    f.standIn.addVideo('streamer', {
      createdAt: new Date(Date.now() - 2 * 86_400_000),
      durationS: 3 * 3600,
    });
    f.standIn.setChannel('streamer', { hasVod: false, clips: 'disabled' });
    const env = await f.clipAnswer((await f.twitch('clip')).requestId);
    expect(env.result.outcome).toMatchObject({ status: 'failed', reason: 'clips_disabled' });
    expect(f.standIn.count('GET', '/helix/videos')).toBe(1);
    expect(env.result.vodLink).toBeUndefined();
    expect(twitchBody(env)).not.toContain('VOD');
  });

  it('is not added to a clip that was made', async () => {
    const f = await fixture();
    const env = await f.clipAnswer((await f.twitch('clip')).requestId);
    expect(env.result.outcome.status).toBe('created');
    expect(env.result.vodLink).toBeUndefined();
    expect(f.standIn.count('GET', '/helix/videos')).toBe(0);
  });
});

/** The words the Twitch chat adapter sends for an answer (before the names of who asked). */
function twitchBody(env: ReplyEnvelope): string {
  return resultBody(env.result);
}
