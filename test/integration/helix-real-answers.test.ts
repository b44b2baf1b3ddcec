import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide } from '../../src/clips/failure-mapping.js';
import { silentLogger } from '../../src/logger.js';
import { Metrics } from '../../src/ops/metrics.js';
import { HelixError } from '../../src/twitch/errors.js';
import { HelixClient } from '../../src/twitch/helix-client.js';
import type { HelixTokenSource } from '../../src/twitch/token-source.js';

/** One captured answer of real Twitch (test/fixtures/real-twitch/helix/README.md). */
interface RealAnswer {
  name: string;
  source: string;
  request: { method: 'GET' | 'POST'; path: string; query: Record<string, string | string[]> };
  status: number;
  headers: Record<string, string>;
  body: unknown;
  expect: {
    kind?: string;
    reason?: string;
    twitchText?: string;
    attempts?: number;
    created?: { id: string; edit_url: string };
    clipCreation?: { limit: number; remaining: number };
    clipIds?: string[];
    pages?: number;
    /** GET /users: the batch Twitch refused is split until each entry is named. */
    splitTo?: string[];
  };
}

const ANSWERS = JSON.parse(
  readFileSync(new URL('../fixtures/real-twitch/helix/answers.json', import.meta.url), 'utf8'),
) as RealAnswer[];

const tokens: HelixTokenSource = {
  clientId: 'replay-client',
  getToken: () => Promise.resolve('replay-token'),
  refreshAfter401: () => Promise.resolve('replay-token'),
  appTokenAvailable: () => false,
};

/** A server that answers every request with one captured answer, and counts requests. */
let server: Server;
let answer: RealAnswer;
let requests: string[] = [];
let client: HelixClient;
let metrics: Metrics;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  metrics = new Metrics();
  client = new HelixClient({
    apiUrl: `http://127.0.0.1:${port}/helix`,
    clientId: tokens.clientId,
    tokens,
    timeoutMs: 2000,
    maxRetries: 3,
    retryBaseMs: 1,
    maxRateLimitWaitS: 5,
    log: silentLogger(),
    metrics,
  });
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
});

function call(a: RealAnswer): Promise<unknown> {
  const q = a.request.query;
  const one = (name: string) => {
    const v = q[name];
    return Array.isArray(v) ? v[0]! : v!;
  };
  const key = `${a.request.method} ${a.request.path}`;
  if (key === 'POST /clips') return client.createClip({ broadcasterId: one('broadcaster_id') });
  if (key === 'GET /clips' && q.id) return client.getClipsByIds([one('id')]);
  if (key === 'GET /clips') return client.getAllClips({ broadcasterId: one('broadcaster_id') });
  // Logins that pass our own check, so the batch reaches Twitch as it did.
  if (key === 'GET /users') return client.lookUpUsers({ logins: ['summit1g', 'notreal_login'] });
  throw new Error(`no call for ${key}`);
}

describe('the real HelixClient against real Twitch answers, over HTTP', () => {
  it.each(ANSWERS.map((a) => [a.name, a] as const))('%s', async (_name, a) => {
    expect(a.source, 'every captured answer names where it was seen').not.toBe('');
    answer = a;
    requests = [];
    const result = await call(a).then(
      (value) => ({ value }),
      (err: unknown) => ({ err }),
    );
    const e = a.expect;
    if (e.kind) {
      expect('err' in result && result.err).toBeInstanceOf(HelixError);
      const err = (result as { err: HelixError }).err;
      expect(err.kind).toBe(e.kind);
      expect(err.status).toBe(a.status);
      if (e.reason || e.twitchText) {
        expect(decide(err)).toMatchObject({
          ...(e.reason ? { reason: e.reason } : {}),
          ...(e.twitchText ? { twitchText: e.twitchText } : {}),
        });
      }
    } else {
      expect('value' in result, JSON.stringify(result)).toBe(true);
    }
    if (e.attempts !== undefined) expect(requests).toHaveLength(e.attempts);
    if (e.created) expect((result as { value: unknown }).value).toEqual(e.created);
    if (e.clipCreation) expect(client.clipCreationLimit()).toMatchObject(e.clipCreation);
    if (e.clipIds) {
      const clips = (result as { value: { id: string }[] }).value;
      expect(clips.map((c) => c.id)).toEqual(e.clipIds);
    }
    if (e.pages !== undefined) expect(requests).toHaveLength(e.pages);
    if (e.splitTo) {
      // Every batch of this replay is refused, so each login ends up named on its own.
      expect((result as { value: { invalid: string[] } }).value.invalid).toEqual(e.splitTo);
    }
  });

  it('counts unknown refusal texts, and they are told as Twitch worded them', async () => {
    const unknown = ANSWERS.find((a) => a.expect.reason === 'twitch_refused')!;
    answer = unknown;
    const before = (await metrics.helixUnknownRefusals.get()).values.reduce(
      (n, v) => n + v.value,
      0,
    );
    await expect(client.createClip({ broadcasterId: '1' })).rejects.toBeInstanceOf(HelixError);
    const after = (await metrics.helixUnknownRefusals.get()).values.reduce(
      (n, v) => n + v.value,
      0,
    );
    expect(after).toBe(before + 1);
  });
});

describe('GET /users with an invalid login in the batch', () => {
  it('never sends a malformed login, and names it', async () => {
    answer = { ...ANSWERS[0]!, status: 200, headers: {}, body: { data: [] } };
    requests = [];
    const out = await client.lookUpUsers({ logins: ['summit1g', 'not a login!', 'x'.repeat(26)] });
    expect(out.invalid).toEqual(['not a login!', 'x'.repeat(26)]);
    expect(requests).toHaveLength(1);
    expect(requests[0]).not.toContain('not');
  });
});
