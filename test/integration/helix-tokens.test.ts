import { afterEach, describe, expect, it } from 'vitest';
import { HelixError, TokenError } from '../../src/twitch/errors.js';
import { HelixClient } from '../../src/twitch/helix-client.js';
import type { StoredToken } from '../../src/twitch/token-store.js';
import type { TokenManager } from '../../src/twitch/token-manager.js';
import { assertRequestsMatchSpec } from '../helpers/helix-spec.js';
import { BOT_LOGIN, type HelixFixture, helixFixture, rejection, waitFor } from './helix-fixture.js';

let f: HelixFixture | undefined;

afterEach(async () => {
  if (f) assertRequestsMatchSpec(f.standIn.journal);
  await f?.close();
  f = undefined;
});

async function stored(fx: HelixFixture, key = 'user'): Promise<StoredToken | undefined> {
  const raw = await fx.redis.get(`${fx.prefix}:tokens:${key}`);
  return raw ? (JSON.parse(raw) as StoredToken) : undefined;
}

function clientFor(fx: HelixFixture, tokens: TokenManager): HelixClient {
  return new HelixClient({
    apiUrl: fx.apiUrl,
    clientId: fx.standIn.clientId,
    tokens,
    timeoutMs: 2000,
    maxRetries: 2,
    retryBaseMs: 10,
    maxRateLimitWaitS: 5,
    log: fx.logs.logger,
  });
}

