import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELIX_ROUTE_KEYS, TwitchStandIn } from '../../standins/twitch/index.js';
import {
  HelixResponseValidator,
  assertRequestsMatchSpec,
  loadHelixSpec,
  requestProblems,
  specOperation,
  type HelixSpec,
} from '../helpers/helix-spec.js';

/**
 * The stand-in against Twitch's published contract (test/fixtures/helix-contract/):
 * every JSON body it sends must match the spec's response schema, with no field the spec
 * lacks, and every request in this file must be one the spec defines.
 */

let spec: HelixSpec;
let validator: HelixResponseValidator;
let twitch: TwitchStandIn;
let apiUrl: string;
let alice: string;
let aliceToken: string;
let botToken: string;

async function call(
  method: string,
  path: string,
  query: [string, string][],
  opts: { token?: string; json?: unknown } = {},
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(`${apiUrl}${path}?${new URLSearchParams(query).toString()}`, {
    method,
    headers: {
      'Client-Id': twitch.clientId,
      Authorization: `Bearer ${opts.token ?? botToken}`,
      ...(opts.json ? { 'Content-Type': 'application/json' } : {}),
    },
    ...(opts.json ? { body: JSON.stringify(opts.json) } : {}),
  });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

/** Calls the endpoint and checks the answer against the spec's schema for that status. */
async function conforms(
  method: string,
  path: string,
  query: [string, string][],
  expectedStatus = 200,
  opts: { token?: string; json?: unknown } = {},
): Promise<any> /* eslint-disable-line @typescript-eslint/no-explicit-any */ {
  const res = await call(method, path, query, opts);
  expect(res.status, JSON.stringify(res.body)).toBe(expectedStatus);
  expect(validator.problems(method, path, res.status, res.body)).toEqual([]);
  for (const h of ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'])
    expect(res.headers.get(h), h).toMatch(/^\d+$/);
  return res.body;
}

beforeAll(async () => {
  spec = loadHelixSpec();
  validator = new HelixResponseValidator(spec, { noExtraFields: true });
  twitch = new TwitchStandIn({ clipVisibleAfterMs: 0 });
  ({ apiUrl } = await twitch.start());
  alice = twitch.addUser({ login: 'alice', displayName: 'Alice' }).id;
  twitch.setLive('alice', true, { title: 'live now', gameName: 'Minecraft', viewerCount: 7 });
  twitch.seedClips('alice', 3, { featured: (i) => i === 0 });
  twitch.seedClips('alice', 2, { vodId: twitch.liveVodId('alice') });
  twitch.addVideo('alice', { type: 'upload', durationS: 3725 });
  aliceToken = twitch.issueUserToken({
    login: 'alice',
    scopes: ['channel:manage:clips', 'channel:manage:videos', 'clips:edit'],
  }).accessToken;
  botToken = twitch.issueUserToken({
    login: 'clipbot',
    scopes: ['clips:edit', 'user:write:chat'],
  }).accessToken;
});

afterAll(async () => {
  await twitch.stop();
});

describe('the stand-in serves only endpoints the spec defines', () => {
  it.each(HELIX_ROUTE_KEYS)('%s', (key) => {
    const [method, path] = key.split(' ') as [string, string];
    expect(specOperation(spec, method, path)).toBeDefined();
  });
});

describe('responses match the spec schemas', () => {
  it('GET /users', async () => {
    const body = await conforms('GET', '/users', [
      ['id', alice],
      ['login', 'clipbot'],
    ]);
    expect(body.data).toHaveLength(2);
  });

  it('GET /streams', async () => {
    const body = await conforms('GET', '/streams', [
      ['user_id', alice],
      ['type', 'live'],
      ['first', '100'],
    ]);
    expect(body.data).toHaveLength(1);
  });

  it('POST /clips and GET /clips by id', async () => {
    const visible = once(twitch.events, 'clip-visible');
    const created = await conforms(
      'POST',
      '/clips',
      [
        ['broadcaster_id', alice],
        ['title', 'contract'],
        ['duration', '15.5'],
      ],
      202,
    );
    await visible;
    const body = await conforms('GET', '/clips', [['id', created.data[0].id]], 200);
    expect(body.data[0].vod_offset).toEqual(expect.any(Number));
  });

  it('GET /clips by broadcaster, paged, with null and numeric vod_offset', async () => {
    const body = await conforms('GET', '/clips', [
      ['broadcaster_id', alice],
      ['first', '4'],
      ['started_at', new Date(Date.now() - 86_400_000).toISOString()],
    ]);
    expect(body.data).toHaveLength(4);
    expect(body.pagination.cursor).toEqual(expect.any(String));
    const offsets = body.data.map((c: { vod_offset: number | null }) => c.vod_offset);
    expect(offsets).toContain(null);
    await conforms('GET', '/clips', [
      ['broadcaster_id', alice],
      ['after', body.pagination.cursor],
      ['is_featured', 'false'],
    ]);
  });

  it('POST /videos/clips', async () => {
    await conforms(
      'POST',
      '/videos/clips',
      [
        ['editor_id', alice],
        ['broadcaster_id', alice],
        ['vod_id', twitch.addVideo('alice', { durationS: 300 }).id],
        ['vod_offset', '100'],
        ['duration', '30'],
        ['title', 'from vod'],
      ],
      202,
      { token: aliceToken },
    );
  });

  it('GET /videos (a live archive and an upload)', async () => {
    const body = await conforms('GET', '/videos', [
      ['user_id', alice],
      ['type', 'all'],
      ['sort', 'time'],
      ['period', 'all'],
    ]);
    const streamIds = body.data.map((v: { stream_id: string | null }) => v.stream_id);
    expect(streamIds).toContain(null);
    expect(streamIds.some((s: string | null) => typeof s === 'string')).toBe(true);
    await conforms('GET', '/videos', [['id', body.data[0].id]]);
  });

  it('DELETE /videos', async () => {
    const id = twitch.addVideo('alice', { type: 'highlight' }).id;
    const body = await conforms('DELETE', '/videos', [['id', id]], 200, { token: aliceToken });
    expect(body.data).toEqual([id]);
  });

  it('GET /games', async () => {
    await conforms('GET', '/games', [
      ['name', 'Minecraft'],
      ['id', '509658'],
    ]);
  });

  it('POST /chat/messages', async () => {
    await conforms('POST', '/chat/messages', [], 200, {
      json: { broadcaster_id: alice, sender_id: twitch.userId('clipbot'), message: 'hi' },
    });
  });

  it('errors have the Helix error shape', async () => {
    const res = await call('POST', '/clips', [['broadcaster_id', '1']]);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'Bad Request',
      status: 400,
      message: expect.any(String),
    });
  });
});

