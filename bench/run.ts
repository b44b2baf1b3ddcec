/**
 * `npm run bench` (`-- --quick` for a small sanity run): the real bot, in child processes,
 * against the local stand-ins, batched and straightforward side by side. Prints one table
 * and writes bench/results/latest.json; then the automatic-clip detection part
 * (bench/autoclip/, alone with `npm run bench -- autoclip`). See bench/README.md.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { silentLogger } from '../src/logger.js';
import { provideRedis, type ProvidedRedis } from '../src/redis/provide-redis.js';
import type { LocalWorld } from '../standins/local-world.js';
import { BotProcess } from './bot-handle.js';
import { buildForBench } from './build.js';
import { watchIdleRefresh } from './idle-refresh.js';
import { fullPlan, quickPlan, type BenchPlan } from './plan.js';
import { ROUTING_MARKER, idleMemory, measureRouting } from './routing.js';
import { enableAutoclip } from './routing-autoclip.js';
import { compareRouting } from './routing-compare.js';
import { runWorkload, type WorkloadResult } from './run-workload.js';
import {
  evaluateGoals,
  renderTable,
  sanityProblems,
  type BenchReport,
  type Mode,
} from './table.js';
import { channelName, sleep, startBenchWorld, waitJoined } from './world.js';
import { runAutoclipSection, wantsAutoclipOnly } from './autoclip/section.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(HERE);
const RESULTS = path.join(HERE, 'results');
const BUILD = path.join(RESULTS, 'build');
const SCRIPT = path.join(BUILD, 'bench', 'bot-process.js');
const SEED = 20_240_601;

function progress(msg: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

interface Context {
  plan: BenchPlan;
  world: LocalWorld;
  redisUrl: string;
  runId: string;
  prefixes: string[];
}

function botEnv(ctx: Context, name: string, channels: string[], extra: Record<string, string>) {
  const prefix = `bench-${ctx.runId}-${name}`;
  ctx.prefixes.push(prefix);
  return ctx.world.env({
    REDIS_URL: ctx.redisUrl,
    REDIS_KEY_PREFIX: prefix,
    TWITCH_CHANNELS: channels.join(','),
    CLIP_FIRST_POLL_MS: String(ctx.plan.firstPollMs),
    CLIP_POLL_INTERVAL_MS: String(ctx.plan.pollIntervalMs),
    CLIP_VISIBLE_DEADLINE_S: '30',
    SHUTDOWN_GRACE_S: '5',
    // Jobs spend their life waiting for visibility; 50 (the default) queues the spread.
    WORKER_CONCURRENCY: String(ctx.plan.workerConcurrency),
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    // For showing the trade-off of latency against calls (bench/README.md).
    ...(process.env.BENCH_FAST_POLL_MS
      ? { CLIP_FAST_POLL_MS: process.env.BENCH_FAST_POLL_MS }
      : {}),
    ...extra,
  });
}

async function startBot(
  ctx: Context,
  name: string,
  channels: string[],
  extra: Record<string, string> = {},
  /** The bot account it logs in as, when not the world's own (its tokens are in `extra`). */
  login?: string,
): Promise<BotProcess> {
  const bot = await BotProcess.start({
    name,
    script: SCRIPT,
    env: botEnv(ctx, name, channels, extra),
    child: { chatLimits: ctx.plan.chatLimits, marker: ROUTING_MARKER },
    logFile: path.join(RESULTS, `${name}.log`),
  });
  const joinMs = await waitJoined(ctx.world, channels, 120_000, login);
  progress(`${name}: started (pid ${bot.pid}), joined ${channels.length} channels in ${joinMs} ms`);
  return bot;
}

async function runMode(ctx: Context, mode: Mode): Promise<WorkloadResult[]> {
  const { plan } = ctx;
  const bot = await startBot(ctx, `bot-${mode}`, plan.workloadChannels, {
    BATCHING: mode === 'batched' ? 'true' : 'false',
  });
  const results: WorkloadResult[] = [];
  try {
    // A bot that has run a while: connections open, code warm, visibility delays seen.
    await runWorkload(ctx.world, bot, plan.warmup, {
      timeoutMs: plan.workloadTimeoutMs,
      graceMs: plan.graceMs,
    });
    for (const w of plan.workloads) {
      progress(`${mode}: ${w.name} (${w.description})`);
      const r = await runWorkload(ctx.world, bot, w, {
        timeoutMs: plan.workloadTimeoutMs,
        graceMs: plan.graceMs,
      });
      progress(
        `${mode}: ${w.name} done in ${(r.durationMs / 1000).toFixed(1)} s: ${r.helix.total} Helix calls, ` +
          `${r.answered}/${r.requests} answered, p95 visible->answer ${r.visibleToAnswerMs.p95 ?? '-'} ms`,
      );
      results.push({ ...r, liveTable: mode === 'batched' });
    }
  } finally {
    await bot.stop();
  }
  return results;
}