describe('TokenManager', () => {
  it('validates at start and knows who the bot is', async () => {
    f = await helixFixture();
    expect(f.tokens.botIdentity()).toEqual({
      login: BOT_LOGIN,
      userId: f.bot.id,
      scopes: expect.arrayContaining(['clips:edit']),
    });
    expect(f.tokens.state('user')).toMatchObject({ state: 'ok' });
    expect(f.tokens.state('user').message).toContain(BOT_LOGIN);
    expect(f.tokens.state('app').state).toBe('missing');
    expect(f.standIn.count('GET', '/oauth2/validate')).toBe(1);
    expect((await stored(f))?.accessToken).toBe(f.bot.accessToken);
  });

  it('refreshes exactly once for 20 concurrent calls that hit 401, and stores the rotated refresh token', async () => {
    // Counts every request Twitch saw: a call the client gave up on under load (and sent
    // again) would add one of its own.
    f = await helixFixture({ client: { timeoutMs: 30_000 } });
    const ids = Array.from({ length: 20 }, (_, i) => f!.standIn.addUser({ login: `u${i}` }).id);
    const changes: string[] = [];
    f.tokens.onUserToken((t) => changes.push(t));
    f.standIn.expireToken(f.bot.accessToken);

    const results = await Promise.all(ids.map((id) => f!.client.getUsers({ ids: [id] })));
    expect(results.every((r) => r.length === 1)).toBe(true);
    expect(f.standIn.count('POST', '/oauth2/token')).toBe(1);

    const now = await stored(f);
    expect(now?.accessToken).not.toBe(f.bot.accessToken);
    expect(now?.refreshToken).toEqual(expect.any(String));
    expect(now?.refreshToken).not.toBe(f.bot.refreshToken);
    expect(changes).toEqual([now?.accessToken]);
    // Every call that got a 401 went again with the new token.
    const users = f.standIn.journal.filter((e) => e.path === '/helix/users');
    expect(users.filter((e) => e.status === 401)).toHaveLength(20);
    expect(users.filter((e) => e.status === 200)).toHaveLength(20);
  });

  it('refreshes once across two processes sharing Redis', async () => {
    f = await helixFixture();
    const other = f.otherProcess();
    const otherClient = clientFor(f, other);
    f.standIn.expireToken(f.bot.accessToken);
    const fx = f;
    const calls = Array.from({ length: 10 }, (_, i) =>
      (i % 2 === 0 ? fx.client : otherClient).getUsers({ logins: [BOT_LOGIN] }),
    );
    const results = await Promise.all(calls);
    expect(results.every((r) => r[0]?.id === fx.bot.id)).toBe(true);
    expect(f.standIn.count('POST', '/oauth2/token')).toBe(1);
    expect(await other.getToken('user')).toBe((await stored(f))?.accessToken);
  });

  it('keeps the refreshed token over the seed on restart, and takes a changed seed', async () => {
    f = await helixFixture();
    f.standIn.expireToken(f.bot.accessToken);
    await f.client.getUsers({ logins: [BOT_LOGIN] });
    const refreshed = (await stored(f))?.accessToken;
    expect(refreshed).not.toBe(f.bot.accessToken);

    const restarted = f.otherProcess();
    await restarted.start();
    expect(await restarted.getToken('user')).toBe(refreshed);
    expect(restarted.state('user').state).toBe('ok');

    const fresh = f.standIn.issueUserToken({ login: BOT_LOGIN, scopes: ['clips:edit'] });
    const reseeded = f.otherProcess({ seedUserToken: fresh });
    await reseeded.start();
    expect(await reseeded.getToken('user')).toBe(fresh.accessToken);
    expect((await stored(f))?.refreshToken).toBe(fresh.refreshToken);
  });

  it('reports a token that cannot be refreshed, once, and recovers when a new one is stored', async () => {
    f = await helixFixture();
    f.standIn.expireToken(f.bot.accessToken);
    f.standIn.revokeRefreshToken(f.bot.refreshToken);

    const err = (await rejection(f.client.getUsers({ logins: ['x'] }))) as HelixError;
    expect(err).toBeInstanceOf(HelixError);
    expect(err).toMatchObject({ kind: 'unauthorized', status: 401, endpoint: 'GET /users' });
    expect(err.twitchMessage).toContain('Invalid refresh token');
    expect(f.tokens.state('user')).toMatchObject({ state: 'invalid' });
    expect(f.tokens.state('user').message).toContain('clipbot auth');
    await expect(f.tokens.getToken('user')).rejects.toBeInstanceOf(TokenError);

    // Later calls fail fast: no more refresh attempts with a refresh token known to be bad.
    await rejection(f.client.getUsers({ logins: ['x'] }));
    await f.tokens.validate();
    expect(f.standIn.count('POST', '/oauth2/token')).toBe(1);
    const errors = f.logs.lines.filter((l) => JSON.parse(l).level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('cannot be used');

    // The operator runs `clipbot auth`: the process picks the new token up.
    const fresh = f.standIn.issueUserToken({ login: BOT_LOGIN, scopes: ['clips:edit'] });
    const changes: string[] = [];
    f.tokens.onUserToken((t) => changes.push(t));
    await f.tokens.storeTokens('user', fresh);
    expect(changes).toEqual([fresh.accessToken]);
    expect(f.tokens.state('user').state).toBe('ok');
    expect(await f.client.getUsers({ logins: [BOT_LOGIN] })).toHaveLength(1);
  });

  it('refreshes a token found expired by validation', async () => {
    f = await helixFixture();
    f.standIn.expireToken(f.bot.accessToken);
    await f.tokens.validate();
    expect(f.standIn.count('POST', '/oauth2/token')).toBe(1);
    expect(f.tokens.state('user').state).toBe('ok');
    expect((await stored(f))?.accessToken).not.toBe(f.bot.accessToken);
  });

  it('refreshes a token about to expire before using it (no 401 needed)', async () => {
    f = await helixFixture({ tokens: { expirySkewS: 60 } });
    const short = f.standIn.issueUserToken({
      login: BOT_LOGIN,
      scopes: ['clips:edit'],
      expiresInS: 30,
    });
    await f.tokens.storeTokens('user', short);
    await Promise.all([1, 2, 3].map(() => f!.client.getUsers({ logins: [BOT_LOGIN] })));
    expect(f.standIn.count('POST', '/oauth2/token')).toBe(1);
    const users = f.standIn.journal.filter((e) => e.path === '/helix/users');
    expect(users.map((e) => e.status)).toEqual([200, 200, 200]);
    expect((await stored(f))?.accessToken).not.toBe(short.accessToken);
  });

  it('validates on a timer until stopped', async () => {
    f = await helixFixture({ tokens: { validateIntervalS: 0.05 } });
    await waitFor(() => f!.standIn.count('GET', '/oauth2/validate') >= 3);
    f.tokens.stop();
    // Let a validation already on the wire land before counting.
    await new Promise((r) => setTimeout(r, 50));
    const after = f.standIn.count('GET', '/oauth2/validate');
    await new Promise((r) => setTimeout(r, 150));
    expect(f.standIn.count('GET', '/oauth2/validate')).toBe(after);
  });

  it('says clearly when there is no user token', async () => {
    f = await helixFixture({ seed: false });
    expect(f.tokens.state('user')).toMatchObject({ state: 'missing' });
    expect(f.tokens.state('user').message).toContain('clipbot auth');
    expect(f.tokens.botIdentity()).toBeUndefined();
    const err = (await rejection(f.client.getUsers({ logins: ['x'] }))) as HelixError;
    expect(err).toMatchObject({ kind: 'unauthorized', status: 0 });
    expect(f.standIn.journal.filter((e) => e.path.startsWith('/helix'))).toHaveLength(0);
  });

  it('gets an app token by client credentials and renews it when rejected', async () => {
    f = await helixFixture({ clientSecret: true });
    expect(f.tokens.state('app').state).toBe('ok');
    expect(f.standIn.count('POST', '/oauth2/token')).toBe(1);
    const app = (await stored(f, 'app'))!.accessToken;
    f.standIn.expireToken(app);

    const results = await Promise.all(
      Array.from({ length: 5 }, () => f!.client.getUsers({ logins: [BOT_LOGIN] })),
    );
    expect(results.every((r) => r.length === 1)).toBe(true);
    expect(f.standIn.count('POST', '/oauth2/token')).toBe(2);
    expect((await stored(f, 'app'))?.accessToken).not.toBe(app);
    const reads = f.standIn.journal.filter((e) => e.path === '/helix/users');
    expect(reads.every((e) => e.tokenKind === 'app')).toBe(true);
  });

  it('reports a wrong client secret as an invalid app token', async () => {
    f = await helixFixture({ clientSecret: true, tokens: { clientSecret: 'wrong-secret' } });
    expect(f.tokens.state('app')).toMatchObject({ state: 'invalid' });
    expect(f.tokens.state('app').message).toContain('TWITCH_CLIENT_SECRET');
    const err = (await rejection(f.client.getUsers({ logins: ['x'] }))) as HelixError;
    expect(err.kind).toBe('unauthorized');
    expect(f.logs.text).not.toContain('wrong-secret');
  });

  it("files a broadcaster's token under its owner and refreshes it on 401", async () => {
    f = await helixFixture();
    const owner = f.standIn.addUser({ login: 'owner' });
    const issued = f.standIn.issueUserToken({ login: 'owner', scopes: ['channel:manage:videos'] });
    await expect(f.tokens.storeTokens('broadcaster', issued, '42')).rejects.toBeInstanceOf(
      TokenError,
    );
    await f.tokens.storeTokens('broadcaster', issued);
    expect((await stored(f, `broadcaster:${owner.id}`))?.accessToken).toBe(issued.accessToken);
    expect(f.tokens.state('broadcaster', owner.id).state).toBe('ok');

    const vid = f.standIn.addVideo('owner', {}).id;
    f.standIn.expireToken(issued.accessToken);
    expect(await f.client.deleteVideos([vid], owner.id)).toEqual([vid]);
    const rotated = await stored(f, `broadcaster:${owner.id}`);
    expect(rotated?.refreshToken).not.toBe(issued.refreshToken);

    const err = (await rejection(f.client.deleteVideos([vid], '777'))) as HelixError;
    expect(err).toMatchObject({ kind: 'unauthorized', endpoint: 'DELETE /videos' });
    expect(err.message).toContain('clipbot auth --broadcaster');
  });
});
