import { describe, expect, it } from 'vitest';
import type { RichReply } from '../../src/core/command.js';
import { HelixError } from '../../src/twitch/errors.js';
import { waitFor } from '../helpers/pipeline-harness.js';
import { testRedis } from '../helpers/redis.js';
import { libraryFixtures, textOf, type Answer, type LibraryFixture } from './library-fixture.js';

/**
 * The clip library and the VOD commands through the router, against the Twitch stand-in
 * with the real HelixClient and Redis.
 */

const fixture = libraryFixtures();

const DAY = 86_400_000;
const manager = { canManageServer: true };
/** Always answered: a viewer's repeat of an informational command within 30 s is not. */
const mod = { id: 'u-mod', role: 'moderator' as const };

function embedOf(a: Answer | undefined): NonNullable<RichReply['embed']> {
  if (typeof a !== 'object' || !a.embed) throw new Error(`no embed in ${JSON.stringify(a)}`);
  return a.embed;
}

describe('/clips top and !clips', () => {
  it('reads every page of a window and answers the true top, with view counts', async () => {
    const f = await fixture();
    // Twitch has answered windowed queries newest first: the most viewed (the oldest
    // here) are on the last page.
    f.standIn.setWindowedClipOrder('created');
    const now = Date.now();
    f.standIn.seedClips('streamer', 250, {
      createdAt: (i) => new Date(now - 60_000 - i * 1_800_000),
      viewCount: (i) => i * 10,
      title: (i) => `moment ${i}`,
    });
    const text = textOf((await f.twitch('clips week')).answers[0]);
    expect(text).toMatch(
      /^Top clips of Streamer in the last 7 days: 1\. moment 249 \(2,490 views\) \S+ 2\. moment 248 \(2,480 views\) \S+ 3\. moment 247 \(2,470 views\) \S+$/,
    );
    const calls = f.standIn.journal.filter((e) => e.path === '/helix/clips');
    expect(calls).toHaveLength(3);
    expect(calls[0]?.query.started_at?.[0]).toBeDefined();
    expect(calls[0]?.query.ended_at?.[0]).toBeDefined();

    await f.services.links.link('g1', f.streamer);
    const { answers } = await f.discord('clips', 'top', { period: 'week' });
    expect(
      embedOf(answers[0]).fields?.map((x) => `${x.name} | ${x.value.split(' · ')[0]}`),
    ).toEqual([
      '1. moment 249 | 2,490 views',
      '2. moment 248 | 2,480 views',
      '3. moment 247 | 2,470 views',
      '4. moment 246 | 2,460 views',
      '5. moment 245 | 2,450 views',
    ]);
  });

  it('says Twitch is not answering when Get Clips keeps failing, not "Something went wrong"', async () => {
    const f = await fixture();
    f.standIn.seedClips('streamer', 3);
    // More 503s than the client's retries: the outage outlasts them.
    f.standIn.injectFailure({ status: 503, count: 20, method: 'GET', path: '/helix/clips' });
    const { answers } = await f.twitch('clips all', mod);
    expect(answers.map(textOf)).toEqual([
      "Twitch isn't answering right now, try again in a minute.",
    ]);
  });

  it('answers all time from one page of Get Clips, which Twitch orders by views', async () => {
    const f = await fixture();
    f.standIn.seedClips('streamer', 250, {
      gameId: '27471',
      createdAt: (i) => new Date(Date.now() - 40 * DAY - i * 60_000),
      viewCount: (i) => i * 10,
      title: (i) => `moment ${i}`,
    });
    const clipCalls = () => f.standIn.journal.filter((e) => e.path === '/helix/clips');

    const text = textOf((await f.twitch('clips all')).answers[0]);
    expect(text).toMatch(
      /^Top clips of Streamer of all time: 1\. moment 249 \(2,490 views\) \S+ 2\. moment 248 \(2,480 views\) \S+ 3\. moment 247/,
    );
    expect(clipCalls()).toHaveLength(1);
    expect(clipCalls()[0]?.query).toMatchObject({ first: ['100'] });
    expect(clipCalls()[0]?.query.started_at).toBeUndefined();

    const { answers } = await f.discord('clips', 'game', { name: 'Minecraft', period: 'all' });
    expect(embedOf(answers[0]).fields?.[0]?.name).toBe('1. moment 249');
    expect(clipCalls()).toHaveLength(2);
    expect(clipCalls()[1]?.query).toMatchObject({ game_id: ['27471'], first: ['100'] });
  });

  it('shows featured clips only when asked', async () => {
    const f = await fixture();
    f.standIn.seedClips('streamer', 9, {
      viewCount: (i) => 1000 - i,
      featured: (i) => i % 3 === 2,
      title: (i) => `moment ${i}`,
      createdAt: () => new Date(Date.now() - DAY),
    });
    const all = textOf((await f.twitch('clips')).answers[0]);
    expect(all).toContain('1. moment 0');
    const featured = textOf((await f.twitch('clips week featured')).answers[0]);
    expect(featured).toMatch(
      /^Top featured clips of Streamer in the last 7 days: 1\. moment 2 \S* ?\(998 views\) \S+ 2\. moment 5 \(995 views\) \S+ 3\. moment 8/,
    );
    expect(f.standIn.journal.at(-1)?.query.is_featured).toEqual(['true']);
    expect(textOf((await f.twitch('clips featured')).answers[0])).toContain('featured clips');

    await f.services.links.link('g1', f.streamer);
    const { answers } = await f.discord('clips', 'top', { featured: true });
    expect(embedOf(answers[0]).fields?.map((x) => x.name)).toEqual([
      '1. moment 2',
      '2. moment 5',
      '3. moment 8',
    ]);
  });
});

