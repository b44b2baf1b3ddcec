import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/command.js';
import { RedisChatChannels } from '../../src/store/redis-chat-channels.js';
import { RedisCooldownStore } from '../../src/store/redis-cooldown-store.js';
import { RedisDiscordLinks } from '../../src/store/redis-discord-links.js';
import { RedisSettingsStore } from '../../src/store/redis-settings-store.js';
import { DEFAULT_CHANNEL_SETTINGS, channelDefaults } from '../../src/core/channel-settings.js';
import { cleanupPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';

async function waitFor(cond: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let redis: Redis;
let prefix: string;
const extra: Redis[] = [];

beforeEach(() => {
  redis = testRedis();
  prefix = uniquePrefix('settings');
});

afterEach(async () => {
  await cleanupPrefix(redis, prefix);
  await Promise.all([redis, ...extra.splice(0)].map((r) => r.quit()));
});

describe('RedisSettingsStore', () => {
  it('fills defaults for a channel never configured', async () => {
    const store = new RedisSettingsStore({ redis, prefix });
    expect(await store.get('123')).toEqual(DEFAULT_CHANNEL_SETTINGS);
    expect(await redis.exists(`${prefix}:settings:123`)).toBe(0);
  });

  it('stores a valid change and keeps it across a new store instance', async () => {
    const store = new RedisSettingsStore({ redis, prefix });
    const after = await store.update('123', {
      enabled: false,
      userCooldownS: 45,
      permission: 'vip',
    });
    expect(after).toMatchObject({ enabled: false, userCooldownS: 45, permission: 'vip' });
    const fresh = new RedisSettingsStore({ redis, prefix });
    expect(await fresh.get('123')).toEqual(after);
    expect(await fresh.get('999')).toEqual(DEFAULT_CHANNEL_SETTINGS);
  });

  it.each([
    [{ defaultDuration: 61 }, 'Durations are 5 to 60 seconds.'],
    [{ minDuration: 4 }, 'Durations are 5 to 60 seconds.'],
    [{ defaultDuration: 20, minDuration: 25 }, 'Durations need min <= default <= max'],
    [{ defaultDuration: 50, maxDuration: 40 }, 'Durations need min <= default <= max'],
    [{ defaultDuration: 12.5 }, 'Durations are 5 to 60 seconds.'],
    [{ userCooldownS: -1 }, 'Cooldowns are 0 to 3600 seconds.'],
    [{ channelCooldownS: 3601 }, 'Cooldowns are 0 to 3600 seconds.'],
    [{ delayS: 61 }, 'The delay is 0 to 60 seconds.'],
    [{ titleTemplate: '   ' }, 'The title template cannot be empty.'],
    [{ titleTemplate: 'x'.repeat(101) }, 'The title template is at most 100 characters.'],
    [{ titleTemplate: 'a\nb' }, 'The title template has control characters.'],
    [
      { titleTemplate: '{title} by {usr}' },
      'Unknown placeholder {usr}: use {title} {user} {channel} {game}.',
    ],
    [{ permission: 'broadcaster' as never }, 'who must be'],
    [{ enabled: 'yes' as never }, 'enabled must be on or off.'],
  ])('refuses %j with a UserError and stores nothing', async (patch, message) => {
    const store = new RedisSettingsStore({ redis, prefix });
    const err = await store.update('1', patch).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain(message);
    expect(await store.get('1')).toEqual(DEFAULT_CHANNEL_SETTINGS);
  });

  it('accepts the edges of every range', async () => {
    const store = new RedisSettingsStore({ redis, prefix });
    const s = await store.update('1', {
      minDuration: 5,
      defaultDuration: 5,
      maxDuration: 5,
      channelCooldownS: 3600,
      userCooldownS: 0,
      delayS: 60,
      titleTemplate: 't'.repeat(100),
    });
    expect(s).toMatchObject({ minDuration: 5, defaultDuration: 5, maxDuration: 5, delayS: 60 });
  });

  it('keeps both of two concurrent changes to different fields, from two connections', async () => {
    const other = testRedis();
    extra.push(other);
    const a = new RedisSettingsStore({ redis, prefix });
    const b = new RedisSettingsStore({ redis: other, prefix });
    for (let round = 1; round <= 10; round++) {
      await Promise.all([
        a.update('5', { userCooldownS: round, enabled: round % 2 === 0 }),
        b.update('5', { channelCooldownS: 100 + round, titleTemplate: `{title} #${round}` }),
      ]);
      expect(await a.get('5')).toMatchObject({
        userCooldownS: round,
        enabled: round % 2 === 0,
        channelCooldownS: 100 + round,
        titleTemplate: `{title} #${round}`,
      });
    }
  });

  it('stores only one of two concurrent changes that break the duration range together', async () => {
    const other = testRedis();
    extra.push(other);
    const a = new RedisSettingsStore({ redis, prefix });
    const b = new RedisSettingsStore({ redis: other, prefix });
    // Alone, each is fine against the defaults (5 <= 30 <= 60); together, 20 > 10.
    const results = await Promise.allSettled([
      a.update('6', { minDuration: 20 }),
      b.update('6', { defaultDuration: 10 }),
    ]);
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(UserError);
    // Whichever came second, the range it would have made is the same.
    expect(((refused[0] as PromiseRejectedResult).reason as Error).message).toBe(
      'Durations need min <= default <= max (now 20 <= 10 <= 60).',
    );
    const stored = await redis.hgetall(`${prefix}:settings:6`);
    const [min, def, max] = [stored.minDuration, stored.defaultDuration, stored.maxDuration].map(
      Number,
    );
    expect(min! <= def! && def! <= max!).toBe(true);
    expect([min, def]).toEqual(results[0]?.status === 'fulfilled' ? [20, 30] : [5, 10]);
  });

  it('checks a change against the stored settings as they are read, damaged ones as defaults', async () => {
    await redis.hset(`${prefix}:settings:8`, {
      minDuration: '50',
      defaultDuration: '20',
      maxDuration: 'lots',
      delayS: '4',
    });
    const store = new RedisSettingsStore({ redis, prefix });
    // The stored range is broken, so it counts as 5..30..60; min 40 breaks that.
    await expect(store.update('8', { minDuration: 40 })).rejects.toThrow(
      'Durations need min <= default <= max (now 40 <= 30 <= 60).',
    );
    expect(await redis.hget(`${prefix}:settings:8`, 'maxDuration')).toBe('lots');
    const s = await store.update('8', { maxDuration: 45 });
    expect(s).toMatchObject({ minDuration: 5, defaultDuration: 30, maxDuration: 45, delayS: 4 });
    expect(await redis.hgetall(`${prefix}:settings:8`)).toMatchObject({
      minDuration: '5',
      defaultDuration: '30',
      maxDuration: '45',
      delayS: '4',
    });
  });

  it('a channel that changed other settings follows CLIP_DEFAULT_DURATION, also a later one', async () => {
    const before = new RedisSettingsStore({ redis, prefix, defaults: channelDefaults(45) });
    expect((await before.update('9', { userCooldownS: 0 })).defaultDuration).toBe(45);
    // The operator changes CLIP_DEFAULT_DURATION and restarts.
    const after = new RedisSettingsStore({ redis, prefix, defaults: channelDefaults(25) });
    expect(await after.get('9')).toMatchObject({ defaultDuration: 25, userCooldownS: 0 });
    // Once a moderator sets the channel's durations, they are the channel's own.
    await after.update('9', { defaultDuration: 40 });
    expect((await before.get('9')).defaultDuration).toBe(40);
  });

  it('falls back to defaults for damaged stored fields instead of failing', async () => {
    await redis.hset(`${prefix}:settings:7`, {
      enabled: 'maybe',
      userCooldownS: 'ten',
      delayS: '3',
      minDuration: '50',
      defaultDuration: '20',
    });
    const s = await new RedisSettingsStore({ redis, prefix }).get('7');
    expect(s.enabled).toBe(true);
    expect(s.userCooldownS).toBe(DEFAULT_CHANNEL_SETTINGS.userCooldownS);
    expect(s.delayS).toBe(3);
    expect([s.minDuration, s.defaultDuration, s.maxDuration]).toEqual([5, 30, 60]);
  });
});

describe('RedisCooldownStore', () => {
  it('lets exactly one of many concurrent takers through, across instances', async () => {
    const other = testRedis();
    extra.push(other);
    const a = new RedisCooldownStore({ redis, prefix });
    const b = new RedisCooldownStore({ redis: other, prefix });
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).tryTake('clip:user:1:u', 30)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const refused = results.find((r) => !r.ok);
    expect(refused && !refused.ok && refused.retryAfterS).toBeGreaterThan(29);
    expect(refused && !refused.ok && refused.retryAfterS).toBeLessThanOrEqual(30);
  });

  it('frees the key when the cooldown has passed', async () => {
    const store = new RedisCooldownStore({ redis, prefix });
    expect((await store.tryTake('k', 0.15)).ok).toBe(true);
    expect((await store.tryTake('k', 0.15)).ok).toBe(false);
    let free = false;
    const deadline = Date.now() + 3000;
    while (!free && Date.now() < deadline) free = (await store.tryTake('k', 0.15)).ok;
    expect(free).toBe(true);
  });

  it('never holds anything for a zero cooldown', async () => {
    const store = new RedisCooldownStore({ redis, prefix });
    expect((await store.tryTake('z', 0)).ok).toBe(true);
    expect((await store.tryTake('z', 0)).ok).toBe(true);
  });

  it('says to notify once per key per window, separately from the cooldown itself', async () => {
    const store = new RedisCooldownStore({ redis, prefix });
    await store.tryTake('same', 30);
    expect(await store.shouldNotify('same', 30)).toBe(true);
    expect(await store.shouldNotify('same', 30)).toBe(false);
    expect(await store.shouldNotify('other', 30)).toBe(true);
    expect(await redis.pttl(`${prefix}:notified:same`)).toBeGreaterThan(29_000);
  });
});

describe('RedisDiscordLinks', () => {
  const alpha = { id: '100', login: 'alpha', displayName: 'Alpha' };
  const beta = { id: '200', login: 'beta', displayName: 'Beta' };

  it('links, lists and finds post targets through the reverse index', async () => {
    const links = new RedisDiscordLinks({ redis, prefix });
    await links.link('g1', alpha, '5550000000000001');
    await links.link('g1', beta);
    await links.link('g2', alpha, '5550000000000002');
    expect(await links.forGuild('g1')).toEqual([
      { guildId: 'g1', twitch: alpha, postChannelId: '5550000000000001' },
      { guildId: 'g1', twitch: beta },
    ]);
    expect(
      (await links.postTargets('100')).sort((x, y) => x.guildId.localeCompare(y.guildId)),
    ).toEqual([
      { guildId: 'g1', channelId: '5550000000000001' },
      { guildId: 'g2', channelId: '5550000000000002' },
    ]);
    expect(await links.postTargets('200')).toEqual([]);
    expect(await links.allLinkedChannels()).toEqual([alpha, beta]);
  });

  it('relinking replaces the post channel; unlinking keeps other guilds', async () => {
    const links = new RedisDiscordLinks({ redis, prefix });
    await links.link('g1', alpha, '5550000000000001');
    await links.link('g1', alpha);
    expect(await links.postTargets('100')).toEqual([]);
    await links.link('g2', alpha, '5550000000000002');
    await links.link('g2', beta);

    expect(await links.unlink('g1', 'ALPHA')).toBe(1);
    expect(await links.forGuild('g1')).toEqual([]);
    expect(await links.allLinkedChannels()).toEqual([alpha, beta]);
    expect(await links.unlink('g2')).toBe(2);
    expect(await links.allLinkedChannels()).toEqual([]);
    expect(await links.postTargets('100')).toEqual([]);
    expect(await links.unlink('g2', 'alpha')).toBe(0);
  });
});

describe('RedisChatChannels', () => {
  function channels(configured: string[] = ['configured']) {
    const subscriber = testRedis();
    extra.push(subscriber);
    return new RedisChatChannels({ redis, subscriber, prefix, configured });
  }

  it('lists configured channels first and added ones after, lower-case and unique', async () => {
    const c = channels();
    await c.add('#Zeta');
    await c.add('alpha');
    await c.add('configured');
    expect(await c.list()).toEqual(['configured', 'alpha', 'zeta']);
    await c.remove('zeta');
    await c.remove('configured');
    expect(await c.list()).toEqual(['configured', 'alpha']);
  });

  it('refuses what cannot be a login', async () => {
    await expect(channels().add('no spaces!')).rejects.toBeInstanceOf(UserError);
  });

  it('tells another instance (another process) about every change', async () => {
    const writer = channels();
    const reader = channels();
    const heard: { op: string; login: string }[] = [];
    const stop = reader.onChange((c) => heard.push(c));
    await reader.ready();

    await writer.add('NewChannel');
    await writer.add('newchannel');
    await writer.add('configured');
    await writer.remove('newchannel');
    await waitFor(() => heard.length >= 2, 'two changes');
    expect(heard).toEqual([
      { op: 'add', login: 'newchannel' },
      { op: 'remove', login: 'newchannel' },
    ]);

    stop();
    await writer.add('later');
    // The listener is gone: a fresh one hears the next changes, the old one nothing more.
    const again: string[] = [];
    reader.onChange((c) => again.push(c.login));
    await writer.add('last');
    await waitFor(() => again.includes('last'), 'the last change');
    expect(heard).toHaveLength(2);
    await reader.close();
    await writer.close();
  });

  it('opens and closes its own subscriber when given a factory', async () => {
    let made: Redis | undefined;
    const c = new RedisChatChannels({
      redis,
      prefix,
      configured: [],
      subscriber: () => (made = testRedis()),
    });
    expect(made).toBeUndefined();
    const heard: string[] = [];
    c.onChange((x) => heard.push(x.login));
    await c.ready();
    await c.add('someone');
    await waitFor(() => heard.length === 1, 'own change');
    await c.close();
    await waitFor(() => made?.status === 'end', 'the subscriber to close');
  });
});
