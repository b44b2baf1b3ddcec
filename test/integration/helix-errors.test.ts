import { afterEach, describe, expect, it } from 'vitest';
import { HelixError, type HelixErrorKind } from '../../src/twitch/errors.js';
import { assertRequestsMatchSpec } from '../helpers/helix-spec.js';
import { type HelixFixture, helixFixture, rejection } from './helix-fixture.js';

let f: HelixFixture | undefined;

afterEach(async () => {
  if (f) assertRequestsMatchSpec(f.standIn.journal, { checkRequired: false });
  await f?.close();
  f = undefined;
});

async function helixError(p: Promise<unknown>): Promise<HelixError> {
  const err = await rejection(p);
  expect(err).toBeInstanceOf(HelixError);
  return err as HelixError;
}

describe('Helix errors map to kinds (over HTTP, with Twitch texts)', () => {
  it('maps every Create Clip refusal', async () => {
    f = await helixFixture();
    const fx = f;
    const channel = (login: string, live = true) => {
      const u = fx.standIn.addUser({ login });
      fx.standIn.setLive(login, live);
      return u.id;
    };
    const offline = channel('offline_ch', false);
    const disabled = channel('disabled_ch');
    fx.standIn.setChannel('disabled_ch', { clips: 'disabled' });
    const followers = channel('followers_ch');
    fx.standIn.setChannel('followers_ch', { clips: 'followers' });
    const banned = channel('banned_ch');
    fx.standIn.setChannel('banned_ch', { botBanned: true });
    const unclippable = channel('unclippable_ch');
    fx.standIn.setChannel('unclippable_ch', { clippable: false });
    const live = channel('live_ch');
    fx.standIn.automodBlock('badword');

    const cases: [Parameters<typeof fx.client.createClip>[0], HelixErrorKind, number][] = [
      [{ broadcasterId: offline }, 'not_live', 404],
      [{ broadcasterId: disabled }, 'clips_disabled', 403],
      [{ broadcasterId: followers }, 'clips_restricted', 403],
      [{ broadcasterId: banned }, 'banned', 403],
      [{ broadcasterId: unclippable }, 'not_clippable', 403],
      [{ broadcasterId: live, title: 'such a badword moment' }, 'title_rejected', 400],
      [{ broadcasterId: '999999999' }, 'unknown_broadcaster', 400],
      [{ broadcasterId: live, duration: 3 }, 'bad_request', 400],
    ];
    for (const [query, kind, status] of cases) {
      const err = await helixError(fx.client.createClip(query));
      expect({ kind: err.kind, status: err.status, endpoint: err.endpoint }).toEqual({
        kind,
        status,
        endpoint: 'POST /clips',
      });
      expect(err.twitchMessage.length).toBeGreaterThan(0);
      expect(err.permanent).toBe(true);
      // The title is user text and went out in the query string: never in the message.
      expect(err.message).not.toContain('badword');
    }
    // Permanent failures are not retried, and 4xx do not cost a token refresh.
    expect(fx.standIn.count('POST', '/helix/clips')).toBe(cases.length);
    expect(fx.standIn.count('POST', '/oauth2/token')).toBe(0);
  });

  it('maps a missing scope without refreshing the token', async () => {
    f = await helixFixture({ scopes: ['chat:read'] });
    const id = f.standIn.addUser({ login: 'live_ch' }).id;
    f.standIn.setLive('live_ch', true);
    const err = await helixError(f.client.createClip({ broadcasterId: id }));
    expect(err).toMatchObject({ kind: 'missing_scope', status: 401 });
    expect(err.twitchMessage).toContain('clips:edit');
    expect(f.standIn.count('POST', '/oauth2/token')).toBe(0);
    expect(f.tokens.state('user').message).toContain('MISSING clips:edit');
  });

  it('maps the VOD clip refusals: forbidden, not_found, unknown_broadcaster', async () => {
    f = await helixFixture();
    const streamer = f.standIn.addUser({ login: 'vod_owner' });
    const vod = f.standIn.addVideo('vod_owner', { durationS: 3600 });
    const query = {
      editorId: f.bot.id,
      broadcasterId: streamer.id,
      vodId: vod.id,
      vodOffset: 600,
      title: 'x',
    };
    expect(await helixError(f.client.createClipFromVod(query))).toMatchObject({
      kind: 'forbidden',
      status: 403,
      endpoint: 'POST /videos/clips',
    });
    f.standIn.setChannel('vod_owner', { editors: [f.bot.login] });
    expect(
      await helixError(f.client.createClipFromVod({ ...query, vodId: '123456789' })),
    ).toMatchObject({ kind: 'not_found', status: 404 });
    expect(
      await helixError(f.client.createClipFromVod({ ...query, broadcasterId: '987654321' })),
    ).toMatchObject({ kind: 'unknown_broadcaster', status: 404 });
  });

  it('maps 404 elsewhere to not_found and other 400s to bad_request', async () => {
    f = await helixFixture();
    expect(await helixError(f.client.getVideos({ ids: ['55555'] }))).toMatchObject({
      kind: 'not_found',
      status: 404,
      endpoint: 'GET /videos',
    });
    expect(await helixError(f.client.getClips({}))).toMatchObject({
      kind: 'bad_request',
      status: 400,
      endpoint: 'GET /clips',
    });
  });

  it('maps an unreachable Twitch to network after retries', async () => {
    f = await helixFixture({ client: { maxRetries: 2, retryBaseMs: 5 } });
    await f.standIn.stop();
    const err = await helixError(f.client.getUsers({ logins: ['x'] }));
    expect(err).toMatchObject({ kind: 'network', status: 0, endpoint: 'GET /users' });
    expect(err.permanent).toBe(false);
    expect(err.message).toContain('ECONNREFUSED');
    const warns = f.logs.lines.filter((l) => l.includes('"kind":"network"'));
    expect(warns).toHaveLength(2);
  });
});