describe('/clips game', () => {
  it("lists a game's most viewed clips from every channel, and explains an unknown game", async () => {
    const f = await fixture();
    f.standIn.addUser({ login: 'crafter', displayName: 'Crafter' });
    f.standIn.seedClips('streamer', 3, {
      gameId: '27471',
      viewCount: (i) => [50, 500, 5][i]!,
      title: (i) => `build ${i}`,
    });
    f.standIn.seedClips('crafter', 2, {
      gameId: '27471',
      viewCount: (i) => [300, 3000][i]!,
      title: (i) => `craft ${i}`,
    });
    f.standIn.seedClips('streamer', 2, { gameId: '509658', viewCount: () => 99_999 });

    const { answers } = await f.discord('clips', 'game', { name: 'minecraft', period: 'all' });
    const embed = embedOf(answers[0]);
    expect(embed.title).toBe('Top clips of Minecraft of all time');
    expect(
      embed.fields?.map((x) => `${x.name} | ${x.value.split(' · ').slice(0, 2).join(' · ')}`),
    ).toEqual([
      '1. craft 1 | Crafter · 3,000 views',
      '2. build 1 | Streamer · 500 views',
      '3. craft 0 | Crafter · 300 views',
      '4. build 0 | Streamer · 50 views',
      '5. build 2 | Streamer · 5 views',
    ]);
    expect(
      f.standIn.journal.some((e) => e.path === '/helix/games' && e.query.name?.[0] === 'minecraft'),
    ).toBe(true);

    const chat = textOf((await f.twitch('clips game week Minecraft')).answers[0]);
    expect(chat).toMatch(
      /^Top clips of Minecraft in the last 7 days: 1\. craft 1 \[Crafter\] \(3,000 views\)/,
    );

    expect(textOf((await f.twitch('clips game Nosuch Game Title')).answers[0])).toBe(
      'Twitch has no game or category named "Nosuch Game Title"; use its exact name, as on its Twitch page.',
    );
  });
});