async function runChatSide(
  ctx: Context,
): Promise<
  Pick<BenchReport, 'routing' | 'routingAutoclip' | 'memory' | 'runtimeBaseline' | 'idleRefresh'>
> {
  const { plan } = ctx;
  const memory: BenchReport['memory'] = [];
  const idleRefresh: NonNullable<BenchReport['idleRefresh']> = [];

  let runtimeBaseline: BenchReport['runtimeBaseline'];
  // The same child with no bot code loaded: what Node itself costs (skipped by --quick).
  if (!plan.quick) {
    const baseline = await BotProcess.start({
      name: 'runtime-baseline',
      script: SCRIPT,
      env: {},
      child: { baseline: true },
      logFile: path.join(RESULTS, 'runtime-baseline.log'),
    });
    runtimeBaseline = await idleMemory(baseline, plan.settleMs);
    await baseline.stop();
  }

  for (const n of plan.memoryChannels) {
    const channels = Array.from({ length: n }, (_, i) => channelName(i));
    const watch = watchIdleRefresh(ctx.world);
    const bot = await startBot(ctx, `bot-idle-${n}`, channels, plan.idleEnv);
    const joinedAt = Date.now();
    try {
      const sample = await idleMemory(bot, plan.settleMs);
      // Two refresh rounds (the first at startup): the bot is idle meanwhile.
      const refresh = await watch.result(n, plan.idleRefreshTimeoutMs);
      if (refresh) {
        idleRefresh.push(refresh);
        progress(
          `idle with ${n} channels: live table refresh ${refresh.callsPerRound} calls every ` +
            `${refresh.atMost ? '>= ' : ''}${(refresh.periodMs / 1000).toFixed(1)} s = ` +
            `${refresh.atMost ? '<= ' : ''}${refresh.budgetShare.toFixed(2)}% of 800/min`,
        );
      } else progress(`idle with ${n} channels: no two refresh rounds seen`);
      // And once it has sat idle a while (V8 gives memory back after a quiet spell).
      await sleep(Math.max(0, joinedAt + plan.longIdleMs - Date.now()));
      const idle = await idleMemory(bot, 0);
      memory.push({ channels: n, sample, idle });
      progress(
        `idle with ${n} channels: RSS ${(sample.rss / 1024 / 1024).toFixed(0)} MB after ` +
          `${plan.settleMs / 1000} s, ${(idle.rss / 1024 / 1024).toFixed(0)} MB after ${plan.longIdleMs / 1000} s`,
      );
    } finally {
      await bot.stop();
    }
  }
  // After the memory bots, in bots of their own.
  return { ...(await runRouting(ctx)), memory, runtimeBaseline, idleRefresh };
}

type RoutingPart = Pick<BenchReport, 'routing' | 'routingAutoclip'>;

/**
 * The routing figure: bots with automatic clips off and bots with them on in every
 * channel, alternated (bench/routing-compare.ts).
 */
async function runRouting(ctx: Context): Promise<RoutingPart> {
  const { plan, world } = ctx;
  const channels = Array.from({ length: plan.routingChannels }, (_, i) => channelName(i));
  // The bot with automatic clips on is a second bot account, so that the chat stand-in can
  // tell the two apart when it lets one of them hear the flood.
  const autoLogin = 'clipbot_auto';
  const autoTokens = world.twitch.issueUserToken({
    login: autoLogin,
    scopes: ['clips:edit', 'chat:read', 'chat:edit'],
  });
  const logins = { off: world.botLogin, on: autoLogin } as const;
  const comparison = await compareRouting({
    rounds: plan.routingRounds,
    warmRuns: plan.routingWarmRuns,
    channels: channels.length,
    start: async (arm) => {
      const name = `bot-routing-${arm}`;
      if (arm === 'off') return startBot(ctx, name, channels, plan.idleEnv);
      // Settings in place before it joins (it reads them as it joins each channel).
      await enableAutoclip(ctx.redisUrl, `bench-${ctx.runId}-${name}`, world, channels);
      const env = {
        ...plan.idleEnv,
        TWITCH_ACCESS_TOKEN: autoTokens.accessToken,
        TWITCH_REFRESH_TOKEN: autoTokens.refreshToken,
      };
      const bot = await startBot(ctx, name, channels, env, autoLogin);
      await sleep(plan.settleMs);
      return bot;
    },
    listen: (arm) => {
      world.chat.deafen(logins.off, arm !== 'off');
      world.chat.deafen(logins.on, arm !== 'on');
    },
    measure: (bot) =>
      measureRouting(world, bot, channels, {
        lines: plan.routingLines,
        seed: SEED,
        timeoutMs: 120_000,
      }),
    progress,
  });
  world.chat.deafen(logins.off, false);
  // The headline figure: the median run with automatic clips off.
  const off = comparison.runs.filter((r) => r.arm === 'off').map((r) => r.result);
  off.sort((a, b) => a.perSecond - b.perSecond);
  return { routing: off[Math.floor(off.length / 2)], routingAutoclip: comparison };
}

