/**
 * `npm run bench:outage`: what a Redis outage and a dead worker cost, measured on the real
 * bot (compiled, `clipbot start` in processes of their own) against the stand-ins and a
 * redis-server of its own.
 *
 * - outage: the bot's resident memory before, at its peak during, and after a Redis outage
 *   of OUTAGE_S seconds while chat sends RATE `!clip` lines a second; the trouble answers
 *   viewers got, and the answers that went out after Redis came back (none should: nothing
 *   stale).
 * - takeover: a bot process and two worker processes; the worker making a clip is killed
 *   with SIGKILL after Create Clip; the time until the other worker resumes the job.
 *
 *   npm run bench:outage               # 60 s outage at 900 lines/s, 5 kills
 *   npm run bench:outage -- --quick    # 10 s at 300 lines/s, 2 kills
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TROUBLE_TEXT } from '../src/chat/trouble-notice.js';
import { silentLogger } from '../src/logger.js';
import { EmbeddedRedis } from '../src/redis/embedded-redis.js';
import { LocalWorld } from '../standins/local-world.js';
import { buildForBench } from './build.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const quick = process.argv.includes('--quick');
const PLAN = quick
  ? { outageS: 10, rate: 300, channels: 10, kills: 2 }
  : { outageS: 60, rate: 900, channels: 20, kills: 5 };
const MB = 1024 * 1024;

interface Bot {
  child: ChildProcess;
  out(): string;
  opsUrl: string;
}

function rssOf(pid: number): number {
  const kb = Number(
    execFileSync('ps', ['-o', 'rss=', '-p', String(pid)])
      .toString()
      .trim(),
  );
  return kb * 1024;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** `node <build>/src/main.js start --role <role>` with exactly this environment. */
async function startBot(main: string, env: Record<string, string>, role: string): Promise<Bot> {
  const child = spawn(process.execPath, [main, 'start', '--role', role], {
    cwd: tmpdir(),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  await until(`${role} to start`, () => /clipbot started/.test(out) || child.exitCode !== null);
  if (child.exitCode !== null) throw new Error(`${role} exited:\n${out}`);
  const opsUrl = /"ops":"(http:[^"]+)"/.exec(out)?.[1] ?? '';
  return { child, out: () => out, opsUrl };
}

async function healthCode(bot: Bot): Promise<number> {
  return fetch(`${bot.opsUrl}/healthz`).then(
    (r) => r.status,
    () => 0,
  );
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

async function outageRun(
  main: string,
  redis: EmbeddedRedis,
  world: LocalWorld,
  env: Record<string, string>,
  channels: string[],
) {
  const bot = await startBot(main, env, 'all');
  try {
    await until('the bot in every channel', () => channels.every((c) => world.chat.joined(c)));
    // Warm: one clip per channel, answered.
    const asked = channels.map((c, i) =>
      world.chat.say(c, { login: `warm${i}`, role: 'viewer', text: '!clip' }),
    );
    await until('the warm-up answers', () =>
      asked.every((id) => world.chat.sent.some((m) => m.replyParentMsgId === id)),
    );
    await sleep(3000);
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      samples.push(rssOf(bot.child.pid!));
      await sleep(200);
    }
    const before = median(samples);

    await redis.stop('SIGKILL');
    const downAt = Date.now();
    const logFrom = bot.out().length;
    let peak = before;
    let lines = 0;
    let n = 0;
    const perTick = Math.max(1, Math.round(PLAN.rate / 10));
    while (Date.now() - downAt < PLAN.outageS * 1000) {
      const tick = Date.now();
      world.chat.sayMany(
        Array.from({ length: perTick }, () => {
          n++;
          return {
            channel: channels[n % channels.length]!,
            msg: { login: `viewer${n % 5000}`, role: 'viewer' as const, text: '!clip' },
          };
        }),
      );
      lines += perTick;
      peak = Math.max(peak, rssOf(bot.child.pid!));
      await sleep(Math.max(0, 100 - (Date.now() - tick)));
    }
    const healthDuring = await healthCode(bot);
    const trouble = world.chat.sent.filter(
      (m) => m.at >= downAt && m.text.includes(TROUBLE_TEXT),
    ).length;
    const otherDuring = world.chat.sent.filter(
      (m) => m.at >= downAt && !m.text.includes(TROUBLE_TEXT),
    ).length;

    const logDuring = bot.out().slice(logFrom).split('\n').filter(Boolean);
    await redis.start();
    const upAt = Date.now();
    await until('/healthz ok again', async () => (await healthCode(bot)) === 200);
    const recoveredMs = Date.now() - upAt;
    await sleep(10_000);
    const after = rssOf(bot.child.pid!);
    const afterRecovery = world.chat.sent.filter((m) => m.at >= upAt).length;
    return {
      outageS: PLAN.outageS,
      linesPerS: PLAN.rate,
      lines,
      channels: channels.length,
      rssMB: { before: before / MB, peak: peak / MB, after10s: after / MB },
      healthzDuring: healthDuring,
      troubleAnswers: trouble,
      otherAnswersDuring: otherDuring,
      answersAfterRecovery: afterRecovery,
      healthyAgainMs: recoveredMs,
      logLinesDuringOutage: logDuring.length,
      logMessagesDuringOutage: [
        ...new Set(
          logDuring.map((l) => /"msg":"((?:[^"\\]|\\.)*)"/.exec(l)?.[1] ?? l.slice(0, 80)),
        ),
      ],
      ioredisConsoleLines: (bot.out().match(/\[ioredis\]/g) ?? []).length,
    };
  } finally {
    bot.child.kill('SIGKILL');
  }
}

