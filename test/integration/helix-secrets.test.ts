import { afterEach, describe, expect, it } from 'vitest';
import type { HelixError } from '../../src/twitch/errors.js';
import type { StoredToken } from '../../src/twitch/token-store.js';
import { type HelixFixture, helixFixture, rejection } from './helix-fixture.js';

let f: HelixFixture | undefined;

afterEach(async () => {
  await f?.close();
  f = undefined;
});

describe('secrets stay out of errors and logs', () => {
  it('never puts a token, the client secret or query text in an error or a log line', async () => {
    // The timeout is generous (a loaded machine must not turn a normal call into one) and the
    // latency that makes the timeout case is well past it.
    f = await helixFixture({ clientSecret: true, client: { timeoutMs: 1000, maxRetries: 1 } });
    const fx = f;
    const secrets = [fx.bot.accessToken, fx.bot.refreshToken, fx.standIn.clientSecret];
    const remember = async () => {
      for (const key of ['user', 'app']) {
        const raw = await fx.redis.get(`${fx.prefix}:tokens:${key}`);
        const t = raw ? (JSON.parse(raw) as StoredToken) : undefined;
        if (t?.accessToken) secrets.push(t.accessToken);
        if (t?.refreshToken) secrets.push(t.refreshToken);
      }
    };
    await remember();
    const id = fx.standIn.addUser({ login: 'live_ch' }).id;
    fx.standIn.setLive('live_ch', true);
    fx.standIn.setChannel('live_ch', { clips: 'disabled' });
    const errors: unknown[] = [];
    const attempt = async (p: Promise<unknown>) => errors.push(await rejection(p));

    // A user token refreshed after a 401, then a refusal that carries user text in the query.
    fx.standIn.expireToken(fx.bot.accessToken);
    await attempt(fx.client.createClip({ broadcasterId: id, title: 'secret-title-text' }));
    await remember();
    // An app token rejected and renewed, then server errors and a timeout.
    const app = JSON.parse((await fx.redis.get(`${fx.prefix}:tokens:app`))!) as StoredToken;
    fx.standIn.expireToken(app.accessToken);
    fx.standIn.injectFailure({ status: 500, count: 5, path: '/users' });
    await attempt(fx.client.getUsers({ logins: ['secret_login_text'] }));
    await remember();
    fx.standIn.setLatency(2500, { path: '/streams' });
    await attempt(fx.client.getStreams({ userIds: ['1'] }));
    // A refresh token that no longer works.
    const user = JSON.parse((await fx.redis.get(`${fx.prefix}:tokens:user`))!) as StoredToken;
    fx.standIn.expireToken(user.accessToken);
    fx.standIn.revokeRefreshToken(user.refreshToken!);
    await attempt(fx.client.createClip({ broadcasterId: id }));

    expect(errors.map((e) => (e as HelixError).kind)).toEqual([
      'clips_disabled',
      'server_error',
      'timeout',
      'unauthorized',
    ]);
    expect(fx.logs.lines.length).toBeGreaterThan(5);
    const exposed = [
      fx.logs.text,
      ...errors.map((e) => `${(e as Error).message}\n${JSON.stringify(e)}\n${(e as Error).stack}`),
    ].join('\n');
    expect(secrets.length).toBeGreaterThanOrEqual(6);
    for (const s of secrets) expect(exposed).not.toContain(s);
    expect(exposed).not.toContain('secret-title-text');
    expect(exposed).not.toContain('secret_login_text');
  });
});
