import { REST } from '@discordjs/rest';
import { Routes } from 'discord.js';
import type { Redis } from 'ioredis';
import { allCommands } from '../../commands/index.js';
import type { Config } from '../config.js';
import { silentLogger } from '../logger.js';
import { redactRedisUrl } from '../redis/connection.js';
import { RedisServerMissingError, RedisStartError } from '../redis/embedded-redis.js';
import { RedisUnreachableError } from '../redis/reach-redis.js';
import { formatFindings, networkFailureOf, type DoctorFinding } from './doctor-finding.js';
import { twitchFindings } from './doctor-twitch.js';
import { configFromEnvironment } from './env.js';
import { openCliRuntime, type CliRuntime } from './runtime.js';

export { formatFindings, type DoctorFinding } from './doctor-finding.js';

/**
 * Every check `clipbot doctor` runs, in order. Redis down is one failed row: the checks
 * that do not need it still run. No log line is written: each row carries its own cause.
 */
export async function diagnose(config: Config): Promise<DoctorFinding[]> {
  const log = silentLogger();
  const findings: DoctorFinding[] = [];
  let runtime: CliRuntime | undefined;
  try {
    runtime = await openCliRuntime(config, { log });
    findings.push(...(await redisFindings(config, runtime.redis)));
  } catch (err) {
    findings.push(redisFailure(config, err));
  }
  try {
    findings.push(...(await twitchFindings(config, runtime?.redis, log)));
    findings.push(...(await discordFindings(config)));
  } finally {
    await runtime?.close();
  }
  return findings;
}

function redisWhere(config: Config): string {
  return config.REDIS_URL
    ? redactRedisUrl(config.REDIS_URL)
    : `the embedded redis-server (data in ${config.REDIS_DATA_DIR})`;
}

function redisFailure(config: Config, err: unknown): DoctorFinding {
  const tried = `PING ${redisWhere(config)}`;
  if (err instanceof RedisUnreachableError) {
    return {
      ok: false,
      check: 'Redis',
      tried,
      detail: `no answer within ${err.waitedS} s: ${err.reason}`,
      fix: config.REDIS_URL
        ? 'start Redis at that address, or correct REDIS_URL'
        : 'see the embedded redis-server above, or set REDIS_URL to a running Redis',
    };
  }
  if (err instanceof RedisServerMissingError || err instanceof RedisStartError) {
    return { ok: false, check: 'Redis', tried, detail: err.message };
  }
  return { ok: false, check: 'Redis', tried, detail: (err as Error).message };
}

async function redisFindings(config: Config, redis: Redis): Promise<DoctorFinding[]> {
  const info = await redis.info('server');
  const version = /redis_version:(\S+)/.exec(info)?.[1] ?? '?';
  const findings: DoctorFinding[] = [
    { ok: true, check: 'Redis', detail: `${redisWhere(config)} answers (version ${version})` },
  ];
  try {
    const aof = (await redis.config('GET', 'appendonly')) as string[];
    const policy = (await redis.config('GET', 'maxmemory-policy')) as string[];
    const durable = aof[1] === 'yes';
    const noEvict = policy[1] === 'noeviction';
    findings.push({
      ok: true,
      warning: !(durable && noEvict),
      check: 'Redis persistence',
      detail: `appendonly ${aof[1] ?? '?'}, maxmemory-policy ${policy[1] ?? '?'}`,
      fix:
        durable && noEvict
          ? undefined
          : 'set appendonly yes and maxmemory-policy noeviction so jobs, tokens and settings survive restarts',
    });
  } catch {
    findings.push({
      ok: true,
      warning: true,
      check: 'Redis persistence',
      detail: 'CONFIG GET not allowed; could not check',
    });
  }
  return findings;
}

async function discordFindings(config: Config): Promise<DoctorFinding[]> {
  if (!config.DISCORD_TOKEN || !config.DISCORD_APPLICATION_ID) {
    return [
      {
        ok: true,
        warning: true,
        check: 'Discord',
        detail: 'not configured (DISCORD_TOKEN unset): Discord is off',
      },
    ];
  }
  const rest = new REST({ api: config.DISCORD_API_URL, retries: 0, timeout: 10_000 }).setToken(
    config.DISCORD_TOKEN,
  );
  const tried = `GET ${config.DISCORD_API_URL}/users/@me with DISCORD_TOKEN`;
  let me: { username: string; id: string };
  try {
    me = (await rest.get(Routes.user('@me'))) as { username: string; id: string };
  } catch (err) {
    const status = (err as { status?: number }).status;
    const network = networkFailureOf(err);
    return [
      {
        ok: false,
        check: 'Discord token',
        tried,
        detail:
          status === 401
            ? 'refused: Discord refused the token (401)'
            : network
              ? `network: ${network}`
              : (err as Error).message,
        fix:
          status === 401
            ? 'copy the bot token again from the Discord developer portal into DISCORD_TOKEN'
            : network
              ? "check DISCORD_API_URL and this machine's network and DNS"
              : undefined,
      },
    ];
  }
  const findings: DoctorFinding[] = [
    { ok: true, check: 'Discord token', detail: `logged in as ${me.username} (${me.id})` },
  ];
  try {
    const registered = (await rest.get(
      Routes.applicationCommands(config.DISCORD_APPLICATION_ID),
    )) as { name: string }[];
    const names = new Set(registered.map((c) => c.name));
    const wanted = allCommands()
      .filter((c) => !c.platforms || c.platforms.includes('discord'))
      .map((c) => c.name);
    const missing = wanted.filter((n) => !names.has(n));
    findings.push({
      ok: true,
      warning: missing.length > 0,
      check: 'Discord slash commands',
      detail:
        missing.length === 0
          ? `registered globally: ${wanted.map((n) => `/${n}`).join(' ')}`
          : `not registered globally: ${missing.map((n) => `/${n}`).join(' ')} (fine if you registered them per server)`,
      fix:
        missing.length === 0 ? undefined : 'run `clipbot register-commands` (or with --guild ID)',
    });
  } catch (err) {
    findings.push({
      ok: false,
      check: 'Discord slash commands',
      tried: `GET ${config.DISCORD_API_URL}/applications/${config.DISCORD_APPLICATION_ID}/commands`,
      detail: (err as Error).message,
      fix: 'check DISCORD_APPLICATION_ID: the ID of the application the bot token belongs to',
    });
  }
  return findings;
}

export async function runDoctor(): Promise<number> {
  const config = configFromEnvironment();
  const findings = await diagnose(config);
  process.stdout.write(`${formatFindings(findings)}\n`);
  const failed = findings.filter((f) => !f.ok && !f.skipped).length;
  const skipped = findings.filter((f) => f.skipped).length;
  process.stdout.write(
    failed === 0
      ? '\nAll checks passed.\n'
      : `\n${failed} check(s) failed${skipped > 0 ? `, ${skipped} not checked because of them` : ''}.\n`,
  );
  return failed === 0 ? 0 : 1;
}