async function takeoverRun(
  main: string,
  world: LocalWorld,
  env: Record<string, string>,
  channels: string[],
) {
  const bot = await startBot(main, env, 'bot');
  const workers = await Promise.all([startBot(main, env, 'worker'), startBot(main, env, 'worker')]);
  const times: number[] = [];
  try {
    await until('the bot in every channel', () => channels.every((c) => world.chat.joined(c)));
    for (let k = 0; k < PLAN.kills; k++) {
      const seen = workers.map((w) => w.out().length);
      const created = (i: number) =>
        /clip created; waiting until it is visible/.test(workers[i]!.out().slice(seen[i]));
      const id = world.chat.say(channels[k % channels.length]!, {
        login: `takeover${k}`,
        role: 'viewer',
        text: '!clip',
      });
      await until('Create Clip', () => created(0) || created(1));
      const victim = created(0) ? 0 : 1;
      const heir = 1 - victim;
      const heirFrom = workers[heir]!.out().length;
      workers[victim]!.child.kill('SIGKILL');
      const killedAt = Date.now();
      let resumedAt = 0;
      await until('the job resumed', () => {
        const m = /"time":(\d+)[^\n]*"msg":"resuming clip job"/.exec(
          workers[heir]!.out().slice(heirFrom),
        );
        if (m) resumedAt = Number(m[1]);
        return resumedAt > 0;
      });
      times.push(resumedAt - killedAt);
      await until('the answer', () => world.chat.sent.some((m) => m.replyParentMsgId === id));
      workers[victim] = await startBot(main, env, 'worker');
    }
  } finally {
    for (const p of [bot, ...workers]) p.child.kill('SIGKILL');
  }
  return {
    kills: times.length,
    resumedAfterMs: { min: Math.min(...times), median: median(times), max: Math.max(...times) },
    all: times,
  };
}

async function main(): Promise<void> {
  const buildDir = path.join(root, 'bench', 'results', 'outage-build');
  await buildForBench(root, buildDir);
  await cp(path.join(root, 'src', 'redis', 'lua'), path.join(buildDir, 'src', 'redis', 'lua'), {
    recursive: true,
  });
  const mainJs = path.join(buildDir, 'src', 'main.js');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'clipbot-bench-outage-'));
  const redis = new EmbeddedRedis({ dataDir, log: silentLogger(), appendFsync: 'everysec' });
  const url = await redis.start();
  const channels = Array.from({ length: PLAN.channels }, (_, i) => `outage_ch${i}`);
  const world = new LocalWorld({
    channels,
    clipVisibleAfterMs: 3000,
    discord: false,
    chat: { journalLimit: 100_000 },
  });
  await world.start();
  world.twitch.setRateLimit({ limit: 1_000_000 });
  for (const c of channels) world.chat.setChannel(c, { botIsModerator: true });
  const env = (prefix: string) =>
    world.env({
      REDIS_URL: url,
      REDIS_KEY_PREFIX: prefix,
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      CLIP_FIRST_POLL_MS: '500',
      CLIP_POLL_INTERVAL_MS: '500',
      SHUTDOWN_GRACE_S: '1',
    });
  try {
    const outage = await outageRun(mainJs, redis, world, env('bench-outage'), channels);
    console.log('Redis outage under chat load:');
    console.log(JSON.stringify(outage, null, 2));
    const takeover = await takeoverRun(mainJs, world, env('bench-takeover'), channels);
    console.log('Takeover after kill -9 of the worker making a clip:');
    console.log(JSON.stringify(takeover, null, 2));
    await mkdir(path.join(root, 'bench', 'results'), { recursive: true });
    await writeFile(
      path.join(root, 'bench', 'results', quick ? 'outage-quick.json' : 'outage.json'),
      JSON.stringify({ plan: PLAN, outage, takeover }, null, 2),
    );
  } finally {
    await world.stop();
    await redis.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
