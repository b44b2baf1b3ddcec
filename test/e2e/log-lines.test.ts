import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { LocalWorld } from '../../standins/local-world.js';
import { runCli, type CliRun } from '../helpers/cli-process.js';
import { waitFor } from '../helpers/e2e-harness.js';
import { duplicateKeys } from '../helpers/json-lines.js';
import { cleanupPrefix, testRedis, testRedisUrl, uniquePrefix } from '../helpers/redis.js';

/**
 * Every line `clipbot start` logs is one JSON object with each key once: log pipelines
 * reject the rest. Real process, real stand-ins, one clip made, then a clean stop.
 */

const redis = testRedis();
let world: LocalWorld | undefined;
let run: CliRun | undefined;
let prefix: string | undefined;

afterEach(async () => {
  run?.child.kill('SIGKILL');
  await world?.stop();
  if (prefix) await cleanupPrefix(redis, prefix);
  world = undefined;
  run = undefined;
  prefix = undefined;
});

function parsedLines(text: string): Record<string, unknown>[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  expect(lines.length).toBeGreaterThan(0);
  return lines.map((line) => {
    expect(duplicateKeys(line), line).toEqual([]);
    return JSON.parse(line) as Record<string, unknown>;
  });
}

/** `clipbot start` with JSON logs against a fresh world; `drop` removes settings of it. */
async function startBot(
  level: string,
  drop: string[] = [],
): Promise<{ world: LocalWorld; run: CliRun }> {
  const w = await new LocalWorld({ channels: ['streamer'], clipVisibleAfterMs: 100 }).start();
  world = w;
  prefix = uniquePrefix('logs');
  const env = w.env({
    REDIS_URL: testRedisUrl(),
    REDIS_KEY_PREFIX: prefix,
    LOG_FORMAT: 'json',
    LOG_LEVEL: level,
    SHUTDOWN_GRACE_S: '2',
  });
  for (const key of drop) delete env[key];
  const r = runCli(['start'], env);
  run = r;
  await r.waitForStdout(/clipbot started/, 30_000);
  return { world: w, run: r };
}

describe('log lines of a real run', () => {
  it('are each one JSON object with no key twice', async () => {
    const { world, run } = await startBot('debug');
    const chat = world.chat;
    await waitFor(() => chat.joined('streamer'), {
      timeoutMs: 15_000,
      what: 'the bot in #streamer',
    });
    const asked = world.chat.say('streamer', { login: 'victor', role: 'viewer', text: '!clip' });
    await world.chat.waitForMessage((m) => m.replyParentMsgId === asked, { timeoutMs: 15_000 });
    run.child.kill('SIGTERM');
    expect(await run.exitsWithin(30_000)).toBe(0);

    const lines = parsedLines(run.stdout());
    const components = new Set(lines.map((l) => l.component).filter(Boolean));
    // Lines from nested loggers, where a key used to be bound twice, are among them.
    expect(components).toContain('twitch-chat');
    expect(lines.some((l) => l.msg === 'clipbot stopped')).toBe(true);
  });

  it('the "chat is off" warning names its reason and carries no token field', async () => {
    const { run } = await startBot('info', ['TWITCH_ACCESS_TOKEN', 'TWITCH_REFRESH_TOKEN']);
    run.child.kill('SIGTERM');
    expect(await run.exitsWithin(30_000)).toBe(0);

    const lines = parsedLines(run.stdout());
    const off = lines.find((l) => /Twitch chat is off/.test(String(l.msg)));
    expect(off).toBeDefined();
    expect(off).not.toHaveProperty('token');
    expect(off?.reason).toMatch(/no user token/);
  });
});

afterAll(() => redis.disconnect());
