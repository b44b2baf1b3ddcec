import axios from 'axios';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { Metrics } from '../../src/ops/metrics.js';
import { OpsServer } from '../../src/ops/http-server.js';

const TOKEN = 'ops-server-test-token-0123456789';
const withToken = { headers: { authorization: `Bearer ${TOKEN}` } };

describe('OpsServer', () => {
  let server: OpsServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  async function start(checks: ConstructorParameters<typeof OpsServer>[0]['checks']) {
    const metrics = new Metrics();
    server = new OpsServer({
      host: '127.0.0.1',
      port: 0,
      metrics,
      checks,
      log: silentLogger(),
      detailsToken: TOKEN,
    });
    const { url } = await server.start();
    return { url, metrics };
  }

  it('reports 200 when every check is ok or degraded, with each check named', async () => {
    const { url } = await start({
      redis: () => ({ status: 'ok' }),
      discord: () => ({ status: 'degraded', detail: 'not configured' }),
    });
    const res = await axios.get(`${url}/healthz`, withToken);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({
      status: 'degraded',
      checks: {
        redis: { status: 'ok' },
        discord: { status: 'degraded', detail: 'not configured' },
      },
    });
  });

  it('reports 503 when a check is down, throws, or hangs', async () => {
    const { url } = await start({
      redis: () => Promise.reject(new Error('connection refused')),
      chat: () => new Promise(() => undefined),
      tokens: () => ({ status: 'ok' }),
    });
    const res = await axios.get(`${url}/healthz`, { ...withToken, validateStatus: () => true });
    expect(res.status).toBe(503);
    expect(res.data.checks.redis).toEqual({ status: 'down', detail: 'connection refused' });
    expect(res.data.checks.chat.status).toBe('down');
    expect(res.data.checks.tokens.status).toBe('ok');
  });

  it('shows the public only the status: no details without the right token', async () => {
    const { url } = await start({
      redis: () => ({ status: 'down', detail: 'connection refused' }),
      twitchToken: () => ({ status: 'ok', detail: 'bot login clipbot, scopes clips:edit' }),
    });
    for (const headers of [
      {},
      { authorization: 'Bearer wrong-token-of-the-same-len!!' },
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: TOKEN },
    ]) {
      const res = await axios.get(`${url}/healthz`, { headers, validateStatus: () => true });
      expect(res.status).toBe(503);
      expect(res.data).toEqual({ status: 'down' });
    }
    const detailed = await axios.get(`${url}/healthz`, {
      ...withToken,
      validateStatus: () => true,
    });
    expect(detailed.data.checks.twitchToken.detail).toContain('clipbot');
  });

  it('without a configured token, nobody sees details', async () => {
    const metrics = new Metrics();
    server = new OpsServer({
      host: '127.0.0.1',
      port: 0,
      metrics,
      checks: { redis: () => ({ status: 'ok', detail: 'secret-ish' }) },
      log: silentLogger(),
    });
    const { url } = await server.start();
    const res = await axios.get(`${url}/healthz`, withToken);
    expect(res.data).toEqual({ status: 'ok' });
  });

  it('serves Prometheus metrics with the values recorded', async () => {
    const { url, metrics } = await start({});
    metrics.clipRequests.inc({ kind: 'coalesced' }, 3);
    metrics.clipFailures.inc({ reason: 'offline' });
    const res = await axios.get<string>(`${url}/metrics`, { responseType: 'text' });
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.data).toContain('clipbot_clip_requests_total{kind="coalesced"} 3');
    expect(res.data).toContain('clipbot_clip_failures_total{reason="offline"} 1');
  });

  it('answers 404 for other paths and 405 for other methods', async () => {
    const { url } = await start({});
    expect((await axios.get(`${url}/nope`, { validateStatus: () => true })).status).toBe(404);
    expect((await axios.post(`${url}/healthz`, {}, { validateStatus: () => true })).status).toBe(
      405,
    );
  });
});