describe('!clipinfo and /clips info', () => {
  it('accepts every form of clip link and the bare id, and shows the details', async () => {
    const f = await fixture();
    const vod = f.standIn.addVideo('streamer', { durationS: 7200 });
    f.standIn.seedClips('streamer', 1, {
      vodId: vod.id,
      viewCount: () => 1234,
      title: () => 'the jump',
      duration: () => 27.5,
    });
    const [clip] = (await f.helix.getClips({ broadcasterId: f.streamer.id })).data;
    const id = clip!.id;
    expect(id).toMatch(/-/);
    const forms = [
      id,
      `https://clips.twitch.tv/${id}`,
      `clips.twitch.tv/${id}?tt_medium=clips_api`,
      `https://www.twitch.tv/streamer/clip/${id}?filter=clips&range=7d&sort=time`,
      `twitch.tv/streamer/clip/${id}`,
      `https://m.twitch.tv/streamer/clip/${id}`,
      `https://m.twitch.tv/clip/${id}`,
      `https://clips.twitch.tv/embed?clip=${id}&parent=example.com`,
      `<https://clips.twitch.tv/${id}>`,
    ];
    const lines = new Set<string>();
    for (const form of forms) lines.add(textOf((await f.twitch(`clipinfo ${form}`)).answers[0]));
    expect([...lines]).toHaveLength(1);
    const [line] = [...lines];
    expect(line).toMatch(
      new RegExp(
        `^"the jump" · channel Streamer · clipped by Streamer · 1,234 views · 28 s · created \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC · VOD at 0h1m0s: https://www\\.twitch\\.tv/videos/${vod.id}\\?t=0h1m0s · https://clips\\.twitch\\.tv/${id}$`,
      ),
    );
    // The same clip asked again in the same chat, under the other name, is not answered
    // again within the window; a moderator is.
    expect((await f.twitch(`clips info ${id}`)).answers).toEqual([]);
    expect(textOf((await f.twitch(`clips info ${id}`, mod)).answers[0])).toBe(line);

    const { answers } = await f.discord('clips', 'info', {
      clip: `https://www.twitch.tv/streamer/clip/${id}`,
    });
    const embed = embedOf(answers[0]);
    expect(embed.title).toBe('the jump');
    expect(embed.url).toBe(`https://clips.twitch.tv/${id}`);
    expect(Object.fromEntries((embed.fields ?? []).map((x) => [x.name, x.value]))).toMatchObject({
      Channel: 'Streamer',
      'Clipped by': 'Streamer',
      Views: '1,234',
      Duration: '28 s',
      VOD: `https://www.twitch.tv/videos/${vod.id}?t=0h1m0s (at 0h1m0s)`,
    });
  });

  it('answers clearly for an unknown clip, a video link and anything else', async () => {
    const f = await fixture();
    expect(textOf((await f.twitch('clipinfo GhostlyMissingClipKappa-abc123')).answers[0])).toBe(
      'Twitch has no clip "GhostlyMissingClipKappa-abc123" (it may have been deleted, or is still being made).',
    );
    expect(
      textOf((await f.twitch('clipinfo https://www.twitch.tv/videos/123456')).answers[0]),
    ).toMatch(/^That is a link to a video, not a clip/);
    expect(textOf((await f.twitch('clipinfo https://www.twitch.tv/streamer')).answers[0])).toMatch(
      /^That is a link to a channel, not a clip/,
    );
    expect(textOf((await f.twitch('clipinfo https://youtu.be/dQw4w9WgXcQ')).answers[0])).toMatch(
      /^That is not a Twitch clip link or clip id/,
    );
    expect(textOf((await f.discord('clips', 'info', { clip: 'not a clip!' })).answers[0])).toMatch(
      /^That is not a Twitch clip link or clip id/,
    );
    expect(textOf((await f.twitch('clipinfo')).answers[0])).toMatch(/^Usage: !clips info <clip>/);
  });
});

describe('/clips recent', () => {
  it('lists the clips the bot made here lately, with who asked', async () => {
    const f = await fixture();
    expect(textOf((await f.twitch('clips recent')).answers[0])).toBe(
      'The bot has not made clips of Streamer lately.',
    );
    const ann = await f.twitch('clip', { displayName: 'Ann' });
    const bob = await f.twitch('clip', { displayName: 'Bob' });
    await Promise.all([f.clipAnswer(ann.requestId), f.clipAnswer(bob.requestId)]);
    const cid = await f.twitch('clip -1m the dive', { displayName: 'Cid' });
    await f.clipAnswer(cid.requestId);

    // A moderator: a viewer's `!clips recent` right after the first would be ignored.
    const text = textOf((await f.twitch('clips recent', mod)).answers[0]);
    expect(text).toMatch(
      /^Recent clips of Streamer: 1\. the dive, 1 min back \(Cid, just now\) https:\/\/clips\.twitch\.tv\/\S+ 2\. Speedrun \(Ann, Bob, just now\) https:\/\/clips\.twitch\.tv\/\S+$/,
    );
    await f.services.links.link('g1', f.streamer);
    const { answers } = await f.discord('clips', 'recent', {});
    expect(embedOf(answers[0]).fields?.map((x) => x.value.split(' · ')[0])).toEqual([
      'Asked by Cid',
      'Asked by Ann, Bob',
    ]);
  });
});