describe('assertRequestsMatchSpec', () => {
  it('accepts every request this file made', () => {
    expect(twitch.journal.length).toBeGreaterThan(10);
    expect(() => assertRequestsMatchSpec(twitch.journal, { spec })).not.toThrow();
  });

  it('names unknown paths, methods and parameters, bracketed arrays and bad values', () => {
    const entry = (method: string, path: string, query: Record<string, string[]> = {}) => ({
      method,
      path,
      query,
    });
    expect(requestProblems(spec, entry('GET', '/helix/clipz'))).toEqual([
      expect.stringContaining('no GET /clipz'),
    ]);
    expect(requestProblems(spec, entry('PATCH', '/helix/clips'))).toHaveLength(1);
    expect(requestProblems(spec, entry('GET', '/helix/clips', { 'id[]': ['a'] }))).toEqual([
      expect.stringContaining('unknown query parameter "id[]"'),
    ]);
    expect(
      requestProblems(spec, entry('GET', '/helix/clips', { broadcaster_id: ['1', '2'] })),
    ).toEqual([expect.stringContaining('repeated')]);
    expect(
      requestProblems(spec, entry('GET', '/helix/streams', { type: ['offline'], first: ['x'] })),
    ).toHaveLength(2);
    expect(requestProblems(spec, entry('POST', '/helix/clips', { title: ['t'] }))).toEqual([
      expect.stringContaining('"broadcaster_id" is missing'),
    ]);
    expect(
      requestProblems(spec, entry('POST', '/oauth2/token', { grant_type: ['client_credentials'] })),
    ).toEqual([]);
    expect(requestProblems(spec, entry('GET', '/oauth2/authorize-me'))).toHaveLength(1);
    expect(() =>
      assertRequestsMatchSpec([entry('GET', '/helix/clips', { 'id[]': ['a'] })], { spec }),
    ).toThrow(/id\[\]/);
  });
});
