import { afterEach, describe, expect, it } from 'vitest';
import { VisibilityPoller } from '../../src/clips/visibility-poller.js';
import { silentLogger } from '../../src/logger.js';
import type { HelixApi } from '../../src/twitch/helix-api.js';
import type { HelixClip } from '../../src/twitch/types.js';

/** Twitch's side of Get Clips: which ids exist, and every request it was sent. */
class FakeClips {
  readonly visible = new Set<string>();
  readonly requests: string[][] = [];
  failNext = 0;

  api(): HelixApi {
    return {
      getClipsByIds: async (ids: string[]) => {
        this.requests.push(ids);
        if (this.failNext > 0) {
          this.failNext--;
          throw new Error('503');
        }
        return ids.filter((id) => this.visible.has(id)).map((id) => ({ id }) as HelixClip);
      },
    } as unknown as HelixApi;
  }
}

let poller: VisibilityPoller | undefined;
afterEach(() => poller?.close());

function start(fake: FakeClips, batching: boolean, pollIntervalMs = 40): VisibilityPoller {
  poller = new VisibilityPoller({
    helix: fake.api(),
    log: silentLogger(),
    pollIntervalMs,
    batching,
  });
  return poller;
}

describe('VisibilityPoller', () => {
  it('resolves with the clip once Get Clips returns it', async () => {
    const fake = new FakeClips();
    const p = start(fake, true);
    const now = Date.now();
    setTimeout(() => fake.visible.add('a'), 100);
    const clip = await p.waitVisible('a', { firstCheckAt: now + 20, deadlineAt: now + 2000 });
    expect(clip?.id).toBe('a');
    expect(fake.requests.length).toBeGreaterThanOrEqual(2);
    expect(p.size).toBe(0);
  });

  it('resolves undefined at the deadline, looking every interval until then', async () => {
    const fake = new FakeClips();
    const p = start(fake, true, 100);
    const now = Date.now();
    const clip = await p.waitVisible('never', { firstCheckAt: now + 50, deadlineAt: now + 500 });
    expect(clip).toBeUndefined();
    expect(Date.now() - now).toBeGreaterThanOrEqual(495);
    // Looks at ~50, 150, 250, 350, 450 and the last one at the deadline.
    expect(fake.requests.length).toBeGreaterThanOrEqual(5);
    expect(fake.requests.length).toBeLessThanOrEqual(7);
  });

  it('still looks once when the deadline has already passed (a job resumed late)', async () => {
    const fake = new FakeClips();
    fake.visible.add('late');
    const p = start(fake, true);
    const past = Date.now() - 10_000;
    expect((await p.waitVisible('late', { firstCheckAt: past, deadlineAt: past }))?.id).toBe(
      'late',
    );
  });

  it('asks about up to 100 waiting clips in one request when batching', async () => {
    const fake = new FakeClips();
    const p = start(fake, true);
    const now = Date.now();
    const ids = Array.from({ length: 150 }, (_, i) => `c${i}`);
    for (const id of ids) fake.visible.add(id);
    const found = await Promise.all(
      ids.map((id) => p.waitVisible(id, { firstCheckAt: now + 20, deadlineAt: now + 2000 })),
    );
    expect(found.map((c) => c?.id)).toEqual(ids);
    expect(fake.requests.map((r) => r.length).sort((a, b) => a - b)).toEqual([50, 100]);
  });

  it('sends one request per clip when batching is off', async () => {
    const fake = new FakeClips();
    const p = start(fake, false);
    const now = Date.now();
    for (const id of ['x', 'y', 'z']) fake.visible.add(id);
    await Promise.all(
      ['x', 'y', 'z'].map((id) => p.waitVisible(id, { firstCheckAt: now, deadlineAt: now + 1000 })),
    );
    expect(fake.requests).toEqual([['x'], ['y'], ['z']]);
  });

  it('keeps waiting through a failed Get Clips', async () => {
    const fake = new FakeClips();
    fake.failNext = 2;
    fake.visible.add('a');
    const p = start(fake, true);
    const now = Date.now();
    expect((await p.waitVisible('a', { firstCheckAt: now, deadlineAt: now + 2000 }))?.id).toBe('a');
    expect(fake.requests).toHaveLength(3);
  });

  it('shares one watch between two waits for the same clip', async () => {
    const fake = new FakeClips();
    fake.visible.add('a');
    const p = start(fake, true);
    const now = Date.now();
    const at = { firstCheckAt: now + 10, deadlineAt: now + 1000 };
    const [x, y] = await Promise.all([p.waitVisible('a', at), p.waitVisible('a', at)]);
    expect(x?.id).toBe('a');
    expect(y?.id).toBe('a');
    expect(fake.requests).toEqual([['a']]);
  });
});
