import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HELIX_MESSAGES, TwitchStandIn } from '../../standins/twitch/index.js';
import { LAST_PAGE_CURSOR } from '../../standins/twitch/pagination.js';

/** Helix endpoints of the Twitch stand-in, exercised over real HTTP with fetch. */

interface Res {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  headers: Headers;
}

let twitch: TwitchStandIn;
let apiUrl: string;
let appToken: string;
let botToken: string;

async function helix(
  method: string,
  path: string,
  query: [string, string][] = [],
  token = botToken,
): Promise<Res> {
  const url = `${apiUrl}${path}?${new URLSearchParams(query).toString()}`;
  const res = await fetch(url, {
    method,
    headers: { 'Client-Id': twitch.clientId, Authorization: `Bearer ${token}` },
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

function expectError(res: Res, status: number, message: string): void {
  expect(res.status).toBe(status);
  expect(res.body).toEqual({ error: expect.any(String), status, message });
}

beforeEach(async () => {
  twitch = new TwitchStandIn({ clipVisibleAfterMs: 40 });
  ({ apiUrl } = await twitch.start());
  appToken = twitch.issueAppToken().accessToken;
  botToken = twitch.issueUserToken({ login: 'clipbot', scopes: ['clips:edit'] }).accessToken;
});

afterEach(async () => {
  await twitch.stop();
});

describe('credentials', () => {
  it('answers 401 without a token, without Client-Id, with a foreign Client-Id or an unknown token', async () => {
    const url = `${apiUrl}/users?login=clipbot`;
    const noToken = await fetch(url, { headers: { 'Client-Id': twitch.clientId } });
    expect(noToken.status).toBe(401);
    expect(await noToken.json()).toMatchObject({ message: HELIX_MESSAGES.tokenMissing });
    expect(noToken.headers.get('ratelimit-limit')).toBe('800');

    const noClient = await fetch(url, { headers: { Authorization: `Bearer ${appToken}` } });
    expect(noClient.status).toBe(401);

    const foreign = await fetch(url, {
      headers: { 'Client-Id': 'someone-else', Authorization: `Bearer ${appToken}` },
    });
    expect(await foreign.json()).toMatchObject({
      status: 401,
      message: HELIX_MESSAGES.clientIdMismatch,
    });

    expectError(await helix('GET', '/users', [['login', 'x']], 'nope'), 401, 'Invalid OAuth token');
  });

  it('rejects axios-style bracketed repeated parameters', async () => {
    const { id } = twitch.addUser({ login: 'alice' });
    const res = await helix('GET', '/clips', [['id[]', 'a']]);
    expect(res.status).toBe(400);
    const streams = await helix('GET', '/streams', [['user_id[]', id]]);
    expect(streams.status).toBe(400);
    expect(streams.body.message).toContain('user_id[]');
  });
});

describe('GET /users', () => {
  it('finds users by repeated id and login, ignoring unknown ones', async () => {
    const alice = twitch.addUser({ login: 'alice', displayName: 'Alice' });
    const bob = twitch.addUser({ login: 'bob', id: '42' });
    const res = await helix(
      'GET',
      '/users',
      [
        ['id', alice.id],
        ['login', 'BOB'],
        ['login', 'nobody'],
      ],
      appToken,
    );
    expect(res.status).toBe(200);
    expect(res.body.data.map((u: { id: string }) => u.id).sort()).toEqual(
      [alice.id, bob.id].sort(),
    );
    expect(res.body.data.find((u: { id: string }) => u.id === alice.id)).toMatchObject({
      login: 'alice',
      display_name: 'Alice',
    });
  });

  it('answers 400 above 100 ids and logins combined, and without any for an app token', async () => {
    const query: [string, string][] = [];
    for (let i = 0; i < 60; i++) query.push(['id', String(i)]);
    for (let i = 0; i < 41; i++) query.push(['login', `u${i}`]);
    expectError(await helix('GET', '/users', query), 400, HELIX_MESSAGES.usersTooMany);
    expect((await helix('GET', '/users', query.slice(1))).status).toBe(200);
    expectError(await helix('GET', '/users', [], appToken), 400, HELIX_MESSAGES.usersNoQuery);
    const me = await helix('GET', '/users');
    expect(me.body.data).toEqual([expect.objectContaining({ login: 'clipbot' })]);
  });
});

describe('GET /streams', () => {
  it('returns only live channels, type live, filtered by user_id and user_login', async () => {
    const a = twitch.addUser({ login: 'alice' });
    const b = twitch.addUser({ login: 'bob' });
    twitch.addUser({ login: 'carol' });
    twitch.setLive('alice', true, { title: 'speedrun', gameName: 'Minecraft', viewerCount: 5 });
    twitch.setLive('carol', true);
    const res = await helix('GET', '/streams', [
      ['user_id', a.id],
      ['user_id', b.id],
      ['user_login', 'zed'],
    ]);
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(1);
    expect(res.body.data[0]).toMatchObject({
      user_id: a.id,
      user_login: 'alice',
      type: 'live',
      title: 'speedrun',
      game_id: '27471',
      game_name: 'Minecraft',
      viewer_count: 5,
    });
    twitch.setLive('alice', false);
    expect((await helix('GET', '/streams', [['user_id', a.id]])).body.data).toEqual([]);
  });

  it('takes up to 100 user ids and pages 20 by default', async () => {
    const ids: [string, string][] = [];
    for (let i = 0; i < 101; i++) {
      twitch.setLive(`chan${i}`, true, { viewerCount: i });
      ids.push(['user_id', twitch.userId(`chan${i}`)]);
    }
    expect((await helix('GET', '/streams', ids)).status).toBe(400);
    const first = await helix('GET', '/streams', ids.slice(0, 100));
    expect(first.body.data).toHaveLength(20);
    expect(first.body.data[0].viewer_count).toBe(99);
    expect(first.body.pagination.cursor).toEqual(expect.any(String));
    const all = await helix('GET', '/streams', [...ids.slice(0, 100), ['first', '100']]);
    expect(all.body.data).toHaveLength(100);
    // Real Twitch may still give a cursor on the last page: {"b":null,"a":""}.
    expect(all.body.pagination).toEqual({ cursor: LAST_PAGE_CURSOR });
  });
});

describe('POST /clips', () => {
  let alice: string;
  beforeEach(() => {
    alice = twitch.addUser({ login: 'alice' }).id;
    twitch.setLive('alice', true, { title: 'the stream' });
  });
  const create = (query: [string, string][], token?: string) =>
    helix('POST', '/clips', query, token);

  it('creates a clip: 202 with id and edit_url, and a clip-created event', async () => {
    const created = once(twitch.events, 'clip-created');
    const res = await create([
      ['broadcaster_id', alice],
      ['title', 'nice one'],
      ['duration', '12.5'],
    ]);
    expect(res.status).toBe(202);
    const [{ id, edit_url }] = res.body.data;
    // Twitch's current form: the clip's page on the channel, with a query.
    expect(edit_url).toMatch(new RegExp(`^https://www\\.twitch\\.tv/alice/clip/${id}\\?`));
    const [event] = await created;
    expect(event).toMatchObject({ id, broadcasterId: alice });
    expect(twitch.createdClips()).toEqual([
      expect.objectContaining({ id, broadcasterId: alice, title: 'nice one', duration: 12.5 }),
    ]);
  });

  it('needs a user token with clips:edit', async () => {
    const missing = HELIX_MESSAGES.missingScope('clips:edit');
    expectError(await create([['broadcaster_id', alice]], appToken), 401, missing);
    const noScope = twitch.issueUserToken({ login: 'viewer', scopes: ['chat:read'] }).accessToken;
    expectError(await create([['broadcaster_id', alice]], noScope), 401, missing);
    expect(missing).toBe('Missing scope: clips:edit');
  });

  it('validates broadcaster_id and duration (5..60, precision 0.1)', async () => {
    expect((await create([])).status).toBe(400);
    expectError(
      await create([['broadcaster_id', '999999']]),
      400,
      HELIX_MESSAGES.unknownBroadcaster,
    );
    for (const bad of ['4.9', '60.1', '10.05', 'abc', '-5'])
      expect(
        (
          await create([
            ['broadcaster_id', alice],
            ['duration', bad],
          ])
        ).status,
        bad,
      ).toBe(400);
    for (const good of ['5', '60', '30.1'])
      expect(
        (
          await create([
            ['broadcaster_id', alice],
            ['duration', good],
          ])
        ).status,
        good,
      ).toBe(202);
    expect(twitch.createdClips().map((c) => c.duration)).toEqual([5, 60, 30.1]);
  });

  it('answers 404 when the broadcaster is offline', async () => {
    twitch.setLive('alice', false);
    expectError(
      await create([['broadcaster_id', alice]]),
      404,
      'The broadcaster in the broadcaster_id query parameter must be broadcasting live.',
    );
  });

  it('answers 403 for disabled, restricted and banned, but lets the broadcaster clip', async () => {
    const q: [string, string][] = [['broadcaster_id', alice]];
    twitch.setChannel('alice', { clips: 'disabled' });
    expectError(await create(q), 403, HELIX_MESSAGES.clipsDisabled);
    twitch.setChannel('alice', { clips: 'followers' });
    expectError(await create(q), 403, HELIX_MESSAGES.clipsRestricted);
    twitch.setChannel('alice', { clips: 'subscribers' });
    expectError(await create(q), 403, HELIX_MESSAGES.clipsRestricted);
    const own = twitch.issueUserToken({ login: 'alice', scopes: ['clips:edit'] }).accessToken;
    expect((await create(q, own)).status).toBe(202);
    twitch.setChannel('alice', { clips: 'enabled', botBanned: true });
    expectError(await create(q), 403, HELIX_MESSAGES.banned);
    expect(HELIX_MESSAGES.banned).toContain('banned or timed out');
  });

  it('answers 400 for a title AutoMod blocks and 403 for a category that cannot be clipped', async () => {
    twitch.automodBlock('badword');
    expectError(
      await create([
        ['broadcaster_id', alice],
        ['title', 'a BadWord here'],
      ]),
      400,
      'The title did not pass AutoMod checks.',
    );
    expect(
      (
        await create([
          ['broadcaster_id', alice],
          ['title', 'fine'],
        ])
      ).status,
    ).toBe(202);
    twitch.setChannel('alice', { clippable: false });
    // Real Twitch: a 403 with this text, not the reference's 400 "The category is not clippable."
    expectError(
      await create([['broadcaster_id', alice]]),
      403,
      'Clipping is restricted for this category on this channel.',
    );
  });
});

describe('clip visibility', () => {
  it('hides a new clip from GET /clips until clipVisibleAfterMs has passed', async () => {
    const alice = twitch.addUser({ login: 'alice' }).id;
    twitch.setLive('alice', true);
    // Long enough that the first poll below surely comes before it, even on a busy machine.
    twitch.setChannel('alice', { clipVisibleAfterMs: 250 });
    const visible = once(twitch.events, 'clip-visible');
    const res = await helix('POST', '/clips', [['broadcaster_id', alice]]);
    const id: string = res.body.data[0].id;
    const before = await helix('GET', '/clips', [['id', id]]);
    expect(before.body.data).toEqual([]);
    const [event] = await visible;
    expect(event).toMatchObject({ id, broadcasterId: alice });
    const after = await helix('GET', '/clips', [['id', id]]);
    expect(after.body.data).toEqual([
      expect.objectContaining({
        id,
        url: `https://clips.twitch.tv/${id}`,
        broadcaster_id: alice,
        creator_name: 'clipbot',
        title: expect.any(String),
        video_id: twitch.liveVodId('alice'),
      }),
    ]);
    const info = twitch.createdClips()[0]!;
    expect(info.visibleAt! - info.createdAt).toBeGreaterThanOrEqual(250);
  });

  it("never shows a clip on a channel set to 'never', while others appear", async () => {
    const alice = twitch.addUser({ login: 'alice' }).id;
    const bob = twitch.addUser({ login: 'bob' }).id;
    twitch.setLive('alice', true);
    twitch.setLive('bob', true);
    twitch.setChannel('alice', { clipVisibleAfterMs: 'never' });
    const hidden = (await helix('POST', '/clips', [['broadcaster_id', alice]])).body.data[0].id;
    const bobVisible = once(twitch.events, 'clip-visible');
    const shown = (await helix('POST', '/clips', [['broadcaster_id', bob]])).body.data[0].id;
    await bobVisible;
    const res = await helix('GET', '/clips', [
      ['id', hidden],
      ['id', shown],
    ]);
    expect(res.body.data.map((c: { id: string }) => c.id)).toEqual([shown]);
    expect(twitch.createdClips().find((c) => c.id === hidden)?.visibleAt).toBeNull();
  });
});

describe('GET /clips', () => {
  let alice: string;
  beforeEach(() => {
    alice = twitch.addUser({ login: 'alice' }).id;
    twitch.seedClips('alice', 45, { viewCount: (i) => 1000 + i, featured: (i) => i % 5 === 0 });
  });

  it('pages by broadcaster, most viewed first, with opaque after/before cursors', async () => {
    const p1 = await helix('GET', '/clips', [['broadcaster_id', alice]], appToken);
    expect(p1.body.data).toHaveLength(20);
    expect(p1.body.data[0].view_count).toBe(1044);
    const cursor: string = p1.body.pagination.cursor;
    expect(Buffer.from(cursor, 'base64url').toString()).toMatch(/^\{/);
    const p2 = await helix('GET', '/clips', [
      ['broadcaster_id', alice],
      ['after', cursor],
    ]);
    expect(p2.body.data[0].view_count).toBe(1024);
    const p3 = await helix('GET', '/clips', [
      ['broadcaster_id', alice],
      ['after', p2.body.pagination.cursor],
    ]);
    expect(p3.body.data).toHaveLength(5);
    expect(p3.body.pagination).toEqual({ cursor: LAST_PAGE_CURSOR });
    const past = await helix('GET', '/clips', [
      ['broadcaster_id', alice],
      ['after', LAST_PAGE_CURSOR],
    ]);
    expect(past.body).toEqual({ data: [], pagination: {} });
    const back = await helix('GET', '/clips', [
      ['broadcaster_id', alice],
      ['before', p2.body.pagination.cursor],
    ]);
    expect(back.body.data.map((c: { id: string }) => c.id)).toEqual(
      p1.body.data.map((c: { id: string }) => c.id),
    );
    const big = await helix('GET', '/clips', [
      ['broadcaster_id', alice],
      ['first', '100'],
    ]);
    const views = big.body.data.map((c: { view_count: number }) => c.view_count);
    expect(views).toEqual([...views].sort((x, y) => y - x));
    expect(views).toHaveLength(45);
  });

  it('filters by date window and is_featured', async () => {
    // Seeded clip i was created (i + 1) hours ago.
    const now = Date.now();
    const window = await helix('GET', '/clips', [
      ['broadcaster_id', alice],
      ['started_at', new Date(now - 3.5 * 3_600_000).toISOString()],
      ['ended_at', new Date(now).toISOString()],
    ]);
    expect(window.body.data).toHaveLength(3);
    const featured = await helix('GET', '/clips', [
      ['broadcaster_id', alice],
      ['is_featured', 'true'],
      ['first', '100'],
    ]);
    expect(featured.body.data).toHaveLength(9);
    expect(featured.body.data.every((c: { is_featured: boolean }) => c.is_featured)).toBe(true);
  });

  it('finds clips by game and answers 404 for an unknown game', async () => {
    twitch.seedClips('bob', 3, { gameId: '33214' });
    const res = await helix('GET', '/clips', [['game_id', '33214']]);
    expect(res.body.data).toHaveLength(3);
    expect((await helix('GET', '/clips', [['game_id', '1']])).status).toBe(404);
  });

  it('rejects missing or combined selectors, too many ids, bad first and bad cursors', async () => {
    expectError(await helix('GET', '/clips'), 400, HELIX_MESSAGES.clipsNoQuery);
    expectError(
      await helix('GET', '/clips', [
        ['broadcaster_id', alice],
        ['game_id', '1'],
      ]),
      400,
      HELIX_MESSAGES.clipsExclusive,
    );
    const ids = Array.from({ length: 101 }, (_, i): [string, string] => ['id', `c${i}`]);
    expect((await helix('GET', '/clips', ids)).status).toBe(400);
    expect((await helix('GET', '/clips', ids.slice(1))).status).toBe(200);
    for (const first of ['0', '101', 'x'])
      expect(
        (
          await helix('GET', '/clips', [
            ['broadcaster_id', alice],
            ['first', first],
          ])
        ).status,
      ).toBe(400);
    expect(
      (
        await helix('GET', '/clips', [
          ['broadcaster_id', alice],
          ['after', 'garbage'],
        ])
      ).status,
    ).toBe(400);
  });
});

describe('POST /videos/clips', () => {
  let alice: string;
  let vod: string;
  let aliceToken: string;
  beforeEach(() => {
    alice = twitch.addUser({ login: 'alice' }).id;
    vod = twitch.addVideo('alice', { durationS: 600 }).id;
    aliceToken = twitch.issueUserToken({
      login: 'alice',
      scopes: ['channel:manage:clips'],
    }).accessToken;
  });
  const q = (over: Record<string, string>): [string, string][] =>
    Object.entries({
      editor_id: alice,
      broadcaster_id: alice,
      vod_id: vod,
      vod_offset: '120',
      duration: '30',
      title: 'from the vod',
      ...over,
    });

  it('creates a clip that ends at vod_offset', async () => {
    const visible = once(twitch.events, 'clip-visible');
    const res = await helix('POST', '/videos/clips', q({}), aliceToken);
    expect(res.status).toBe(202);
    const id: string = res.body.data[0].id;
    expect(res.body.data[0].edit_url).toMatch(new RegExp(`/clip/${id}\\?`));
    await visible;
    const clip = (await helix('GET', '/clips', [['id', id]])).body.data[0];
    expect(clip).toMatchObject({
      video_id: vod,
      vod_offset: 90,
      duration: 30,
      title: 'from the vod',
    });
  });

  it('needs editor:manage:clips or channel:manage:clips, and the editor in the token', async () => {
    expect((await helix('POST', '/videos/clips', q({}), botToken)).status).toBe(401);
    const editorToken = twitch.issueUserToken({ login: 'ed', scopes: ['editor:manage:clips'] });
    const ed = twitch.userId('ed');
    const asEd = q({ editor_id: ed });
    expectError(
      await helix('POST', '/videos/clips', asEd, editorToken.accessToken),
      403,
      HELIX_MESSAGES.vodEditorNotAllowed,
    );
    twitch.setChannel('alice', { editors: ['ed'] });
    expect((await helix('POST', '/videos/clips', asEd, editorToken.accessToken)).status).toBe(202);
    expect((await helix('POST', '/videos/clips', q({}), editorToken.accessToken)).status).toBe(401);
  });

  it('answers 400 when vod_offset is before the duration or beyond the VOD', async () => {
    const post = (over: Record<string, string>) =>
      helix('POST', '/videos/clips', q(over), aliceToken);
    expectError(await post({ vod_offset: '20' }), 400, HELIX_MESSAGES.vodOffsetBeforeDuration);
    expect((await post({ vod_offset: '30' })).status).toBe(202);
    expectError(await post({ vod_offset: '601' }), 400, HELIX_MESSAGES.vodOffsetBeyondEnd);
    expect((await post({ vod_id: '1' })).status).toBe(404);
    expect((await post({ title: '' })).status).toBe(400);
  });
});

describe('GET /videos and DELETE /videos', () => {
  it('shows the archive of a live stream, created when the stream started', async () => {
    const startedAt = new Date(Date.now() - 600_000);
    twitch.setLive('alice', true, { startedAt });
    const alice = twitch.userId('alice');
    const res = await helix('GET', '/videos', [
      ['user_id', alice],
      ['type', 'archive'],
    ]);
    expect(res.body.data).toHaveLength(1);
    const vod = res.body.data[0];
    expect(vod.id).toBe(twitch.liveVodId('alice'));
    expect(Date.parse(vod.created_at)).toBe(Math.floor(startedAt.getTime() / 1000) * 1000);
    expect(vod.stream_id).toEqual(expect.any(String));
    expect(vod.duration).toMatch(/^10m\d+s$/);

    twitch.setLive('bob', true);
    twitch.setChannel('bob', { hasVod: false });
    expect((await helix('GET', '/videos', [['user_id', twitch.userId('bob')]])).body.data).toEqual(
      [],
    );
  });

  it('filters by type, sorts, finds by id and rejects bad enums', async () => {
    const a = twitch.addVideo('alice', { type: 'upload', createdAt: new Date(Date.now() - 1000) });
    const b = twitch.addVideo('alice', {
      type: 'highlight',
      createdAt: new Date(Date.now() - 5000),
    });
    const alice = twitch.userId('alice');
    const all = await helix('GET', '/videos', [['user_id', alice]]);
    expect(all.body.data.map((v: { id: string }) => v.id)).toEqual([a.id, b.id]);
    const uploads = await helix('GET', '/videos', [
      ['user_id', alice],
      ['type', 'upload'],
    ]);
    expect(uploads.body.data.map((v: { id: string }) => v.id)).toEqual([a.id]);
    const byId = await helix('GET', '/videos', [
      ['id', b.id],
      ['id', 'missing'],
    ]);
    expect(byId.body.data.map((v: { id: string }) => v.id)).toEqual([b.id]);
    expect((await helix('GET', '/videos', [['id', 'missing']])).status).toBe(404);
    expect(
      (
        await helix('GET', '/videos', [
          ['user_id', alice],
          ['sort', 'best'],
        ])
      ).status,
    ).toBe(400);
    expect((await helix('GET', '/videos', [])).status).toBe(400);
  });

  it('deletes up to 5 of the caller own videos, all or none', async () => {
    const mine = [1, 2].map(() => twitch.addVideo('alice', {}).id);
    const theirs = twitch.addVideo('bob', {}).id;
    const token = twitch.issueUserToken({ login: 'alice', scopes: ['channel:manage:videos'] });
    const del = (ids: string[], t = token.accessToken) =>
      helix(
        'DELETE',
        '/videos',
        ids.map((id): [string, string] => ['id', id]),
        t,
      );
    expect((await del(mine, botToken)).status).toBe(401);
    expect((await del(['1', '2', '3', '4', '5', '6'])).status).toBe(400);
    expect((await del([])).status).toBe(400);
    expectError(await del([...mine, theirs]), 401, HELIX_MESSAGES.deleteNotOwner);
    const ok = await del([...mine, 'unknown']);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ data: mine });
    expect((await helix('GET', '/videos', [['id', mine[0]!]])).status).toBe(404);
    expect((await helix('GET', '/videos', [['id', theirs]])).status).toBe(200);
  });
});

describe('GET /games and POST /chat/messages', () => {
  it('finds games by name and id', async () => {
    const g = twitch.addGame({ name: 'Celeste' });
    const res = await helix('GET', '/games', [
      ['name', 'Celeste'],
      ['id', '27471'],
      ['id', 'nope'],
    ]);
    expect(res.body.data.map((x: { name: string }) => x.name).sort()).toEqual([
      'Celeste',
      'Minecraft',
    ]);
    expect(res.body.data.find((x: { id: string }) => x.id === g.id)).toBeDefined();
    expectError(await helix('GET', '/games'), 400, HELIX_MESSAGES.gamesNoQuery);
  });

  it('accepts a chat message from the sender in the token and announces it', async () => {
    const alice = twitch.addUser({ login: 'alice' }).id;
    const token = twitch.issueUserToken({ login: 'clipbot', scopes: ['user:write:chat'] });
    const me = twitch.userId('clipbot');
    const said = once(twitch.events, 'chat-message');
    const res = await fetch(`${apiUrl}/chat/messages`, {
      method: 'POST',
      headers: {
        'Client-Id': twitch.clientId,
        Authorization: `Bearer ${token.accessToken}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ broadcaster_id: alice, sender_id: me, message: 'hello' }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { message_id: string; is_sent: boolean }[] };
    expect(body.data[0]?.is_sent).toBe(true);
    const [event] = await said;
    expect(event).toMatchObject({ broadcasterId: alice, senderId: me, message: 'hello' });
  });
});

describe('answers as real Twitch gives them (test/fixtures/real-twitch/helix)', () => {
  it('fails a GET /users batch with one malformed login, as Twitch does', async () => {
    twitch.addUser({ login: 'alice' });
    expectError(
      await helix('GET', '/users', [
        ['login', 'alice'],
        ['login', 'not a login!'],
      ]),
      400,
      'Invalid login names, emails or IDs in request',
    );
    const fine = await helix('GET', '/users', [['login', 'alice']]);
    expect(fine.body.data).toHaveLength(1);
  });

  it("sends Create Clip's own bucket in headers, and answers 429 from it while the general bucket has points", async () => {
    const { id: alice } = twitch.addUser({ login: 'alice' });
    twitch.setLive('alice', true);
    twitch.setClipCreationLimit({ limit: 2, refillPerMinute: 0 });
    const first = await helix('POST', '/clips', [['broadcaster_id', alice]]);
    expect(first.status).toBe(202);
    expect(first.headers.get('ratelimit-helixclipscreation-limit')).toBe('2');
    expect(first.headers.get('ratelimit-helixclipscreation-remaining')).toBe('1');
    expect((await helix('POST', '/clips', [['broadcaster_id', alice]])).status).toBe(202);
    const limited = await helix('POST', '/clips', [['broadcaster_id', alice]]);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('ratelimit-helixclipscreation-remaining')).toBe('0');
    expect(Number(limited.headers.get('ratelimit-remaining'))).toBeGreaterThan(0);
    // Reads are not in that bucket.
    expect((await helix('GET', '/clips', [['broadcaster_id', alice]])).status).toBe(200);
    expect(
      (await helix('GET', '/clips', [['broadcaster_id', alice]])).headers.get(
        'ratelimit-helixclipscreation-limit',
      ),
    ).toBeNull();
  });

  it('refuses Create Clip with the real texts, and with a text a scenario sets', async () => {
    const { id: alice } = twitch.addUser({ login: 'alice' });
    twitch.setLive('alice', true);
    const create = () => helix('POST', '/clips', [['broadcaster_id', alice]]);
    twitch.setChannel('alice', { clips: 'disabled' });
    expect((await create()).body.message).toContain('restricted for this channel');
    twitch.setChannel('alice', { clips: 'subscribers' });
    expect((await create()).body.message).toContain('User does not have permissions');
    twitch.setChannel('alice', {
      clips: 'enabled',
      refusal: { status: 403, message: 'New words.' },
    });
    expectError(await create(), 403, 'New words.');
    twitch.setChannel('alice', { refusal: null });
    expect((await create()).status).toBe(202);
  });
});
