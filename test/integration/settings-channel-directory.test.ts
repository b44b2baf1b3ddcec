import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TwitchStandIn } from '../../standins/twitch/index.js';
import { RedisChannelDirectory } from '../../src/store/redis-channel-directory.js';
import type { HelixClient } from '../../src/twitch/helix-client.js';
import type { TokenManager } from '../../src/twitch/token-manager.js';
import { twitchClients } from '../helpers/pipeline-harness.js';
import { cleanupPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';

describe('RedisChannelDirectory against the Twitch stand-in', () => {
  let standIn: TwitchStandIn;
  let redis: Redis;
  let prefix: string;
  let helix: HelixClient;
  let tokens: TokenManager;
  let streamer: { id: string; login: string; displayName: string };

  beforeAll(async () => {
    standIn = new TwitchStandIn();
    await standIn.start();
    redis = testRedis();
    prefix = uniquePrefix('dir');
    standIn.addUser({ login: 'clipbot' });
    streamer = standIn.addUser({ login: 'bigstreamer', displayName: 'BigStreamer' });
    ({ helix, tokens } = await twitchClients({
      redis,
      prefix,
      apiUrl: standIn.apiUrl,
      authUrl: standIn.authUrl,
      clientId: standIn.clientId,
      clientSecret: standIn.clientSecret,
      userToken: standIn.issueUserToken({ login: 'clipbot', scopes: ['clips:edit'] }),
    }));
  });

  afterAll(async () => {
    tokens.stop();
    await cleanupPrefix(redis, prefix);
    await redis.quit();
    await standIn.stop();
  });

  const usersCalls = () => standIn.count('GET', '/helix/users');

  it('resolves a login in any spelling and caches it for every instance, both ways', async () => {
    const dir = new RedisChannelDirectory({ redis, prefix, helix });
    const before = usersCalls();
    expect(await dir.byLogin('#BigStreamer')).toEqual(streamer);
    expect(await dir.byLogin('https://www.twitch.tv/bigstreamer/videos')).toEqual(streamer);
    const other = new RedisChannelDirectory({ redis, prefix, helix });
    expect(await other.byId(streamer.id)).toEqual(streamer);
    expect(usersCalls() - before).toBe(1);
    expect(await redis.ttl(`${prefix}:users:login:bigstreamer`)).toBeGreaterThan(80_000);
  });

  it('answers undefined for an unknown login and remembers the miss briefly', async () => {
    const dir = new RedisChannelDirectory({ redis, prefix, helix, missTtlS: 60 });
    const before = usersCalls();
    expect(await dir.byLogin('nobody_here')).toBeUndefined();
    expect(await dir.byLogin('Nobody_Here')).toBeUndefined();
    expect(usersCalls() - before).toBe(1);
    expect(await redis.ttl(`${prefix}:users:login:nobody_here`)).toBeLessThanOrEqual(60);
  });

  it('never asks Twitch about what cannot be a login or an id', async () => {
    const dir = new RedisChannelDirectory({ redis, prefix, helix });
    const before = usersCalls();
    expect(await dir.byLogin('two words')).toBeUndefined();
    expect(await dir.byLogin('x'.repeat(26))).toBeUndefined();
    expect(await dir.byId('12ab')).toBeUndefined();
    expect(usersCalls()).toBe(before);
  });

  it('makes one Helix call for a burst of the same lookup', async () => {
    const login = standIn.addUser({ login: 'burst_target' }).login;
    const dir = new RedisChannelDirectory({ redis, prefix, helix });
    const before = usersCalls();
    const found = await Promise.all(Array.from({ length: 20 }, () => dir.byLogin(login)));
    expect(new Set(found.map((f) => f?.id)).size).toBe(1);
    expect(usersCalls() - before).toBe(1);
  });
});
