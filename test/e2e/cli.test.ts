import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiscordStandIn } from '../../src/sandbox/discord/index.js';
import { TwitchStandIn } from '../../src/sandbox/twitch/index.js';
import { runCli } from '../helpers/cli-process.js';
import { cleanupPrefix, testRedis, testRedisUrl, uniquePrefix } from '../helpers/redis.js';

// Each test starts clipbot as a process of its own (tsx compiling src/ on the way): on a
// loaded machine that alone can take most of the default 30 s.
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
    expect(run.stdout()).toMatch(/\[FAIL\] Discord token: Discord refused the token \(401\)/);
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

  it('--help lists every command with examples', async () => {
    const run = runCli(['--help'], {}, cwd);
    expect(await run.exited).toBe(0);
    for (const cmd of ['start', 'demo', 'auth', 'doctor', 'register-commands', 'Examples:']) {
      expect(run.stdout()).toContain(cmd);
    }
  });
});
