import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { BOT_SCOPES } from '../twitch/device-auth.js';
import { HelixError } from '../twitch/errors.js';
import { helixClientFromConfig, tokenManagerFromConfig } from '../twitch/from-config.js';
import { OAuthError, TwitchOAuthClient } from '../twitch/oauth-client.js';
import type { TokenManager, TokenStatus } from '../twitch/token-manager.js';
import { RedisTokenStore } from '../twitch/token-store.js';
import { networkFailureOf, type DoctorFinding } from './doctor-finding.js';

type TwitchConfig = Config & { TWITCH_CLIENT_ID: string };

/**
 * Twitch's rows: the application (client credentials), the bot token, its scopes, the
 * channels. `redis` is undefined when Redis did not answer: the tokens live there, so only
 * the application is checked.
 */
export async function twitchFindings(
  config: Config,
  redis: Redis | undefined,
  log: Logger,
): Promise<DoctorFinding[]> {
  const clientId = config.TWITCH_CLIENT_ID;
  if (!clientId) {
    return [
      {
        ok: false,
        check: 'Twitch application',
        detail: 'TWITCH_CLIENT_ID is not set',
        fix: 'create an application at https://dev.twitch.tv/console/apps and set TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET',
      },
    ];
  }
  const twitchConfig: TwitchConfig = { ...config, TWITCH_CLIENT_ID: clientId };
  if (!redis) {
    const app = await appTokenWithoutRedis(twitchConfig);
    const why = 'not checked: the bot token is kept in Redis, which did not answer';
    return [
      appTokenRow(twitchConfig, app),
      { ok: false, skipped: true, check: 'Twitch bot token', detail: why },
    ];
  }
  const tokens = tokenManagerFromConfig(twitchConfig, redis, log);
  try {
    await tokens.start();
    const findings = [appTokenRow(twitchConfig, tokens.state('app'))];
    findings.push(await botTokenRow(twitchConfig, tokens, redis));
    const identity = tokens.botIdentity();
    if (identity) {
      const missing = BOT_SCOPES.filter((s) => !identity.scopes.includes(s));
      findings.push({
        ok: missing.length === 0,
        check: 'Twitch bot scopes',
        detail:
          missing.length === 0
            ? `${identity.login} has ${identity.scopes.join(' ')}`
            : `missing scope: ${identity.login}'s token lacks ${missing.join(' ')} (it has ${identity.scopes.join(' ') || 'none'})`,
        fix:
          missing.length === 0
            ? undefined
            : 'run `clipbot auth` and approve as the bot account: it asks for every scope the bot needs',
      });
    }
    const usable = tokens.state('app').state === 'ok' || identity !== undefined;
    findings.push(await channelsRow(twitchConfig, tokens, log, usable));
    return findings;
  } finally {
    tokens.stop();
  }
}

function appTokenRow(config: TwitchConfig, status: TokenStatus): DoctorFinding {
  const tried = `POST ${config.TWITCH_AUTH_URL}/token (client credentials)`;
  if (!config.TWITCH_CLIENT_SECRET) {
    return {
      ok: true,
      warning: true,
      check: 'Twitch app token',
      detail:
        'no TWITCH_CLIENT_SECRET: reads use the bot token and its rate budget, and tokens cannot be refreshed',
      fix: 'set TWITCH_CLIENT_SECRET',
    };
  }
  switch (status.state) {
    case 'ok':
      return { ok: true, check: 'Twitch app token', detail: status.message, tried };
    case 'unreachable':
      return {
        ok: false,
        check: 'Twitch app token',
        tried,
        ...noAnswer(status, 'the client id and secret were not checked'),
      };
    default:
      return {
        ok: false,
        check: 'Twitch app token',
        tried,
        detail: `refused: ${status.problem ?? status.message}`,
        fix: 'copy the Client ID and a new Client Secret from https://dev.twitch.tv/console/apps into TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET',
      };
  }
}

/** Client credentials asked for directly, storing nothing: used when Redis did not answer. */
async function appTokenWithoutRedis(config: TwitchConfig): Promise<TokenStatus> {
  if (!config.TWITCH_CLIENT_SECRET) return { state: 'missing', message: 'no client secret' };
  const oauth = new TwitchOAuthClient({
    authUrl: config.TWITCH_AUTH_URL,
    clientId: config.TWITCH_CLIENT_ID,
    clientSecret: config.TWITCH_CLIENT_SECRET,
    timeoutMs: config.HELIX_TIMEOUT_MS,
  });
  try {
    await oauth.clientCredentials();
    return { state: 'ok', message: 'app token obtained by client credentials (not stored)' };
  } catch (err) {
    const e = err as Error;
    if (e instanceof OAuthError && !e.transient) {
      return { state: 'invalid', message: e.message, problem: `Twitch answered ${e.message}` };
    }
    const why =
      e instanceof OAuthError && e.status > 0
        ? `Twitch answered ${e.status}`
        : (networkFailureOf(e) ?? e.message);
    return { state: 'unreachable', message: why, problem: why };
  }
}

/**
 * Twitch's OAuth server gave no usable answer: no connection (the network's fault) or a
 * 5xx/429 (Twitch's). Either way nothing was learned about the credentials.
 */