describe('/vod and !vod', () => {
  it('links the current VOD at this moment', async () => {
    const f = await fixture();
    const before = Date.now();
    const text = textOf((await f.twitch('vod')).answers[0]);
    const m =
      /^Streamer's VOD at this moment: https:\/\/www\.twitch\.tv\/videos\/(\d+)\?t=0h(\d+)m(\d+)s$/.exec(
        text,
      );
    expect(m?.[1]).toBe(f.standIn.liveVodId('streamer'));
    const t = Number(m?.[2]) * 60 + Number(m?.[3]);
    const expected = Math.floor((before - f.streamStartMs) / 1000) - 10;
    expect(t - expected).toBeGreaterThanOrEqual(0);
    expect(t - expected).toBeLessThanOrEqual(1);

    await f.services.links.link('g1', f.streamer);
    expect(textOf((await f.discord('vod', 'now', {})).answers[0])).toMatch(
      /^Streamer's VOD at this moment: /,
    );
  });

  it('answers !vod once per window in a chat, and holds a Discord member back for its cooldown', async () => {
    const f = await fixture();
    expect(textOf((await f.twitch('vod', { id: 'u-a' })).answers[0])).toMatch(
      /^Streamer's VOD at this moment/,
    );
    const lookups = f.standIn.count('GET', '/helix/videos');
    expect((await f.twitch('vod', { id: 'u-a' })).answers).toEqual([]);
    expect((await f.twitch('vod now', { id: 'u-b' })).answers).toEqual([]);
    expect(f.standIn.count('GET', '/helix/videos')).toBe(lookups);
    expect((await f.twitch('vod', mod)).answers).toHaveLength(1);
    expect((await f.twitch('vod', mod)).answers).toHaveLength(1);

    // Discord: every interaction waits for its answer, so each hears of the cooldown.
    await f.services.links.link('g1', f.streamer);
    const me = { id: 'd-same' };
    expect(textOf((await f.discord('vod', 'now', {}, me)).answers[0])).toMatch(
      /^Streamer's VOD at this moment/,
    );
    const held = f.standIn.count('GET', '/helix/videos');
    for (let i = 0; i < 2; i++) {
      expect((await f.discord('vod', 'now', {}, me)).answers.map(textOf)).toEqual([
        'Wait 10s before using /vod now again.',
      ]);
    }
    expect(f.standIn.count('GET', '/helix/videos')).toBe(held);
    expect((await f.discord('vod', 'now', {}, { id: 'd-other' })).answers).toHaveLength(1);
  });

  it('says when the stream keeps no VOD, and when the channel is offline', async () => {
    const f = await fixture();
    f.standIn.setChannel('streamer', { hasVod: false });
    expect(textOf((await f.twitch('vod')).answers[0])).toBe(
      'Streamer is live, but this stream has no VOD (storing past broadcasts may be off).',
    );
    const old = f.standIn.addVideo('streamer', {
      createdAt: new Date(Date.now() - 3 * DAY),
      durationS: 3600,
    });
    f.standIn.setLive('streamer', false);
    expect(textOf((await f.twitch('vod', mod)).answers[0])).toBe(
      `Streamer is offline. Latest VOD: https://www.twitch.tv/videos/${old.id}`,
    );
    // Deleting is the broadcaster's alone in chat.
    expect(textOf((await f.twitch('vod delete 123')).answers[0])).toBe(
      'Only the broadcaster can use !vod delete.',
    );
  });
});

