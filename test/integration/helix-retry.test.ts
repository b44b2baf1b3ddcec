import { afterEach, describe, expect, it } from 'vitest';
import { HelixError } from '../../src/twitch/errors.js';
import { assertRequestsMatchSpec } from '../helpers/helix-spec.js';
import { type HelixFixture, helixFixture, rejection, waitFor } from './helix-fixture.js';

let f: HelixFixture | undefined;

afterEach(async () => {
  if (f) assertRequestsMatchSpec(f.standIn.journal);
  await f?.close();
  f = undefined;
});

function calls(fx: HelixFixture, method: string, path: string) {
  return fx.standIn.journal.filter((e) => e.method === method && e.path === `/helix${path}`);
}

describe('Helix retries', () => {
  it('waits until Ratelimit-Reset after a 429, then succeeds', async () => {
    f = await helixFixture();
    f.standIn.addUser({ login: 'someone' });
    f.standIn.force429(1, 300);
    const users = await f.client.getUsers({ logins: ['someone'] });
    expect(users).toHaveLength(1);
    const [first, second] = calls(f, 'GET', '/users');
    expect(first?.status).toBe(429);
    expect(second?.status).toBe(200);
    // The stand-in's Ratelimit-Reset for that 429 (epoch seconds, rounded up).
    const resetMs = Math.ceil((first!.at + 300) / 1000) * 1000;
    expect(second!.at).toBeGreaterThanOrEqual(resetMs);
  });

  it('gives up with rate_limited and resetAt when the wait would be too long', async () => {
    f = await helixFixture({ client: { maxRateLimitWaitS: 0 } });
    f.standIn.force429(1, 60_000);
    const before = Date.now();
    const err = (await rejection(f.client.getUsers({ logins: ['x'] }))) as HelixError;
    expect(err).toBeInstanceOf(HelixError);
    expect(err).toMatchObject({ kind: 'rate_limited', status: 429, endpoint: 'GET /users' });
    expect(err.resetAt).toBe(Math.ceil((calls(f, 'GET', '/users')[0]!.at + 60_000) / 1000));
    // Did not wait for the reset a minute away (bound loose for a busy machine).
    expect(Date.now() - before).toBeLessThan(20_000);
    expect(calls(f, 'GET', '/users')).toHaveLength(1);
  });

  it('gives up with rate_limited after maxRetries 429s', async () => {
    f = await helixFixture({ client: { maxRetries: 2 } });
    // A reset already in the past: each retry waits only the slack, keeping the test fast.
    f.standIn.force429(10, -1000);
    const err = (await rejection(f.client.getUsers({ logins: ['x'] }))) as HelixError;
    expect(err.kind).toBe('rate_limited');
    expect(calls(f, 'GET', '/users')).toHaveLength(3);
  });

  it('retries a 5xx burst and succeeds', async () => {
    f = await helixFixture({ client: { maxRetries: 3 } });
    f.standIn.addUser({ login: 'someone' });
    f.standIn.injectFailure({ status: 503, count: 2, path: '/users' });
    const users = await f.client.getUsers({ logins: ['someone'] });
    expect(users).toHaveLength(1);
    expect(calls(f, 'GET', '/users').map((c) => c.status)).toEqual([503, 503, 200]);
  });

  it('surfaces a longer 5xx burst as server_error', async () => {
    f = await helixFixture({ client: { maxRetries: 3 } });
    f.standIn.injectFailure({ status: 500, count: 10, path: '/streams' });
    const err = (await rejection(f.client.getStreams({ userIds: ['1'] }))) as HelixError;
    expect(err).toMatchObject({ kind: 'server_error', status: 500, endpoint: 'GET /streams' });
    expect(err.permanent).toBe(false);
    expect(calls(f, 'GET', '/streams')).toHaveLength(4);
  });

  it('does not send Create Clip again after a 5xx (Twitch may have made the clip)', async () => {
    f = await helixFixture({ client: { maxRetries: 3 } });
    const id = f.standIn.addUser({ login: 'live_ch' }).id;
    f.standIn.setLive('live_ch', true);
    f.standIn.injectFailure({ status: 502, count: 1, method: 'POST', path: '/clips' });
    const err = (await rejection(f.client.createClip({ broadcasterId: id }))) as HelixError;
    expect(err).toMatchObject({ kind: 'server_error', status: 502, ambiguous: true });
    expect(calls(f, 'POST', '/clips').map((c) => c.status)).toEqual([502]);
  });

  it('maps a slow answer to timeout, after retrying it', async () => {
    f = await helixFixture({ client: { timeoutMs: 100, maxRetries: 1 } });
    f.standIn.setLatency(400, { path: '/streams' });
    const err = (await rejection(f.client.getStreams({ userIds: ['1'] }))) as HelixError;
    expect(err).toMatchObject({ kind: 'timeout', status: 0, endpoint: 'GET /streams' });
    // Both attempts reach the stand-in (it records them once its latency has passed).
    await waitFor(() => calls(f!, 'GET', '/streams').length === 2);
  });

  it('does not send Create Clip again after a timeout (it may have made a clip)', async () => {
    f = await helixFixture({ client: { timeoutMs: 100, maxRetries: 3 } });
    const id = f.standIn.addUser({ login: 'live_ch' }).id;
    f.standIn.setLive('live_ch', true);
    f.standIn.setLatency(300, { method: 'POST', path: '/clips' });
    const err = (await rejection(f.client.createClip({ broadcasterId: id }))) as HelixError;
    expect(err).toMatchObject({ kind: 'timeout', status: 0, endpoint: 'POST /clips' });
    await waitFor(() => f!.standIn.createdClips().length === 1);
    // A retry would have left 10-80 ms after the timeout and been recorded 300 ms later.
    await new Promise((r) => setTimeout(r, 300));
    expect(calls(f, 'POST', '/clips')).toHaveLength(1);
  });
});
