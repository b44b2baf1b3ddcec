import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TwitchStandIn } from '../../standins/twitch/index.js';
import {
  BOT_SCOPES,
  DeviceFlowError,
  pollDeviceFlow,
  startDeviceFlow,
} from '../../src/twitch/device-auth.js';
import { assertRequestsMatchSpec } from '../helpers/helix-spec.js';
import { helixFixture, rejection, type HelixFixture, waitFor } from './helix-fixture.js';

let standIn: TwitchStandIn | undefined;
let f: HelixFixture | undefined;

afterEach(async () => {
  if (standIn) assertRequestsMatchSpec(standIn.journal);
  await standIn?.stop();
  await f?.close();
  standIn = undefined;
  f = undefined;
});

async function started(opts: ConstructorParameters<typeof TwitchStandIn>[0] = {}) {
  standIn = new TwitchStandIn({ deviceIntervalS: 0.02, ...opts });
  const { authUrl } = await standIn.start();
  return { s: standIn, authUrl };
}

describe('device code flow', () => {
  it('keeps polling while authorization is pending, then returns the tokens', async () => {
    const { s, authUrl } = await started();
    s.addUser({ login: 'the_bot' });
    const flow = await startDeviceFlow({ authUrl, clientId: s.clientId, scopes: BOT_SCOPES });
    expect(flow).toMatchObject({
      deviceCode: expect.any(String),
      userCode: expect.stringMatching(/^[A-Z]{8}$/),
      verificationUri: expect.stringContaining('/activate'),
      interval: 0.02,
    });
    expect(flow.expiresIn).toBeGreaterThan(0);

    const tokens = pollDeviceFlow({
      authUrl,
      clientId: s.clientId,
      scopes: BOT_SCOPES,
      deviceCode: flow.deviceCode,
      interval: flow.interval,
      expiresIn: flow.expiresIn,
    });
    // The person has not approved yet: several polls answer authorization_pending.
    await waitFor(() => s.count('POST', '/oauth2/token') >= 3);
    expect(s.journal.filter((e) => e.path === '/oauth2/token').every((e) => e.status === 400)).toBe(
      true,
    );
    s.approveDevice(flow.userCode, 'the_bot');
    const got = await tokens;
    expect(got).toMatchObject({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      scopes: BOT_SCOPES,
    });
    expect(got.expiresIn).toBeGreaterThan(0);
  });

  it('hands the tokens to the TokenManager, which files them and knows the bot', async () => {
    f = await helixFixture({ seed: false });
    const s = f.standIn;
    const flow = await startDeviceFlow({
      authUrl: f.authUrl,
      clientId: s.clientId,
      scopes: BOT_SCOPES,
    });
    s.approveDevice(flow.userCode, 'device_bot');
    const tokens = await pollDeviceFlow({
      authUrl: f.authUrl,
      clientId: s.clientId,
      scopes: BOT_SCOPES,
      deviceCode: flow.deviceCode,
      interval: 0.01,
    });
    const who = await f.tokens.storeTokens('user', tokens);
    expect(who).toMatchObject({ login: 'device_bot', scopes: BOT_SCOPES });
    await f.tokens.validate();
    expect(f.tokens.botIdentity()?.login).toBe('device_bot');
    expect(await f.client.getUsers({ logins: ['device_bot'] })).toHaveLength(1);
  });

  it('fails clearly when the code expires before approval', async () => {
    const { s, authUrl } = await started({ deviceCodeTtlS: 0.1 });
    const flow = await startDeviceFlow({ authUrl, clientId: s.clientId, scopes: ['clips:edit'] });
    const err = await rejection(
      pollDeviceFlow({
        authUrl,
        clientId: s.clientId,
        scopes: ['clips:edit'],
        deviceCode: flow.deviceCode,
        interval: 0.02,
      }),
    );
    expect(err).toBeInstanceOf(DeviceFlowError);
    expect((err as DeviceFlowError).code).toBe('expired');
    expect((err as Error).message).toContain('clipbot auth');
  });

  it('stops at the expiry it was given, and when aborted', async () => {
    const { s, authUrl } = await started();
    const flow = await startDeviceFlow({ authUrl, clientId: s.clientId, scopes: ['clips:edit'] });
    const base = {
      authUrl,
      clientId: s.clientId,
      scopes: ['clips:edit'],
      deviceCode: flow.deviceCode,
      interval: 0.02,
    };
    const expired = await rejection(pollDeviceFlow({ ...base, expiresIn: 0.1 }));
    expect((expired as DeviceFlowError).code).toBe('expired');

    const ac = new AbortController();
    const polling = pollDeviceFlow({ ...base, signal: ac.signal });
    const before = s.count('POST', '/oauth2/token');
    await waitFor(() => s.count('POST', '/oauth2/token') > before);
    ac.abort(new Error('operator pressed ctrl-c'));
    expect(((await rejection(polling)) as Error).message).toBe('operator pressed ctrl-c');
  });

  it('reports a wrong client id when starting', async () => {
    const { authUrl } = await started();
    const err = await rejection(startDeviceFlow({ authUrl, clientId: 'nope', scopes: [] }));
    expect(err).toBeInstanceOf(DeviceFlowError);
    expect((err as Error).message).toContain('invalid client');
  });

  it('waits longer after slow_down', async () => {
    // Twitch's stand-in never asks to slow down, so a minimal OAuth server does.
    const polls: number[] = [];
    const server = createServer((req, res) => {
      polls.push(Date.now());
      res.setHeader('content-type', 'application/json');
      if (polls.length === 1) {
        res.statusCode = 400;
        res.end(JSON.stringify({ status: 400, message: 'slow_down' }));
      } else {
        res.end(JSON.stringify({ access_token: 'a', refresh_token: 'r', scope: ['clips:edit'] }));
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const got = await pollDeviceFlow({
        authUrl: `http://127.0.0.1:${port}/oauth2`,
        clientId: 'c',
        scopes: ['clips:edit'],
        deviceCode: 'd',
        interval: 0.01,
        slowDownStepS: 0.15,
      });
      expect(got.scopes).toEqual(['clips:edit']);
      expect(polls).toHaveLength(2);
      expect(polls[1]! - polls[0]!).toBeGreaterThanOrEqual(150);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
