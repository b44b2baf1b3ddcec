import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisCooldownStore } from '../../src/store/redis-cooldown-store.js';
import { waitFor } from '../helpers/pipeline-harness.js';
import { cleanupPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';

/** The clip cooldowns the router takes: user and channel together, atomically. */

let redis: Redis;
let other: Redis;
let prefix: string;
beforeEach(() => {
  redis = testRedis();
  other = testRedis();
  prefix = uniquePrefix('cd');
});
afterEach(async () => {
  await cleanupPrefix(redis, prefix);
  await Promise.all([redis.quit(), other.quit()]);
});

const claims = (user: string, join?: number) => [
  { key: `user:${user}`, seconds: 30 },
  { key: 'channel', seconds: 60, ...(join === undefined ? {} : { joinWithinS: join }) },
];

describe('RedisCooldownStore.tryTakeAll', () => {
  it('takes both or neither, and names the one that refused', async () => {
    const store = new RedisCooldownStore({ redis, prefix });
    const first = await store.tryTakeAll(claims('a'));
    expect(first.ok && first.ticket.taken.map((t) => t.key)).toEqual(['user:a', 'channel']);

    const refused = await store.tryTakeAll(claims('b'));
    expect(refused).toMatchObject({ ok: false, key: 'channel' });
    expect(!refused.ok && refused.retryAfterS).toBeGreaterThan(59);
    // b's own cooldown was left free.
    expect((await store.tryTake('user:b', 30)).ok).toBe(true);

    expect(await store.tryTakeAll(claims('a'))).toMatchObject({ ok: false, key: 'user:a' });
  });

  it('lets one of many simultaneous requests through, from several processes', async () => {
    const a = new RedisCooldownStore({ redis, prefix });
    const b = new RedisCooldownStore({ redis: other, prefix });
    const users = Array.from({ length: 20 }, (_, i) => `u${i}`);
    const results = await Promise.all(users.map((u, i) => (i % 2 ? a : b).tryTakeAll(claims(u))));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const winner = users[results.findIndex((r) => r.ok)];
    for (const u of users) {
      // Only the winner holds a user cooldown.
      expect((await a.tryTake(`user:${u}`, 30)).ok).toBe(u !== winner);
    }
  });

  it('lets a request join a cooldown started moments ago, without taking it again', async () => {
    const store = new RedisCooldownStore({ redis, prefix });
    expect((await store.tryTakeAll(claims('a', 5))).ok).toBe(true);
    const joined = await store.tryTakeAll(claims('b', 5));
    expect(joined.ok && joined.ticket.taken.map((t) => t.key)).toEqual(['user:b']);
    expect(await store.tryTakeAll(claims('c', 0))).toMatchObject({ ok: false, key: 'channel' });
  });

  it('releases only what the ticket took, never a later holder', async () => {
    const store = new RedisCooldownStore({ redis, prefix });
    const short = [{ key: 'k', seconds: 0.1 }];
    const first = await store.tryTakeAll(short);
    if (!first.ok) throw new Error('not taken');
    let second: Awaited<ReturnType<typeof store.tryTakeAll>> | undefined;
    await waitFor(async () => (second = await store.tryTakeAll([{ key: 'k', seconds: 30 }])).ok, {
      what: 'the short cooldown to expire',
    });
    await store.release(first.ticket);
    expect((await store.tryTakeAll(short)).ok).toBe(false);
    if (!second?.ok) throw new Error('not taken');
    await store.release(second.ticket);
    expect((await store.tryTakeAll(short)).ok).toBe(true);
  });
});
