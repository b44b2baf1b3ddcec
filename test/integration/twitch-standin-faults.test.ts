import http from 'node:http';
import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TwitchStandIn, type JournalEntry } from '../../standins/twitch/index.js';

/** Rate limiting, scenario trouble, the journal and the server's lifecycle. */

let twitch: TwitchStandIn;
let apiUrl: string;
let token: string;

interface Res {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  headers: Headers;
  ms: number;
}

async function get(path: string, t = token): Promise<Res> {
  const started = performance.now();
  const res = await fetch(`${apiUrl}${path}`, {
    headers: { 'Client-Id': twitch.clientId, Authorization: `Bearer ${t}` },
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text ? JSON.parse(text) : undefined,
    headers: res.headers,
    ms: performance.now() - started,
  };
}

async function waitFor(cond: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeEach(async () => {
  twitch = new TwitchStandIn();
  ({ apiUrl } = await twitch.start());
  twitch.setLive('alice', true);
  token = twitch.issueUserToken({ login: 'clipbot', scopes: ['clips:edit'] }).accessToken;
});

afterEach(async () => {
  await twitch.stop();
});

describe('rate limiting', () => {
  it('sends Ratelimit-* headers on every call and 429 when the bucket is empty', async () => {
    twitch.setRateLimit({ limit: 3, refillPerMinute: 1 });
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await get('/streams?user_login=alice');
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-limit')).toBe('3');
      remaining.push(res.headers.get('ratelimit-remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const limited = await get('/streams?user_login=alice');
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({
      error: 'Too Many Requests',
      status: 429,
      message: 'Too Many Requests',
    });
    const reset = Number(limited.headers.get('ratelimit-reset'));
    expect(reset).toBeGreaterThan(Date.now() / 1000 + 60);

    // Buckets belong to the caller: the app and other users still have points.
    const app = twitch.issueAppToken().accessToken;
    expect((await get('/streams?user_login=alice', app)).status).toBe(200);
  });

  it('refills the bucket over time and keeps it across a token refresh of the same user', async () => {
    // One point every 2 s: slow enough that a loaded machine cannot refill between the
    // three calls, fast enough to see the refill.
    twitch.setRateLimit({ limit: 2, refillPerMinute: 30 });
    const again = twitch.issueUserToken({ login: 'clipbot', scopes: [] }).accessToken;
    expect((await get('/users?login=alice')).status).toBe(200);
    expect((await get('/users?login=alice', again)).status).toBe(200);
    expect((await get('/users?login=alice')).status).toBe(429);
    await waitFor(async () => (await get('/users?login=alice')).status === 200, 5000);
  });

  it('force429 answers the next N calls with 429 and a Ratelimit-Reset', async () => {
    twitch.force429(2, 3000);
    const before = Math.floor(Date.now() / 1000);
    const a = await get('/users?login=alice');
    const b = await get('/users?login=alice');
    expect([a.status, b.status]).toEqual([429, 429]);
    expect(a.headers.get('ratelimit-remaining')).toBe('0');
    const reset = Number(a.headers.get('ratelimit-reset'));
    expect(reset).toBeGreaterThanOrEqual(before + 3);
    expect(reset).toBeLessThanOrEqual(before + 5);
    expect((await get('/users?login=alice')).status).toBe(200);
  });

  it('force429 with a method and path answers only those calls with 429', async () => {
    twitch.force429(1, 1000, { method: 'GET', path: '/streams' });
    expect((await get('/users?login=alice')).status).toBe(200);
    expect((await get('/streams?user_login=alice')).status).toBe(429);
    expect((await get('/streams?user_login=alice')).status).toBe(200);
  });
});

describe('injected trouble', () => {
  it('fails N matching calls with the injected status, leaving others alone', async () => {
    twitch.injectFailure({ status: 503, count: 3, method: 'GET', path: '/streams' });
    expect((await get('/users?login=alice')).status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await get('/streams?user_login=alice')).status);
    expect(statuses).toEqual([503, 503, 503, 200]);

    twitch.injectFailure({ status: 500, count: 1, path: '/helix/users' });
    const failed = await get('/users?login=alice');
    expect(failed.body).toEqual({
      error: 'Internal Server Error',
      status: 500,
      message: expect.any(String),
    });
    expect(failed.headers.get('ratelimit-limit')).toBe('800');
  });

  it('can fail the OAuth server too', async () => {
    twitch.injectFailure({ status: 502, count: 1, path: '/oauth2/token' });
    const body = new URLSearchParams({
      client_id: twitch.clientId,
      client_secret: twitch.clientSecret,
      grant_type: 'client_credentials',
    });
    const statuses: number[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${twitch.authUrl}/token`, { method: 'POST', body });
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    expect(statuses).toEqual([502, 200]);
    // A rule without a path is for Helix only.
    twitch.injectFailure({ status: 500, count: 1 });
    const validate = await fetch(`${twitch.authUrl}/validate`, {
      headers: { Authorization: `OAuth ${token}` },
    });
    await validate.arrayBuffer();
    expect(validate.status).toBe(200);
  });

  it('adds latency to matching calls only', async () => {
    // By order of events, not by how fast a busy machine answers: sent together, the call
    // without latency is answered first.
    const answeredInOrder = async (first: string, second: string): Promise<Res[]> => {
      const order: string[] = [];
      const sent = [first, second].map((p) => get(p).then((r) => (order.push(p), r)));
      const results = await Promise.all(sent);
      expect(order).toEqual([second, first]);
      return results;
    };
    twitch.setLatency(1000, { path: '/users' });
    const [slow] = await answeredInOrder('/users?login=alice', '/streams?user_login=alice');
    expect(slow!.status).toBe(200);
    expect(slow!.ms).toBeGreaterThanOrEqual(990);
    twitch.setLatency(0, { path: '/users' });
    twitch.setLatency(1000, { path: '/streams' });
    await answeredInOrder('/streams?user_login=alice', '/users?login=alice');
  });
});

describe('journal', () => {
  it('records every request with its query, status and caller', async () => {
    const seen: JournalEntry[] = [];
    twitch.events.on('request', (e) => seen.push(e));
    const alice = twitch.userId('alice');
    await get(`/clips?id=a&id=b`);
    await fetch(`${apiUrl}/clips?broadcaster_id=${alice}&title=hi`, {
      method: 'POST',
      headers: { 'Client-Id': twitch.clientId, Authorization: `Bearer ${token}` },
    }).then((r) => r.arrayBuffer());
    await get('/users?login=alice', 'bogus');
    expect(twitch.journal).toEqual([
      {
        method: 'GET',
        path: '/helix/clips',
        query: { id: ['a', 'b'] },
        status: 200,
        tokenKind: 'user',
        userLogin: 'clipbot',
        at: expect.any(Number),
      },
      expect.objectContaining({ method: 'POST', path: '/helix/clips', status: 202 }),
      expect.objectContaining({ path: '/helix/users', status: 401, tokenKind: 'none' }),
    ]);
    expect(seen).toEqual(twitch.journal);
    expect(twitch.count('POST', '/helix/clips')).toBe(1);
    expect(twitch.count('GET', '/helix/clips')).toBe(1);
    expect(twitch.count('post', '/clips')).toBe(1);
    twitch.clearJournal();
    expect(twitch.journal).toEqual([]);
    expect(twitch.count('GET', '/helix/clips')).toBe(0);
  });

  it('keeps count() exact when it drops old entries', async () => {
    const small = new TwitchStandIn({ journalLimit: 5 });
    try {
      const urls = await small.start();
      const t = small.issueAppToken().accessToken;
      for (let i = 0; i < 12; i++) {
        const res = await fetch(`${urls.apiUrl}/users?login=x`, {
          headers: { 'Client-Id': small.clientId, Authorization: `Bearer ${t}` },
        });
        await res.arrayBuffer();
      }
      expect(small.journal.length).toBeLessThanOrEqual(6);
      expect(small.count('GET', '/helix/users')).toBe(12);
    } finally {
      await small.stop();
    }
  });
});

describe('lifecycle and scale', () => {
  it('stop() closes kept-alive sockets promptly', async () => {
    const agent = new http.Agent({ keepAlive: true });
    const req = http.get(`${apiUrl}/users?login=alice`, {
      agent,
      headers: { 'Client-Id': twitch.clientId, Authorization: `Bearer ${token}` },
    });
    const [res] = (await once(req, 'response')) as [http.IncomingMessage];
    res.resume();
    await once(res, 'end');
    const socket = req.socket;
    expect(socket?.destroyed).toBe(false);
    const started = performance.now();
    await twitch.stop();
    // Promptly: well before the 5 s keep-alive timeout that would otherwise hold it open
    // (bound loose for a busy machine).
    expect(performance.now() - started).toBeLessThan(3000);
    await waitFor(async () => socket?.destroyed === true || socket?.readyState === 'closed', 1000);
    agent.destroy();
  });

  it('serves 1,000 live channels in batches of 100', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 1000; i++) {
      twitch.setLive(`ch${i}`, i % 2 === 0);
      ids.push(twitch.userId(`ch${i}`));
    }
    let live = 0;
    for (let i = 0; i < 1000; i += 100) {
      const q = ids
        .slice(i, i + 100)
        .map((id) => `user_id=${id}`)
        .join('&');
      const res = await get(`/streams?${q}&first=100`);
      live += res.body.data.length;
    }
    expect(live).toBe(500);
  });
});