async function dropKeys(url: string, prefixes: string[]): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    for (const prefix of prefixes) {
      const stream = redis.scanStream({ match: `${prefix}*`, count: 1000 });
      for await (const keys of stream as AsyncIterable<string[]>) {
        if (keys.length > 0) await redis.unlink(...keys);
      }
    }
  } finally {
    redis.disconnect();
  }
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const plan = quick ? quickPlan(SEED) : fullPlan(SEED);
  const started = Date.now();
  await mkdir(RESULTS, { recursive: true });
  // The detection part runs in this process and needs no bot: alone it skips the rest.
  const autoclip = { seed: SEED, quick, resultsDir: RESULTS, argv: process.argv };
  if (wantsAutoclipOnly(process.argv)) {
    await runAutoclipSection(autoclip);
    return;
  }
  await buildForBench(ROOT, BUILD);
  progress(`bot compiled to JavaScript in ${Date.now() - started} ms`);
  const tmp = await mkdtemp(path.join(tmpdir(), 'clipbot-bench-'));
  let redis: ProvidedRedis | undefined;
  let world: LocalWorld | undefined;
  const prefixes: string[] = [];
  try {
    // Our own redis-server in a temporary directory unless REDIS_URL names one.
    redis = await provideRedis({
      url: process.env.REDIS_URL,
      dataDir: path.join(tmp, 'redis'),
      log: silentLogger(),
    });
    const started_ = await startBenchWorld({
      channels: plan.worldChannels,
      visibleMinMs: plan.visibleMinMs,
      visibleMaxMs: plan.visibleMaxMs,
      moderatorChannels: plan.workloadChannels.length,
      chatLimits: plan.chatLimits,
      seed: SEED,
    });
    world = started_.world;
    const ctx: Context = {
      plan,
      world,
      redisUrl: redis.url,
      runId: Date.now().toString(36),
      prefixes,
    };
    progress(
      `stand-ins up with ${plan.worldChannels} channels; Redis ${redis.embedded ? 'embedded' : 'from REDIS_URL'}`,
    );

    // --only=batched|straightforward|chat|routing runs one part (for working on it).
    const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
    const modes: BenchReport['modes'] = {
      batched: !only || only === 'batched' ? await runMode(ctx, 'batched') : [],
      straightforward:
        !only || only === 'straightforward' ? await runMode(ctx, 'straightforward') : [],
    };
    const chat =
      !only || only === 'chat'
        ? await runChatSide(ctx)
        : only === 'routing'
          ? { ...(await runRouting(ctx)), memory: [] }
          : { memory: [] };
    const partial: Omit<BenchReport, 'goals'> = {
      meta: {
        date: new Date().toISOString(),
        node: process.version,
        cpus: os.cpus().length,
        quick,
        settings: {
          visibleMinMs: plan.visibleMinMs,
          visibleMaxMs: plan.visibleMaxMs,
          firstPollMs: plan.firstPollMs,
          pollIntervalMs: plan.pollIntervalMs,
          workerConcurrency: plan.workerConcurrency,
          coalesceWindowS: 10,
          liveCacheS: 5,
          fastPollMs: process.env.BENCH_FAST_POLL_MS ?? '350 (default)',
          workloadChannels: plan.workloadChannels.length,
          settleS: plan.settleMs / 1000,
          longIdleS: plan.longIdleMs / 1000,
          liveStatus: plan.quick
            ? 'idle bots: LIVE_STATUS_CALLS_PER_MIN=30, LIVE_STATUS_MIN_PERIOD_S=2 (quick)'
            : 'defaults (1 call/min, 15 s)',
          joinLimit: `${plan.chatLimits.joinLimit} per ${plan.chatLimits.joinWindowMs / 1000} s`,
          moderatorMessageLimit: `${plan.chatLimits.moderatorLimit} per 30 s`,
        },
      },
      modes,
      ...chat,
    };
    const report: BenchReport = { ...partial, goals: evaluateGoals(partial) };
    await writeFile(
      path.join(RESULTS, quick ? 'quick.json' : 'latest.json'),
      JSON.stringify(report, null, 2),
    );
    process.stdout.write(`${renderTable(report)}\n`);
    if (!only) await runAutoclipSection(autoclip);
    const problems = sanityProblems(partial);
    for (const p of problems) process.stderr.write(`bench: ${p}\n`);
    if (problems.length > 0) process.exitCode = 1;
    progress(`finished in ${((Date.now() - started) / 1000).toFixed(0)} s; JSON in bench/results/`);
  } finally {
    await world?.stop().catch(() => undefined);
    if (redis && !redis.embedded && prefixes.length > 0)
      await dropKeys(redis.url, prefixes).catch(() => undefined);
    await redis?.stop().catch(() => undefined);
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