describe('/vod delete', () => {
  const boss = { ...manager, id: 'd-boss' };

  async function withVideos(f: LibraryFixture) {
    await f.services.links.link('g1', f.streamer);
    const a = f.standIn.addVideo('streamer', { title: 'old stream', durationS: 3600 });
    const b = f.standIn.addVideo('streamer', { title: 'older stream', durationS: 1800 });
    const other = f.standIn.addVideo('someoneelse', { title: 'not yours' });
    return { a: a.id, b: b.id, other: other.id };
  }

  async function storeBroadcasterToken(f: LibraryFixture, scopes: string[]) {
    await f.tokens.storeTokens(
      'broadcaster',
      f.standIn.issueUserToken({ login: 'streamer', scopes }),
    );
  }

  /** The streamer in their own chat, as Twitch's tags prove them. */
  const broadcasterOf = (f: LibraryFixture) => ({
    id: f.streamer.id,
    login: f.streamer.login,
    displayName: f.streamer.displayName,
    role: 'broadcaster' as const,
  });

  const codeIn = (text: string): string => {
    const m = /!vod confirm ([A-Z0-9]{6})\b/.exec(text);
    if (!m?.[1]) throw new Error(`no confirmation code in: ${text}`);
    return m[1];
  };

  it('waits for the broadcaster to confirm in Twitch chat; Manage Server alone deletes nothing', async () => {
    const f = await fixture();
    const v = await withVideos(f);
    await storeBroadcasterToken(f, ['channel:manage:videos']);
    const ids = `${v.a}, https://www.twitch.tv/videos/${v.b} ${v.other} 999999999`;
    const skipped = `Not Streamer's videos or do not exist: ${v.other}, 999999999.`;

    const first = textOf((await f.discord('vod', 'delete', { ids }, boss)).answers[0]);
    expect(first).toMatch(
      new RegExp(
        `^This deletes 2 videos of Streamer: ${v.a} "old stream" \\(archive, .+ UTC, 1 h\\); ${v.b} "older stream" \\(archive, .+ UTC, 30 min\\)\\.`,
      ),
    );
    expect(first).toContain(skipped);
    const code = codeIn(first);
    expect(first).toContain(
      `Nothing is deleted until the broadcaster confirms with \`!vod confirm ${code}\` in Streamer's Twitch chat within 5 min.`,
    );

    // The old way, a second call with confirm: True, only asks again.
    const again = await f.discord('vod', 'delete', { ids, confirm: true }, boss);
    expect(textOf(again.answers[0])).toMatch(/^This deletes 2 videos of Streamer/);
    // There is no confirming from Discord, whoever asks.
    expect(textOf((await f.discord('vod', 'confirm', { code }, boss)).answers[0])).toBe(
      '/vod is not available on Discord.',
    );
    // In chat: a moderator, or someone who only claims the role, cannot confirm.
    expect(
      (await f.twitch(`vod confirm ${code}`, { role: 'moderator' })).answers.map(textOf),
    ).toEqual(['Only the broadcaster can use !vod confirm.']);
    expect(
      (
        await f.twitch(`vod confirm ${code}`, { id: 'u-impostor', role: 'broadcaster' })
      ).answers.map(textOf),
    ).toEqual(['Only the broadcaster can confirm, in their own Twitch chat.']);
    expect(f.standIn.count('DELETE', '/helix/videos')).toBe(0);

    // The broadcaster, with a wrong code, then with the right one (any case).
    const me = broadcasterOf(f);
    expect((await f.twitch('vod confirm ZZZZZZ', me)).answers.map(textOf)).toEqual([
      'No deletion waits for code ZZZZZZ in this channel (codes last 5 min).',
    ]);
    const done = await f.twitch(`vod confirm ${code.toLowerCase()}`, me);
    expect(done.answers.map(textOf)).toEqual([
      `Deleted 2 videos of Streamer: ${v.a} "old stream", ${v.b} "older stream".`,
    ]);
    expect(f.standIn.count('DELETE', '/helix/videos')).toBe(1);
    expect(await f.helix.getVideos({ ids: [v.a, v.b] }).catch((e: unknown) => e)).toBeInstanceOf(
      HelixError,
    );
    // A code confirms once.
    expect((await f.twitch(`vod confirm ${code}`, me)).answers.map(textOf)).toEqual([
      `No deletion waits for code ${code} in this channel (codes last 5 min).`,
    ]);
    expect(f.standIn.count('DELETE', '/helix/videos')).toBe(1);
  });

  it('lets the broadcaster ask and confirm in chat; a code is good only in its own channel', async () => {
    const f = await fixture();
    const v = await withVideos(f);
    await storeBroadcasterToken(f, ['channel:manage:videos']);
    const me = broadcasterOf(f);

    const asked = (await f.twitch(`vod delete ${v.a}`, me)).answers.map(textOf);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatch(
      new RegExp(
        `^This deletes 1 video of Streamer: ${v.a} "old stream"\\. Nothing is deleted until the broadcaster confirms with !vod confirm [A-Z0-9]{6} in Twitch chat within 5 min\\.$`,
      ),
    );
    const code = codeIn(asked[0] ?? '');

    // Another broadcaster, in their own chat, cannot confirm this channel's code.
    const rival = f.standIn.addUser({ login: 'rival', displayName: 'Rival' });
    const inRival = await f.twitch(
      `vod confirm ${code}`,
      { id: rival.id, login: rival.login, displayName: rival.displayName, role: 'broadcaster' },
      rival,
    );
    expect(inRival.answers.map(textOf)).toEqual([
      `No deletion waits for code ${code} in this channel (codes last 5 min).`,
    ]);
    // Viewers cannot ask.
    expect((await f.twitch(`vod delete ${v.b}`)).answers.map(textOf)).toEqual([
      'Only the broadcaster can use !vod delete.',
    ]);

    expect((await f.twitch(`vod confirm ${code}`, me)).answers.map(textOf)).toEqual([
      `Deleted 1 video of Streamer: ${v.a} "old stream".`,
    ]);
    expect(f.standIn.count('DELETE', '/helix/videos')).toBe(1);
  });

  it('forgets a deletion the broadcaster did not confirm in time', async () => {
    const f = await fixture({ vodConfirmS: 0.3 });
    const v = await withVideos(f);
    await storeBroadcasterToken(f, ['channel:manage:videos']);
    const code = codeIn(textOf((await f.discord('vod', 'delete', { ids: v.a }, boss)).answers[0]));
    const me = broadcasterOf(f);
    const redis = testRedis();
    try {
      await waitFor(async () => (await redis.keys(`${f.prefix}:voddelete:*`)).length === 0, {
        what: 'the pending deletion to expire',
      });
    } finally {
      await redis.quit();
    }
    // A confirmation that comes too late deletes nothing and says why.
    const answer = textOf((await f.twitch(`vod confirm ${code}`, me)).answers[0]);
    expect(answer).toBe(`No deletion waits for code ${code} in this channel (codes last 0.3 s).`);
    expect(f.standIn.count('DELETE', '/helix/videos')).toBe(0);
  });

  it('is refused without Manage Server, for channels this server did not link, and without the right token', async () => {
    const f = await fixture();
    const v = await withVideos(f);
    expect(textOf((await f.discord('vod', 'delete', { ids: v.a })).answers[0])).toBe(
      'You need the Manage Server permission to use /vod delete.',
    );
    const elsewhere = await f.discord(
      'vod',
      'delete',
      { ids: v.a, channel: 'streamer' },
      boss,
      'g2',
    );
    expect(textOf(elsewhere.answers[0])).toBe('Streamer is not linked to this server.');

    const noToken = textOf((await f.discord('vod', 'delete', { ids: v.a }, boss)).answers[0]);
    expect(noToken).toBe(
      "Deleting Streamer's videos needs Streamer's own Twitch authorization with channel:manage:videos: the broadcaster runs 'clipbot auth --broadcaster' with the bot's operator.",
    );
    await storeBroadcasterToken(f, ['channel:manage:clips']);
    const noScope = textOf((await f.discord('vod', 'delete', { ids: v.a }, boss)).answers[0]);
    expect(noScope).toContain('channel:manage:videos (the stored one lacks it)');
    expect(f.standIn.count('GET', '/helix/videos')).toBe(0);
  });

  it('checks the ids', async () => {
    const f = await fixture();
    const v = await withVideos(f);
    await storeBroadcasterToken(f, ['channel:manage:videos']);
    const six = '1 2 3 4 5 6';
    expect(textOf((await f.discord('vod', 'delete', { ids: six }, boss)).answers[0])).toBe(
      "At most 5 videos at a time (Twitch's limit).",
    );
    expect(textOf((await f.discord('vod', 'delete', { ids: `${v.a} abc` }, boss)).answers[0])).toBe(
      '"abc" is not a video id or video link.',
    );
    expect(textOf((await f.discord('vod', 'delete', { ids: '424242' }, boss)).answers[0])).toBe(
      'None of those is a video of Streamer.',
    );
    expect((await f.twitch(`vod delete ${v.other}`, broadcasterOf(f))).answers.map(textOf)).toEqual(
      ['None of those is a video of Streamer.'],
    );
    expect(f.standIn.count('DELETE', '/helix/videos')).toBe(0);
  });
});
