import axios from 'axios';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/app/app.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { LocalWorld } from '../../standins/local-world.js';
import { TokenManager } from '../../src/twitch/token-manager.js';
import { ANSWER_WAIT_MS, E2E_TUNING, waitFor } from '../helpers/e2e-harness.js';
import { cleanupPrefix, testRedis, testRedisUrl, uniquePrefix } from '../helpers/redis.js';

/** The bot keeps what works running when one of its parts cannot start. */
describe('App resilience at start', () => {
  const redis = testRedis();
  let world: LocalWorld | undefined;
  let app: App | undefined;
  let prefix = '';

  afterEach(async () => {
    await app?.stop();
    await world?.stop();
    await cleanupPrefix(redis, prefix);
    app = undefined;
    world = undefined;
  });
  afterAll(() => redis.disconnect());

  async function start(opts: { discord: boolean; env: Record<string, string> }) {
    prefix = uniquePrefix('resilience');
    world = await new LocalWorld({
      channels: ['streamer'],
      clipVisibleAfterMs: 100,
      discord: opts.discord,
    }).start();
    const config = loadConfig(
      world.env({
        REDIS_URL: testRedisUrl(),
        REDIS_KEY_PREFIX: prefix,
        CLIP_FIRST_POLL_MS: '50',
        CLIP_POLL_INTERVAL_MS: '50',
        LOG_LEVEL: 'silent',
        ...opts.env,
      }),
    );
    app = new App({
      config,
      role: 'all',
      log: silentLogger(),
      tuning: E2E_TUNING,
      chatRetryMs: 200,
    });
    await app.start();
    return { world, app, config };
  }

  it('a refused Discord token leaves Twitch chat working and shows in /healthz', async () => {
    const { world, app } = await start({ discord: true, env: { DISCORD_TOKEN: 'wrong-token' } });
    await waitFor(() => world.chat.joined('streamer'), { what: 'the bot to join' });
    const id = world.chat.say('streamer', { login: 'viewer', role: 'viewer', text: '!clip' });
    const reply = await world.chat.waitForMessage((m) => m.replyParentMsgId === id, {
      timeoutMs: ANSWER_WAIT_MS,
    });
    expect(reply.text).toContain('https://clips.twitch.tv/');
    const health = await axios.get(`${app.opsUrl}/healthz`, {
      headers: { authorization: `Bearer ${world.opsToken}` },
    });
    expect(health.status).toBe(200);
    expect(health.data.checks.discord.status).toBe('degraded');
    expect(health.data.checks.discord.detail).toMatch(/refused the bot token/);
    expect(JSON.stringify(health.data)).not.toContain('wrong-token');
  });

  it('starts Twitch chat once a bot token is stored after start-up', async () => {
    const { world, app, config } = await start({
      discord: false,
      env: { TWITCH_ACCESS_TOKEN: '', TWITCH_REFRESH_TOKEN: '' },
    });
    expect(app.parts.chat?.twitchChat).toBeUndefined();
    expect(world.chat.joined('streamer')).toBe(false);
    const health = await axios.get(`${app.opsUrl}/healthz`, {
      headers: { authorization: `Bearer ${world.opsToken}` },
    });
    expect(health.data.checks.twitchChat.status).toBe('degraded');

    // What `clipbot auth` does in another shell: validate and store the new tokens.
    const tokens = world.twitch.issueUserToken({
      login: 'clipbot',
      scopes: ['clips:edit', 'chat:read', 'chat:edit'],
    });
    const other = new TokenManager({
      redis,
      prefix,
      authUrl: config.TWITCH_AUTH_URL,
      clientId: config.TWITCH_CLIENT_ID ?? '',
      clientSecret: config.TWITCH_CLIENT_SECRET,
      log: silentLogger(),
      validateIntervalS: 3600,
    });
    await other.storeTokens('user', tokens);
    other.stop();

    await waitFor(() => world.chat.joined('streamer'), {
      what: 'the bot to join once it has a token',
      timeoutMs: 30_000,
    });
    const id = world.chat.say('streamer', { login: 'viewer', role: 'viewer', text: '!clip' });
    const reply = await world.chat.waitForMessage((m) => m.replyParentMsgId === id, {
      timeoutMs: ANSWER_WAIT_MS,
    });
    expect(reply.text).toContain('https://clips.twitch.tv/');
  });
});
