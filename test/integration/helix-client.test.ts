import { afterEach, describe, expect, it } from 'vitest';
import { assertRequestsMatchSpec } from '../helpers/helix-spec.js';
import { type HelixFixture, helixFixture } from './helix-fixture.js';

let f: HelixFixture | undefined;

afterEach(async () => {
  if (f) assertRequestsMatchSpec(f.standIn.journal);
  await f?.close();
  f = undefined;
});

function helixCalls(fx: HelixFixture, method: string, path: string) {
  return fx.standIn.journal.filter((e) => e.method === method && e.path === `/helix${path}`);
}

describe('HelixClient endpoints against the Twitch stand-in', () => {
  it('sends repeated parameters as id=a&id=b (the stand-in rejects id[]=)', async () => {
    f = await helixFixture();
    const a = f.standIn.addUser({ login: 'alpha' });
    const b = f.standIn.addUser({ login: 'beta' });
    const users = await f.client.getUsers({ ids: [a.id], logins: ['BETA'] });
    expect(users.map((u) => u.login).sort()).toEqual(['alpha', 'beta']);
    const byIds = await f.client.getUsers({ ids: [a.id, b.id] });
    expect(byIds).toHaveLength(2);
    const calls = helixCalls(f, 'GET', '/users');
    expect(calls.map((c) => c.query)).toEqual([
      { id: [a.id], login: ['beta'] },
      { id: [a.id, b.id] },
    ]);
    expect(calls.every((c) => c.status === 200)).toBe(true);
  });

  it('splits more than 100 ids and logins into several requests', async () => {
    f = await helixFixture();
    const logins = Array.from({ length: 150 }, (_, i) => `user_${i}`);
    for (const login of logins) f.standIn.addUser({ login });
    const users = await f.client.getUsers({ logins });
    expect(new Set(users.map((u) => u.login))).toEqual(new Set(logins));
    const calls = helixCalls(f, 'GET', '/users');
    expect(calls.map((c) => c.query.login?.length)).toEqual([100, 50]);

    const ids = users.map((u) => u.id);
    f.standIn.setLive('user_3', true);
    f.standIn.setLive('user_140', true);
    const streams = await f.client.getStreams({ userIds: ids });
    expect(streams.map((s) => s.user_login).sort()).toEqual(['user_140', 'user_3']);
    expect(helixCalls(f, 'GET', '/streams').map((c) => c.query.user_id?.length)).toEqual([100, 50]);
  });

  it('asks for no request at all for empty lists', async () => {
    f = await helixFixture();
    f.standIn.clearJournal();
    expect(await f.client.getUsers({})).toEqual([]);
    expect(await f.client.getStreams({ userIds: [] })).toEqual([]);
    expect(await f.client.getClipsByIds([])).toEqual([]);
    expect(f.standIn.journal).toHaveLength(0);
  });

  it('pages through every clip exactly once, and stops at a limit', async () => {
    f = await helixFixture();
    const streamer = f.standIn.addUser({ login: 'streamer' });
    f.standIn.seedClips('streamer', 250);
    const all = await f.client.getAllClips({ broadcasterId: streamer.id });
    expect(all).toHaveLength(250);
    expect(new Set(all.map((c) => c.id)).size).toBe(250);
    const pages = helixCalls(f, 'GET', '/clips');
    expect(pages).toHaveLength(3);
    expect(pages[0]?.query.after).toBeUndefined();
    expect(pages[1]?.query.after).toHaveLength(1);

    f.standIn.clearJournal();
    const some = await f.client.getAllClips({ broadcasterId: streamer.id }, 120);
    expect(some.map((c) => c.id)).toEqual(all.slice(0, 120).map((c) => c.id));
    expect(helixCalls(f, 'GET', '/clips').map((c) => c.query.first)).toEqual([['100'], ['20']]);

    // 250 ids by id: three requests of at most 100, every clip back.
    f.standIn.clearJournal();
    const byId = await f.client.getClipsByIds(all.map((c) => c.id));
    expect(new Set(byId.map((c) => c.id))).toEqual(new Set(all.map((c) => c.id)));
    expect(helixCalls(f, 'GET', '/clips').map((c) => c.query.id?.length)).toEqual([100, 100, 50]);

    const page = await f.client.getClips({ broadcasterId: streamer.id, first: 10 });
    expect(page.data).toHaveLength(10);
    expect(page.cursor).toEqual(expect.any(String));
    const next = await f.client.getClips({
      broadcasterId: streamer.id,
      first: 10,
      after: page.cursor,
    });
    expect(next.data[0]?.id).toBe(all[10]?.id);
  });

  it('creates a clip with the user token and finds it by id', async () => {
    f = await helixFixture({ clientSecret: true });
    const streamer = f.standIn.addUser({ login: 'live_one' });
    f.standIn.setLive('live_one', true);
    const created = await f.client.createClip({
      broadcasterId: streamer.id,
      title: 'nice play',
      duration: 20,
    });
    expect(created.id).toEqual(expect.any(String));
    expect(created.edit_url).toContain(created.id);
    const [clip] = await f.client.getClipsByIds([created.id, 'does-not-exist']);
    expect(clip?.id).toBe(created.id);
    expect(clip?.title).toBe('nice play');
    expect(clip?.creator_id).toBe(f.bot.id);

    const post = helixCalls(f, 'POST', '/clips');
    expect(post).toHaveLength(1);
    expect(post[0]?.tokenKind).toBe('user');
    expect(post[0]?.query).toEqual({
      broadcaster_id: [streamer.id],
      title: ['nice play'],
      duration: ['20'],
    });
    // With a client secret, reads go out with the app token.
    expect(helixCalls(f, 'GET', '/clips')[0]?.tokenKind).toBe('app');
  });

  it('reads with the user token when no client secret is configured', async () => {
    f = await helixFixture();
    await f.client.getUsers({ logins: ['someone'] });
    expect(helixCalls(f, 'GET', '/users')[0]?.tokenKind).toBe('user');
    expect(f.standIn.count('POST', '/oauth2/token')).toBe(0);
  });

  it('clips from a VOD as the channel editor', async () => {
    f = await helixFixture();
    const streamer = f.standIn.addUser({ login: 'vod_owner' });
    f.standIn.setChannel('vod_owner', { editors: [f.bot.login] });
    const vod = f.standIn.addVideo('vod_owner', { durationS: 3600 });
    const created = await f.client.createClipFromVod({
      editorId: f.bot.id,
      broadcasterId: streamer.id,
      vodId: vod.id,
      vodOffset: 600,
      duration: 30,
      title: 'from the vod',
    });
    expect(created.id).toEqual(expect.any(String));
    const videos = await f.client.getVideos({ userId: streamer.id });
    expect(videos.data.map((v) => v.id)).toContain(vod.id);
  });

  it("deletes videos with the broadcaster's own token, five ids per request", async () => {
    f = await helixFixture();
    const streamer = f.standIn.addUser({ login: 'owner' });
    const ids = Array.from({ length: 7 }, () => f!.standIn.addVideo('owner', {}).id);
    const issued = f.standIn.issueUserToken({ login: 'owner', scopes: ['channel:manage:videos'] });
    const stored = await f.tokens.storeTokens('broadcaster', issued);
    expect(stored.userId).toBe(streamer.id);

    const deleted = await f.client.deleteVideos(ids, streamer.id);
    expect(deleted.sort()).toEqual([...ids].sort());
    const calls = helixCalls(f, 'DELETE', '/videos');
    expect(calls.map((c) => c.query.id?.length)).toEqual([5, 2]);
    expect(calls.every((c) => c.userLogin === 'owner')).toBe(true);
  });

  it('finds games by name and id', async () => {
    f = await helixFixture();
    const game = f.standIn.addGame({ name: 'Speedrun Simulator' });
    const games = await f.client.getGames({ names: ['Speedrun Simulator'], ids: [game.id] });
    expect(games.map((g) => g.id)).toContain(game.id);
    expect(helixCalls(f, 'GET', '/games')[0]?.query).toEqual({
      id: [game.id],
      name: ['Speedrun Simulator'],
    });
  });

  it('reports the Ratelimit-* headers per token kind and counts calls in metrics', async () => {
    f = await helixFixture();
    f.standIn.setRateLimit({ limit: 50 });
    await f.client.getUsers({ logins: ['a'] });
    await f.client.getUsers({ logins: ['b'] });
    const rl = f.client.rateLimit();
    expect(rl.user).toMatchObject({ limit: 50, remaining: 48 });
    expect(rl.user?.reset).toBeGreaterThan(Date.now() / 1000 - 1);
    const metrics = await f.metrics.registry.getMetricsAsJSON();
    const calls = metrics.find((m) => m.name === 'clipbot_helix_calls_total');
    expect(calls?.values).toContainEqual(
      expect.objectContaining({ labels: { endpoint: 'GET /users', status: '200' }, value: 2 }),
    );
    const remaining = metrics.find((m) => m.name === 'clipbot_helix_ratelimit_remaining');
    expect(remaining?.values).toContainEqual(
      expect.objectContaining({ labels: { token: 'user' }, value: 48 }),
    );
  });
});
