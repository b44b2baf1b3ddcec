import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../../src/redis/free-port.js';
import { DiscordStandIn } from '../../standins/discord/index.js';
import { TwitchStandIn } from '../../standins/twitch/index.js';
import { runCli } from '../helpers/cli-process.js';
import { cleanupPrefix, testRedis, testRedisUrl, uniquePrefix } from '../helpers/redis.js';

/** A command that must never hang is given this long (a hang used to last over ten minutes). */
const NO_HANG_MS = 45_000;

/** Doctor's report is rows, their tried/fix lines and a summary: never a log line. */
function expectNoLogLines(out: string): void {
  for (const line of out.split('\n')) {
    expect(line).not.toMatch(/^\s*\{/);
  }
}

// Each test starts clipbot as a process of its own (tsx compiling src/ on the way): on a
// loaded machine that alone can take most of the default time.
/** OPS_TOKEN of the `start` runs below: unlocks /healthz details. */
const OPS_TOKEN_FOR_TEST = 'cli-test-ops-token-0123456789';

describe('the command line', { timeout: 120_000 }, () => {
  let twitch: TwitchStandIn;
  let discord: DiscordStandIn | undefined;
  let redis: Redis;
  let prefix: string;
  let cwd: string;
  let env: Record<string, string>;

  beforeEach(async () => {
    twitch = new TwitchStandIn({ deviceIntervalS: 1 });
    const { apiUrl, authUrl } = await twitch.start();
    twitch.addUser({ login: 'clipbot' });
    twitch.addUser({ login: 'streamer' });
    redis = testRedis();
    prefix = uniquePrefix('cli');
    cwd = mkdtempSync(path.join(tmpdir(), 'clipbot-cli-'));
    env = {
      TWITCH_API_URL: apiUrl,
      TWITCH_AUTH_URL: authUrl,
      TWITCH_CLIENT_ID: twitch.clientId,
      TWITCH_CLIENT_SECRET: twitch.clientSecret,
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: prefix,
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
    };
  });

  afterEach(async () => {
    await twitch.stop();
    await discord?.stop();
    discord = undefined;
    await cleanupPrefix(redis, prefix);
    redis.disconnect();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('auth: shows the device code, waits for approval, stores validated tokens in Redis', async () => {
    const run = runCli(['auth'], env, cwd);
    const [, code] = await run.waitForStdout(/enter the code:\s+(\S+)/);
    expect(run.stdout()).toContain('clips:edit chat:read chat:edit');
    expect(run.stdout()).not.toContain('editor:manage:clips');
    twitch.approveDevice(code as string, 'clipbot');
    const exitCode = await run.exited;
    expect(run.stdout() + run.stderr()).toContain('Authorized as');
    expect(exitCode).toBe(0);
    expect(run.stdout()).toMatch(/Authorized as clipbot/);
    const keys = await redis.keys(`${prefix}:tokens:user*`);
    expect(keys.length).toBeGreaterThan(0);
    // The stored token works: doctor now reports the bot token and its scopes as fine.
    const doctor = runCli(['doctor'], { ...env, TWITCH_CHANNELS: 'streamer' }, cwd);
    const doctorCode = await doctor.exited;
    expect(doctor.stdout()).toMatch(/\[(warn|ok {2})\] Redis persistence: appendonly/);
    expect(doctorCode).toBe(0);
    expect(doctor.stdout()).toMatch(/\[ok {2}\] Twitch bot token/);
    expect(doctor.stdout()).toMatch(/\[ok {2}\] Twitch bot scopes: clipbot has/);
    expect(doctor.stdout()).toMatch(/\[ok {2}\] Twitch channels: 1 channel/);
    expect(doctor.stdout()).toContain('All checks passed');
  });

  it('doctor: names what is wrong and how to fix it, and fails', async () => {
    const run = runCli(['doctor'], { ...env, TWITCH_CHANNELS: 'streamer,nosuchuser' }, cwd);
    expect(await run.exited).toBe(1);
    const out = run.stdout();
    expect(out).toMatch(/\[FAIL\] Twitch bot token/);
    expect(out).toContain('fix: run `clipbot auth`');
    expect(out).toMatch(/\[ok {2}\] Twitch app token/);
    expect(out).toMatch(/\[warn\] Discord: not configured/);
  });

  it('doctor: reports a refused Discord token', async () => {
    discord = new DiscordStandIn();
    const { apiUrl } = await discord.start();
    const run = runCli(
      ['doctor'],
      {
        ...env,
        DISCORD_API_URL: apiUrl,
        DISCORD_TOKEN: 'not-the-token',
        DISCORD_APPLICATION_ID: discord.applicationId,
      },
      cwd,
    );
    expect(await run.exited).toBe(1);
    expect(run.stdout()).toMatch(
      /\[FAIL\] Discord token: refused: Discord refused the token \(401\)/,
    );
    expect(run.stdout() + run.stderr()).not.toContain('not-the-token');
  });

  it('register-commands: publishes the slash commands to one server', async () => {
    discord = new DiscordStandIn();
    const { apiUrl } = await discord.start();
    const guild = discord.addGuild({ name: 'Test' });
    const run = runCli(
      ['register-commands', '--guild', guild.id],
      {
        ...env,
        DISCORD_API_URL: apiUrl,
        DISCORD_TOKEN: discord.botToken,
        DISCORD_APPLICATION_ID: discord.applicationId,
      },
      cwd,
    );
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toMatch(/Registered \d+ slash commands in server/);
    const names = discord.registeredCommands(guild.id).map((c) => (c as { name: string }).name);
    expect(names).toEqual(expect.arrayContaining(['clip', 'clips', 'clipbot']));
  });

  it('start: a malformed environment stops with one message naming every problem', async () => {
    const secret = 'very-secret-token-value';
    const run = runCli(
      ['start'],
      { ...env, HTTP_PORT: 'eighty', TWITCH_API_URL: 'nope', DISCORD_TOKEN: secret },
      cwd,
    );
    expect(await run.exited).toBe(1);
    const err = run.stderr();
    expect(err).toContain('Invalid configuration (3 problems)');
    expect(err).toContain('HTTP_PORT');
    expect(err).toContain('TWITCH_API_URL');
    expect(err).toContain('DISCORD_APPLICATION_ID');
    expect(err).not.toContain(secret);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('start: without a Twitch application says what to do', async () => {
    const run = runCli(
      ['start'],
      { REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: prefix, HTTP_PORT: 'x' },
      cwd,
    );
    expect(await run.exited).toBe(1);
    // Reported together with every other problem, before anything starts.
    expect(run.stderr()).toContain('Invalid configuration (2 problems)');
    expect(run.stderr()).toContain('TWITCH_CLIENT_ID is missing');
    expect(run.stderr()).toContain('HTTP_PORT');
    expect(run.stderr()).toContain('npm run demo');
  });

  it('doctor: an unreachable Redis is one failed row, and the other checks still run', async () => {
    const closed = `redis://127.0.0.1:${await freePort()}`;
    const run = runCli(['doctor'], { ...env, REDIS_URL: closed, TWITCH_CHANNELS: 'streamer' }, cwd);
    expect(await run.exitsWithin(NO_HANG_MS)).toBe(1);
    const out = run.stdout();
    expect(out).toMatch(/\[FAIL\] Redis: no answer within 5 s: connection refused/);
    expect(out).toContain(`tried: PING ${closed}`);
    expect(out).toContain('fix: start Redis at that address, or correct REDIS_URL');
    // Twitch's application is checked without Redis; the bot token, kept in Redis, is not.
    expect(out).toMatch(/\[ok {2}\] Twitch app token/);
    expect(out).toMatch(/\[skip\] Twitch bot token: not checked: the bot token is kept in Redis/);
    expect(out).toMatch(/\[warn\] Discord: not configured/);
    expect(out).toContain('1 check(s) failed, 1 not checked because of them');
    expectNoLogLines(out);
    expect(run.stderr()).toBe('');
  });

  it('auth: an unreachable Redis stops it within seconds with one line', async () => {
    const closed = `redis://127.0.0.1:${await freePort()}`;
    const run = runCli(['auth'], { ...env, REDIS_URL: closed }, cwd);
    expect(await run.exitsWithin(NO_HANG_MS)).toBe(1);
    expect(run.stdout()).not.toContain('enter the code');
    const lines = run.stderr().trim().split('\n');
    expect(lines).toEqual([
      `clipbot auth: Redis at ${closed} did not answer within 5 s (connection refused: nothing listens there): start Redis there or correct REDIS_URL`,
    ]);
  });

  it('start: waits for an unreachable Redis, and says so in its log and /healthz', async () => {
    const closed = `redis://127.0.0.1:${await freePort()}`;
    const run = runCli(
      ['start'],
      {
        ...env,
        REDIS_URL: closed,
        OPS_HOST: '127.0.0.1',
        HTTP_PORT: '0',
        OPS_TOKEN: OPS_TOKEN_FOR_TEST,
        LOG_LEVEL: 'info',
      },
      cwd,
    );
    try {
      const [, opsUrl] = await run.waitForStdout(/"ops":"(http:[^"]+)"[^\n]*serving \/healthz/);
      await run.waitForStdout(
        /waiting for Redis at [^\n]*connection refused[^\n]*clipbot starts when it answers/,
      );
      const res = await fetch(`${opsUrl}/healthz`, {
        headers: { authorization: `Bearer ${OPS_TOKEN_FOR_TEST}` },
      });
      expect(res.status).toBe(503);
      const body = (await res.json()) as { checks: { redis: { status: string; detail: string } } };
      expect(body.checks.redis.status).toBe('down');
      expect(body.checks.redis.detail).toContain(`waiting for Redis at ${closed}`);
      expect(body.checks.redis.detail).toContain('connection refused');
      // The token never reaches the log.
      expect(run.stdout() + run.stderr()).not.toContain(OPS_TOKEN_FOR_TEST);
    } finally {
      run.child.kill('SIGTERM');
    }
    expect(await run.exitsWithin(NO_HANG_MS)).toBe(0);
  });

  it('doctor: with Twitch unreachable, names the network as the cause, not the credentials', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const run = runCli(
      ['doctor'],
      {
        ...env,
        TWITCH_AUTH_URL: `${closed}/oauth2`,
        TWITCH_API_URL: `${closed}/helix`,
        TWITCH_ACCESS_TOKEN: 'some-token-value',
        TWITCH_CHANNELS: 'streamer',
      },
      cwd,
    );
    expect(await run.exitsWithin(NO_HANG_MS)).toBe(1);
    const out = run.stdout();
    expect(out).toMatch(
      /\[FAIL\] Twitch app token: network: could not get an app token: connection refused/,
    );
    expect(out).toContain(`tried: POST ${closed}/oauth2/token (client credentials)`);
    expect(out).toMatch(
      /\[FAIL\] Twitch bot token: network: could not validate the user token: connection refused/,
    );
    expect(out).toContain(
      `tried: GET ${closed}/oauth2/validate with the bot token stored in Redis, from TWITCH_ACCESS_TOKEN`,
    );
    expect(out).toContain("fix: check TWITCH_AUTH_URL and this machine's network and DNS");
    expect(out).not.toContain('not checked yet');
    expect(out).not.toMatch(/fix:.*TWITCH_CLIENT_SECRET/);
    expect(out).toMatch(/\[skip\] Twitch channels: not checked: no Twitch token works/);
    expect(out).not.toContain('some-token-value');
    expectNoLogLines(out);
  });

  it('doctor: a wrong client secret is blamed on the credentials', async () => {
    const run = runCli(['doctor'], { ...env, TWITCH_CLIENT_SECRET: 'wrong-secret' }, cwd);
    expect(await run.exitsWithin(NO_HANG_MS)).toBe(1);
    const out = run.stdout();
    expect(out).toMatch(
      /\[FAIL\] Twitch app token: refused: Twitch refused the client credentials: POST \/oauth2\/token failed \(403\)/,
    );
    expect(out).toContain('fix: copy the Client ID and a new Client Secret');
    expect(out).not.toContain('wrong-secret');
    expectNoLogLines(out);
  });

  it('doctor: a bot token without the clip scope says which scopes are missing', async () => {
    const token = twitch.issueUserToken({ login: 'clipbot', scopes: ['chat:read'] });
    const run = runCli(
      ['doctor'],
      { ...env, TWITCH_ACCESS_TOKEN: token.accessToken, TWITCH_REFRESH_TOKEN: token.refreshToken },
      cwd,
    );
    expect(await run.exitsWithin(NO_HANG_MS)).toBe(1);
    const out = run.stdout();
    expect(out).toMatch(/\[ok {2}\] Twitch bot token: user token for clipbot is valid/);
    expect(out).toContain(
      "[FAIL] Twitch bot scopes: missing scope: clipbot's token lacks clips:edit chat:edit",
    );
    expect(out).toContain('fix: run `clipbot auth` and approve as the bot account');
    expectNoLogLines(out);
  });

  it('a refused token given once through TWITCH_ACCESS_TOKEN stays stored until auth --forget', async () => {
    const token = twitch.issueUserToken({ login: 'clipbot', scopes: ['clips:edit'] });
    twitch.expireToken(token.accessToken);
    twitch.revokeRefreshToken(token.refreshToken);
    const seeded = runCli(
      ['doctor'],
      { ...env, TWITCH_ACCESS_TOKEN: token.accessToken, TWITCH_REFRESH_TOKEN: token.refreshToken },
      cwd,
    );
    expect(await seeded.exitsWithin(NO_HANG_MS)).toBe(1);
    expect(seeded.stdout()).toMatch(/\[FAIL\] Twitch bot token: refused \(expired or revoked\)/);
    expect(seeded.stdout()).toContain('fix: TWITCH_ACCESS_TOKEN holds a token Twitch refuses');

    // The variable is gone, the token is not: doctor says where it came from and the way out.
    const later = runCli(['doctor'], env, cwd);
    expect(await later.exitsWithin(NO_HANG_MS)).toBe(1);
    expect(later.stdout()).toContain(
      'with the bot token stored in Redis, from TWITCH_ACCESS_TOKEN',
    );
    expect(later.stdout()).toContain('run `clipbot auth --forget`, then `clipbot auth`');

    const forget = runCli(['auth', '--forget'], env, cwd);
    expect(await forget.exitsWithin(NO_HANG_MS)).toBe(0);
    expect(forget.stdout()).toContain('Removed the stored bot token');
    expect(await redis.exists(`${prefix}:tokens:user`)).toBe(0);

    const after = runCli(['doctor'], env, cwd);
    expect(await after.exitsWithin(NO_HANG_MS)).toBe(1);
    expect(after.stdout()).toMatch(/\[FAIL\] Twitch bot token: missing: no bot token stored/);
  });

  it('--help lists every command with examples', async () => {
    const run = runCli(['--help'], {}, cwd);
    expect(await run.exited).toBe(0);
    for (const cmd of ['start', 'demo', 'auth', 'doctor', 'register-commands', 'Examples:']) {
      expect(run.stdout()).toContain(cmd);
    }
  });
});