function noAnswer(status: TokenStatus, unchecked: string): { detail: string; fix: string } {
  const problem = status.problem ?? status.message;
  return /Twitch answered/.test(problem)
    ? {
        detail: `Twitch error: ${problem} (${unchecked})`,
        fix: 'Twitch is having trouble: run `clipbot doctor` again in a few minutes',
      }
    : {
        detail: `network: ${problem} (${unchecked})`,
        fix: "check TWITCH_AUTH_URL and this machine's network and DNS",
      };
}

async function botTokenRow(
  config: TwitchConfig,
  tokens: TokenManager,
  redis: Redis,
): Promise<DoctorFinding> {
  const stored = await new RedisTokenStore(redis, config.REDIS_KEY_PREFIX).get('user');
  const fromEnv = stored?.seedHash !== undefined && config.TWITCH_ACCESS_TOKEN !== undefined;
  const source = stored
    ? stored.seedHash !== undefined
      ? 'stored in Redis, from TWITCH_ACCESS_TOKEN'
      : 'stored in Redis by `clipbot auth`'
    : undefined;
  const tried = source
    ? `GET ${config.TWITCH_AUTH_URL}/validate with the bot token ${source}`
    : `looked for the bot token in Redis (prefix "${config.REDIS_KEY_PREFIX}") and TWITCH_ACCESS_TOKEN`;
  const user = tokens.state('user');
  const row = { check: 'Twitch bot token', tried };
  switch (user.state) {
    case 'ok':
      return { ...row, ok: true, detail: user.message };
    case 'missing':
      return {
        ...row,
        ok: false,
        detail: 'missing: no bot token stored',
        fix: 'run `clipbot auth` and log in as the bot account',
      };
    case 'unreachable':
      return { ...row, ok: false, ...noAnswer(user, 'the token itself was not checked') };
    default:
      return {
        ...row,
        ok: false,
        detail: `refused (expired or revoked): ${user.problem ?? user.message}`,
        fix: fromEnv
          ? 'TWITCH_ACCESS_TOKEN holds a token Twitch refuses: remove it (and TWITCH_REFRESH_TOKEN) from the environment, then run `clipbot auth --forget` and `clipbot auth`'
          : stored?.seedHash !== undefined
            ? 'this token came from a TWITCH_ACCESS_TOKEN given earlier and stays stored: run `clipbot auth --forget`, then `clipbot auth`'
            : 'run `clipbot auth` and log in as the bot account again (it replaces the stored token)',
      };
  }
}

async function channelsRow(
  config: TwitchConfig,
  tokens: TokenManager,
  log: Logger,
  usable: boolean,
): Promise<DoctorFinding> {
  const check = 'Twitch channels';
  if (config.TWITCH_CHANNELS.length === 0) {
    return {
      ok: true,
      warning: true,
      check,
      detail: 'TWITCH_CHANNELS is empty: the bot joins only channels linked from Discord',
    };
  }
  if (!usable) {
    return {
      ok: false,
      skipped: true,
      check,
      detail: 'not checked: no Twitch token works (see above)',
    };
  }
  const tried = `GET ${config.TWITCH_API_URL}/users?login=${config.TWITCH_CHANNELS.join('&login=')}`;
  // One attempt and a short rate-limit wait: doctor reports, it does not persevere.
  const helix = helixClientFromConfig(config, tokens, log, {
    overrides: { maxRetries: 0, maxRateLimitWaitS: 5 },
  });
  try {
    const users = await helix.getUsers({ logins: config.TWITCH_CHANNELS });
    const found = new Set(users.map((u) => u.login));
    const unknown = config.TWITCH_CHANNELS.filter((c) => !found.has(c));
    return {
      ok: unknown.length === 0,
      check,
      tried,
      detail:
        unknown.length === 0
          ? `${found.size} channel(s) found: ${[...found].join(', ')}`
          : `not found on Twitch: ${unknown.join(', ')}`,
      fix:
        unknown.length === 0
          ? undefined
          : 'correct TWITCH_CHANNELS: logins (as in twitch.tv/<login>), not display names',
    };
  } catch (err) {
    const e = err as Error;
    const network = e instanceof HelixError && (e.kind === 'network' || e.kind === 'timeout');
    return {
      ok: false,
      check,
      tried,
      detail: network
        ? `network: ${networkFailureOf(e) ?? e.message}`
        : `Twitch answered: ${e.message}`,
      fix: network ? "check TWITCH_API_URL and this machine's network and DNS" : helixFix(e),
    };
  }
}

function helixFix(e: Error): string {
  if (!(e instanceof HelixError)) return 'run `clipbot doctor` again; if it persists, report it';
  switch (e.kind) {
    case 'unauthorized':
    case 'missing_scope':
      return 'run `clipbot auth` and log in as the bot account again';
    case 'rate_limited':
      return "wait a minute: the token's Twitch rate budget is used up";
    case 'server_error':
      return 'Twitch is having trouble: try again later';
    default:
      return 'check TWITCH_API_URL: it must be Twitch Helix (https://api.twitch.tv/helix)';
  }
}
