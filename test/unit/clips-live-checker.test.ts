import { describe, expect, it } from 'vitest';
import { LiveChecker } from '../../src/clips/live-checker.js';
import type { HelixApi } from '../../src/twitch/helix-api.js';
import type { HelixStream } from '../../src/twitch/types.js';

class FakeStreams {
  readonly live = new Set<string>();
  readonly requests: string[][] = [];
  fail?: Error;

  api(): HelixApi {
    return {
      getStreams: async ({ userIds }: { userIds: string[] }) => {
        this.requests.push(userIds);
        if (this.fail) throw this.fail;
        return userIds
          .filter((id) => this.live.has(id))
          .map((id) => ({ user_id: id }) as HelixStream);
      },
    } as unknown as HelixApi;
  }
}

describe('LiveChecker', () => {
  it('answers checks arriving together with one Get Streams', async () => {
    const fake = new FakeStreams();
    fake.live.add('1');
    fake.live.add('3');
    const live = new LiveChecker({ helix: fake.api(), batching: true, cacheS: 5 });
    const answers = await Promise.all(['1', '2', '3', '1'].map((id) => live.isLive(id)));
    expect(answers).toEqual([true, false, true, true]);
    expect(fake.requests).toEqual([['1', '2', '3']]);
  });

  it('reuses a live answer for cacheS, but asks again about an offline channel', async () => {
    const fake = new FakeStreams();
    fake.live.add('1');
    const live = new LiveChecker({ helix: fake.api(), batching: true, cacheS: 5 });
    expect(await live.isLive('1')).toBe(true);
    expect(await live.isLive('2')).toBe(false);
    fake.live.add('2');
    expect(await live.isLive('1')).toBe(true);
    expect(await live.isLive('2')).toBe(true);
    expect(fake.requests).toEqual([['1'], ['2'], ['2']]);
  });

  it('forgets a cached answer after cacheS', async () => {
    const fake = new FakeStreams();
    fake.live.add('1');
    const live = new LiveChecker({ helix: fake.api(), batching: true, cacheS: 0.05 });
    await live.isLive('1');
    await new Promise((r) => setTimeout(r, 80));
    fake.live.delete('1');
    expect(await live.isLive('1')).toBe(false);
  });

  it('without batching: one request per check, no cache', async () => {
    const fake = new FakeStreams();
    fake.live.add('1');
    const live = new LiveChecker({ helix: fake.api(), batching: false, cacheS: 5 });
    await Promise.all([live.isLive('1'), live.isLive('1')]);
    expect(fake.requests).toEqual([['1'], ['1']]);
  });

  it('rejects every check of a failed request with its error', async () => {
    const fake = new FakeStreams();
    fake.fail = new Error('503');
    const live = new LiveChecker({ helix: fake.api(), batching: true, cacheS: 5 });
    const results = await Promise.allSettled([live.isLive('1'), live.isLive('2')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it('sends a full batch of 100 at once', async () => {
    const fake = new FakeStreams();
    const live = new LiveChecker({
      helix: fake.api(),
      batching: true,
      cacheS: 5,
      batchWindowMs: 10_000,
    });
    const ids = Array.from({ length: 100 }, (_, i) => String(i));
    const started = Date.now();
    await Promise.all(ids.map((id) => live.isLive(id)));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(fake.requests).toHaveLength(1);
  });
});
