import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { ChannelLeases } from '../../src/chat/twitch/channel-leases.js';
import { silentLogger } from '../../src/logger.js';
import { RedisChatChannels } from '../../src/store/redis-chat-channels.js';
import { waitFor } from '../helpers/e2e-harness.js';
import { cleanupPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';

/** Channel leases among processes (here: several ChannelLeases on one real Redis). */

let redis: Redis;
let prefix: string;
const open: { leases: ChannelLeases[]; sources: RedisChatChannels[] } = { leases: [], sources: [] };

beforeEach(() => {
  redis = testRedis();
  prefix = uniquePrefix('leases');
});
afterEach(async () => {
  await Promise.all(open.leases.splice(0).map((l) => l.stop()));
  await Promise.all(open.sources.splice(0).map((s) => s.close()));
  await cleanupPrefix(redis, prefix);
  redis.disconnect();
});

const CHANNELS = Array.from({ length: 10 }, (_, i) => `chan_${i}`);

/** One "process": its own view of the channel list and its leases, following the changes. */
async function processLeases(
  owner: string,
  channels = CHANNELS,
): Promise<{
  leases: ChannelLeases;
  reading: Set<string>;
}> {
  const source = new RedisChatChannels({
    redis,
    subscriber: () => testRedis(),
    prefix,
    configured: channels,
  });
  open.sources.push(source);
  const leases = new ChannelLeases({
    redis,
    prefix,
    source,
    owner,
    leaseMs: 1000,
    renewMs: 100,
    log: silentLogger(),
  });
  open.leases.push(leases);
  const reading = new Set<string>();
  leases.onChange((c) => (c.op === 'add' ? reading.add(c.login) : reading.delete(c.login)));
  await leases.start();
  for (const c of await leases.list()) reading.add(c);
  return { leases, reading };
}

describe('ChannelLeases', () => {
  it('shares 10 channels among three processes, none above ceil(10/3), each read by one', async () => {
    const a = await processLeases('a');
    expect(a.reading.size).toBe(10);
    const b = await processLeases('b');
    const c = await processLeases('c');
    await waitFor(
      () =>
        [a, b, c].every((p) => p.reading.size <= 4 && p.reading.size >= 2) &&
        a.reading.size + b.reading.size + c.reading.size === 10,
      { what: 'shares of at most 4', timeoutMs: 10_000 },
    );
    for (const ch of CHANNELS) {
      expect([a, b, c].filter((p) => p.reading.has(ch))).toHaveLength(1);
      expect(await redis.get(`${prefix}:chat-lease:${ch}`)).toMatch(/^[abc]$/);
    }
  });

  it('a process that stops gives its channels back; the other takes them at its next scan', async () => {
    const a = await processLeases('a');
    const b = await processLeases('b');
    await waitFor(() => a.reading.size === 5 && b.reading.size === 5, { what: '5 and 5' });
    const stoppedAt = Date.now();
    await b.leases.stop();
    await waitFor(() => a.reading.size === 10, { what: 'a to read all 10' });
    // Not the lease's expiry (1 s after the last renewal): a scan or two (100 ms each).
    expect(Date.now() - stoppedAt).toBeLessThan(900);
  });

  it('a channel removed from the list is parted and its lease given up', async () => {
    const a = await processLeases('a');
    const source = open.sources[0]!;
    await source.add('extra');
    await waitFor(() => a.reading.has('extra'), { what: 'the added channel to be read' });
    await source.remove('extra');
    await waitFor(() => !a.reading.has('extra'), { what: 'the removed channel to be parted' });
    expect(await redis.get(`${prefix}:chat-lease:extra`)).toBeNull();
  });
});
