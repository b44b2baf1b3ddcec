import { REST } from '@discordjs/rest';
import { Routes } from 'discord.js';
import { allCommands } from '../../commands/index.js';
import type { Config } from '../config.js';
import { helixClientFromConfig } from '../twitch/from-config.js';
import { configFromEnvironment } from './env.js';
import { openCliRuntime, type CliRuntime } from './runtime.js';

export interface DoctorFinding {
  ok: boolean;
  /** Warnings do not fail the run: things work, but not as well as they could. */
  warning?: boolean;
  check: string;
  detail: string;
  fix?: string;
}

const REQUIRED_BOT_SCOPES = ['clips:edit', 'chat:read', 'chat:edit'];

/** Every check `clipbot doctor` runs, in order; each says what is wrong and how to fix it. */
export async function diagnose(config: Config, runtime: CliRuntime): Promise<DoctorFinding[]> {
  const findings: DoctorFinding[] = [];
  const add = (f: DoctorFinding) => findings.push(f);

  // Redis
  const info = await runtime.redis.info('server');
  const version = /redis_version:(\S+)/.exec(info)?.[1] ?? '?';
  add({ ok: true, check: 'Redis', detail: `reachable (version ${version})` });
  try {
    const aof = (await runtime.redis.config('GET', 'appendonly')) as string[];
    const policy = (await runtime.redis.config('GET', 'maxmemory-policy')) as string[];
    const durable = aof[1] === 'yes';
    const noEvict = policy[1] === 'noeviction';
    add({
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
    add({
      ok: true,
      warning: true,
      check: 'Redis persistence',
      detail: 'CONFIG GET not allowed; could not check',
    });
  }

  // Twitch
  const tokens = runtime.tokens;
  if (!config.TWITCH_CLIENT_ID || !tokens) {
    add({
      ok: false,
      check: 'Twitch application',
      detail: 'TWITCH_CLIENT_ID is not set',
      fix: 'create an application at https://dev.twitch.tv/console/apps and set TWITCH_CLIENT_ID (and TWITCH_CLIENT_SECRET)',
    });
  } else {
    await tokens.start();
    if (config.TWITCH_CLIENT_SECRET) {
      const app = tokens.state('app');
      add({
        ok: app.state === 'ok',
        check: 'Twitch app token',
        detail: app.message,
        fix: app.state === 'ok' ? undefined : 'check TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET',
      });
    } else {
      add({
        ok: true,
        warning: true,
        check: 'Twitch app token',
        detail:
          'no TWITCH_CLIENT_SECRET: reads use the bot token and its rate budget, and tokens cannot be refreshed',
        fix: 'set TWITCH_CLIENT_SECRET',
      });
    }
    const user = tokens.state('user');
    const identity = tokens.botIdentity();
    add({
      ok: user.state === 'ok',
      check: 'Twitch bot token',
      detail: user.message,
      fix: user.state === 'ok' ? undefined : 'run `clipbot auth` and log in as the bot account',
    });
    if (identity) {
      const missing = REQUIRED_BOT_SCOPES.filter((s) => !identity.scopes.includes(s));
      add({
        ok: missing.length === 0,
        check: 'Twitch bot scopes',
        detail:
          missing.length === 0
            ? `${identity.login} has ${identity.scopes.join(' ')}`
            : `${identity.login} lacks ${missing.join(' ')}`,
        fix: missing.length === 0 ? undefined : 'run `clipbot auth` again to grant them',
      });
      // One attempt and a short rate-limit wait: doctor reports, it does not persevere.
      const helix = helixClientFromConfig(
        { ...config, TWITCH_CLIENT_ID: config.TWITCH_CLIENT_ID },
        tokens,
        runtime.log,
        { overrides: { maxRetries: 1, maxRateLimitWaitS: 5 } },
      );
      if (config.TWITCH_CHANNELS.length > 0) {
        try {
          const users = await helix.getUsers({ logins: config.TWITCH_CHANNELS });
          const found = new Set(users.map((u) => u.login));
          const unknown = config.TWITCH_CHANNELS.filter((c) => !found.has(c));
          add({
            ok: unknown.length === 0,
            check: 'Twitch channels',
            detail:
              unknown.length === 0
                ? `${found.size} channel(s) found: ${[...found].join(', ')}`
                : `unknown login(s): ${unknown.join(', ')}`,
            fix:
              unknown.length === 0 ? undefined : 'fix TWITCH_CHANNELS (logins, not display names)',
          });
        } catch (err) {
          add({
            ok: false,
            check: 'Twitch API',
            detail: (err as Error).message,
            fix: 'check TWITCH_API_URL and the network',
          });
        }
      } else {
        add({
          ok: true,
          warning: true,
          check: 'Twitch channels',
          detail: 'TWITCH_CHANNELS is empty: the bot joins only channels linked from Discord',
        });
      }
    }
  }

  // Discord
  if (!config.DISCORD_TOKEN || !config.DISCORD_APPLICATION_ID) {
    add({
      ok: true,
      warning: true,
      check: 'Discord',
      detail: 'not configured (DISCORD_TOKEN unset): Discord is off',
    });
  } else {
    const rest = new REST({ api: config.DISCORD_API_URL, retries: 1, timeout: 10_000 }).setToken(
      config.DISCORD_TOKEN,
    );
    try {
      const me = (await rest.get(Routes.user('@me'))) as { username: string; id: string };
      add({ ok: true, check: 'Discord token', detail: `logged in as ${me.username} (${me.id})` });
      const registered = (await rest.get(
        Routes.applicationCommands(config.DISCORD_APPLICATION_ID),
      )) as { name: string }[];
      const names = new Set(registered.map((c) => c.name));
      const wanted = allCommands()
        .filter((c) => !c.platforms || c.platforms.includes('discord'))
        .map((c) => c.name);
      const missing = wanted.filter((n) => !names.has(n));
      add({
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
      const status = (err as { status?: number }).status;
      add({
        ok: false,
        check: 'Discord token',
        detail: status === 401 ? 'Discord refused the token (401)' : (err as Error).message,
        fix: 'copy the bot token again from the Discord developer portal into DISCORD_TOKEN',
      });
    }
  }
  return findings;
}

export function formatFindings(findings: DoctorFinding[]): string {
  return findings
    .map((f) => {
      const mark = f.ok && !f.warning ? 'ok  ' : f.ok || f.warning ? 'warn' : 'FAIL';
      return `[${mark}] ${f.check}: ${f.detail}${f.fix ? `\n       fix: ${f.fix}` : ''}`;
    })
    .join('\n');
}

export async function runDoctor(): Promise<number> {
  const config = configFromEnvironment();
  let runtime: CliRuntime;
  try {
    runtime = await openCliRuntime(config, { quiet: true });
  } catch (err) {
    process.stdout.write(`[FAIL] Redis: ${(err as Error).message}\n`);
    return 1;
  }
  try {
    const findings = await diagnose(config, runtime);
    process.stdout.write(`${formatFindings(findings)}\n`);
    const failed = findings.filter((f) => !f.ok).length;
    process.stdout.write(
      failed === 0 ? '\nAll checks passed.\n' : `\n${failed} check(s) failed.\n`,
    );
    return failed === 0 ? 0 : 1;
  } finally {
    await runtime.close();
  }
}
