import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OAUTH_MESSAGES, TwitchStandIn } from '../../standins/twitch/index.js';

/** The stand-in's id.twitch.tv side: token grants, refresh rotation, validate, device flow. */

let twitch: TwitchStandIn;
let apiUrl: string;
let authUrl: string;

interface Res {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function post(path: string, form: Record<string, string>, inQuery = false): Promise<Res> {
  const params = new URLSearchParams(form).toString();
  const res = inQuery
    ? await fetch(`${authUrl}${path}?${params}`, { method: 'POST' })
    : await fetch(`${authUrl}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: params,
      });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function validate(token: string, scheme = 'OAuth'): Promise<Res> {
  const res = await fetch(`${authUrl}/validate`, {
    headers: { Authorization: `${scheme} ${token}` },
  });
  return { status: res.status, body: await res.json() };
}

async function helixStatus(token: string): Promise<number> {
  const res = await fetch(`${apiUrl}/users?login=alice`, {
    headers: { 'Client-Id': twitch.clientId, Authorization: `Bearer ${token}` },
  });
  await res.arrayBuffer();
  return res.status;
}

beforeEach(async () => {
  twitch = new TwitchStandIn({ clientId: 'cid', clientSecret: 'sekret', deviceIntervalS: 1 });
  ({ apiUrl, authUrl } = await twitch.start());
  twitch.addUser({ login: 'alice' });
});

afterEach(async () => {
  await twitch.stop();
});

describe('client credentials', () => {
  it('issues an app token from a form body or the query string', async () => {
    for (const inQuery of [false, true]) {
      const res = await post(
        '/token',
        { client_id: 'cid', client_secret: 'sekret', grant_type: 'client_credentials' },
        inQuery,
      );
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        access_token: expect.stringMatching(/^[a-z0-9]{30}$/),
        expires_in: 14_400,
        token_type: 'bearer',
      });
      expect(await helixStatus(res.body.access_token)).toBe(200);
      const v = await validate(res.body.access_token);
      expect(v.body).toEqual({ client_id: 'cid', scopes: [], expires_in: expect.any(Number) });
    }
  });

  it('rejects a wrong secret, an unknown client and an unknown grant', async () => {
    const wrong = await post('/token', {
      client_id: 'cid',
      client_secret: 'nope',
      grant_type: 'client_credentials',
    });
    expect(wrong).toEqual({
      status: 403,
      body: { status: 403, message: OAUTH_MESSAGES.invalidClientSecret },
    });
    const client = await post('/token', { client_id: 'x', grant_type: 'client_credentials' });
    expect(client.status).toBe(400);
    const grant = await post('/token', { client_id: 'cid', grant_type: 'password' });
    expect(grant.status).toBe(400);
  });
});

describe('user tokens', () => {
  it('validates a user token with login, user_id, scopes and expires_in', async () => {
    const t = twitch.issueUserToken({ login: 'clipbot', scopes: ['clips:edit', 'chat:read'] });
    const v = await validate(t.accessToken);
    expect(v.status).toBe(200);
    expect(v.body).toEqual({
      client_id: 'cid',
      login: 'clipbot',
      user_id: twitch.userId('clipbot'),
      scopes: ['clips:edit', 'chat:read'],
      expires_in: expect.any(Number),
    });
    expect(v.body.expires_in).toBeGreaterThan(14_390);
    expect((await validate(t.accessToken, 'Bearer')).status).toBe(200);
  });

  it('answers 401 for expired tokens on Helix and on validate', async () => {
    const t = twitch.issueUserToken({ login: 'clipbot', scopes: [] });
    expect(await helixStatus(t.accessToken)).toBe(200);
    twitch.expireToken(t.accessToken);
    expect(await helixStatus(t.accessToken)).toBe(401);
    expect(await validate(t.accessToken)).toEqual({
      status: 401,
      body: { status: 401, message: 'invalid access token' },
    });
    const stale = twitch.issueUserToken({ login: 'clipbot', scopes: [], expiresInS: 0 });
    expect(await helixStatus(stale.accessToken)).toBe(401);
    expect((await validate('never-issued')).status).toBe(401);
  });

  it('rotates refresh tokens: a new pair each time, the old refresh token stops working', async () => {
    const t = twitch.issueUserToken({ login: 'clipbot', scopes: ['clips:edit'] });
    twitch.expireToken(t.accessToken);
    const refresh = (token: string) =>
      post('/token', {
        client_id: 'cid',
        client_secret: 'sekret',
        grant_type: 'refresh_token',
        refresh_token: token,
      });
    const first = await refresh(t.refreshToken);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      expires_in: 14_400,
      scope: ['clips:edit'],
      token_type: 'bearer',
    });
    expect(first.body.refresh_token).not.toBe(t.refreshToken);
    expect(await helixStatus(first.body.access_token)).toBe(200);
    expect(await refresh(t.refreshToken)).toEqual({
      status: 400,
      body: { status: 400, message: 'Invalid refresh token' },
    });
    // A public client refreshes without a secret.
    const second = await post('/token', {
      client_id: 'cid',
      grant_type: 'refresh_token',
      refresh_token: first.body.refresh_token,
    });
    expect(second.status).toBe(200);
    twitch.revokeRefreshToken(second.body.refresh_token);
    expect((await refresh(second.body.refresh_token)).body.message).toBe('Invalid refresh token');
  });

  it('revokes an access token', async () => {
    const t = twitch.issueUserToken({ login: 'clipbot', scopes: [] });
    expect((await post('/revoke', { client_id: 'cid', token: t.accessToken })).status).toBe(200);
    expect(await helixStatus(t.accessToken)).toBe(401);
    expect((await post('/revoke', { client_id: 'cid', token: 'nope' })).status).toBe(400);
  });
});

describe('device code flow', () => {
  const grant = (deviceCode: string) =>
    post('/token', {
      client_id: 'cid',
      device_code: deviceCode,
      scopes: 'clips:edit chat:read',
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
    });

  it('is pending until the user approves, then issues tokens once', async () => {
    const start = await post('/device', { client_id: 'cid', scopes: 'clips:edit chat:read' });
    expect(start.status).toBe(200);
    expect(start.body).toEqual({
      device_code: expect.any(String),
      user_code: expect.stringMatching(/^[A-Z]{8}$/),
      verification_uri: expect.stringContaining(start.body.user_code),
      expires_in: 1800,
      interval: 1,
    });
    expect(await grant(start.body.device_code)).toEqual({
      status: 400,
      body: { status: 400, message: 'authorization_pending' },
    });
    twitch.approveDevice(start.body.user_code, 'clipbot');
    const done = await grant(start.body.device_code);
    expect(done.status).toBe(200);
    const v = await validate(done.body.access_token);
    expect(v.body).toMatchObject({ login: 'clipbot', scopes: ['clips:edit', 'chat:read'] });
    expect(done.body.refresh_token).toEqual(expect.any(String));
    expect((await grant(start.body.device_code)).body.message).toBe('invalid device code');
  });

  it('can be approved over HTTP at the verification URI', async () => {
    const start = await post('/device', { client_id: 'cid', scopes: 'clips:edit' });
    const res = await fetch(`${start.body.verification_uri}&login=viewer`);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    const done = await grant(start.body.device_code);
    expect((await validate(done.body.access_token)).body.login).toBe('viewer');
    expect(() => twitch.approveDevice('ZZZZZZZZ', 'x')).toThrow(/no pending/);
  });
});
