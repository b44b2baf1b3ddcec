import {
  BOT_SCOPES,
  DeviceFlowError,
  pollDeviceFlow,
  startDeviceFlow,
} from '../twitch/device-auth.js';
import type { Config } from '../config.js';
import { RedisServerMissingError, RedisStartError } from '../redis/embedded-redis.js';
import { RedisUnreachableError } from '../redis/reach-redis.js';
import { RedisTokenStore } from '../twitch/token-store.js';
import { configFromEnvironment } from './env.js';
import { openCliRuntime, type CliRuntime } from './runtime.js';

/** What the bot account needs for clips and chat; the rest only when asked for. */
export function scopesFor(opts: { vodClips?: boolean; broadcaster?: boolean }): string[] {
  if (opts.broadcaster) return ['channel:manage:videos', 'channel:manage:clips'];
  const scopes = [...BOT_SCOPES];
  if (opts.vodClips) scopes.push('editor:manage:clips');
  return scopes;
}

/**
 * Twitch's device code flow: suits a headless bot (no redirect URL to host). Prints where
 * to go and the code, waits for approval, validates and stores the tokens in Redis.
 */
export async function runAuth(opts: {
  vodClips?: boolean;
  broadcaster?: boolean;
  forget?: boolean;
}): Promise<number> {
  const config = configFromEnvironment();
  if (opts.forget) return forgetBotToken(config);
  if (!config.TWITCH_CLIENT_ID) {
    process.stderr.write(
      'TWITCH_CLIENT_ID is not set. Create a Twitch application (category: Chat Bot, client type:\n' +
        'Public or Confidential) at https://dev.twitch.tv/console/apps and put its ID in .env.\n',
    );
    return 1;
  }
  const scopes = scopesFor(opts);
  const runtime = await openRuntimeOrSay(config);
  if (!runtime) return 1;
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  try {
    const start = await startDeviceFlow({
      authUrl: config.TWITCH_AUTH_URL,
      clientId: config.TWITCH_CLIENT_ID,
      scopes,
    });
    const who = opts.broadcaster ? 'the BROADCASTER account' : 'the BOT account';
    process.stdout.write(
      `\nTo authorize clipbot, open:\n\n    ${start.verificationUri}\n\n` +
        `log in as ${who}, and enter the code:  ${start.userCode}\n\n` +
        `Scopes asked for: ${scopes.join(' ')}\n` +
        `Waiting for approval (the code expires in ${Math.round(start.expiresIn / 60)} minutes; Ctrl-C to cancel)...\n`,
    );
    const tokens = await pollDeviceFlow({
      authUrl: config.TWITCH_AUTH_URL,
      clientId: config.TWITCH_CLIENT_ID,
      scopes,
      deviceCode: start.deviceCode,
      interval: start.interval,
      expiresIn: start.expiresIn,
      signal: abort.signal,
    });
    const manager = runtime.tokens;
    if (!manager) throw new Error('token manager unavailable');
    const stored = await manager.storeTokens(opts.broadcaster ? 'broadcaster' : 'user', tokens);
    process.stdout.write(
      `\nAuthorized as ${stored.login ?? 'unknown'} (${stored.userId ?? '?'}) with ${stored.scopes.join(' ')}.\n` +
        `The tokens are stored in Redis (prefix "${config.REDIS_KEY_PREFIX}"); clipbot refreshes them itself.\n` +
        (opts.broadcaster ? '' : 'Next: `clipbot start`.\n'),
    );
    return 0;
  } catch (err) {
    if (abort.signal.aborted) {
      process.stderr.write('\nCancelled.\n');
    } else if (err instanceof DeviceFlowError) {
      process.stderr.write(`\nAuthorization failed: ${err.message}\n`);
    } else {
      process.stderr.write(`\nAuthorization failed: ${(err as Error).message}\n`);
    }
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
    await runtime.close();
  }
}

/** Redis, or undefined after one line on stderr saying why not (never a hang, never a stack). */
async function openRuntimeOrSay(config: Config): Promise<CliRuntime | undefined> {
  try {
    return await openCliRuntime(config);
  } catch (err) {
    if (
      err instanceof RedisUnreachableError ||
      err instanceof RedisServerMissingError ||
      err instanceof RedisStartError
    ) {
      process.stderr.write(`clipbot auth: ${err.message}\n`);
      return undefined;
    }
    throw err;
  }
}

/**
 * `clipbot auth --forget`: removes the bot's stored user token. A token given once through
 * TWITCH_ACCESS_TOKEN is stored and used from Redis even after the variable is gone; this
 * is the way out when it was wrong.
 */
async function forgetBotToken(config: Config): Promise<number> {
  const runtime = await openRuntimeOrSay(config);
  if (!runtime) return 1;
  try {
    const store = new RedisTokenStore(runtime.redis, config.REDIS_KEY_PREFIX);
    const stored = await store.get('user');
    await store.delete('user');
    process.stdout.write(
      stored
        ? `Removed the stored bot token${stored.login ? ` of ${stored.login}` : ''} from Redis (prefix "${config.REDIS_KEY_PREFIX}").\n`
        : `No bot token was stored in Redis (prefix "${config.REDIS_KEY_PREFIX}"): nothing to remove.\n`,
    );
    if (config.TWITCH_ACCESS_TOKEN) {
      process.stdout.write(
        'TWITCH_ACCESS_TOKEN is still set: the next start or doctor stores it again. Remove it (and\n' +
          'TWITCH_REFRESH_TOKEN) from the environment or .env first.\n',
      );
    } else {
      process.stdout.write('Next: `clipbot auth` to log the bot account in.\n');
    }
    return 0;
  } finally {
    await runtime.close();
  }
}
