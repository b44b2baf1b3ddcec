import { DeviceFlowError, pollDeviceFlow, startDeviceFlow } from '../twitch/device-auth.js';
import { configFromEnvironment } from './env.js';
import { openCliRuntime } from './runtime.js';

/** What the bot account needs for clips and chat; the rest only when asked for. */
export function scopesFor(opts: { vodClips?: boolean; broadcaster?: boolean }): string[] {
  if (opts.broadcaster) return ['channel:manage:videos', 'channel:manage:clips'];
  const scopes = ['clips:edit', 'chat:read', 'chat:edit'];
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
}): Promise<number> {
  const config = configFromEnvironment();
  if (!config.TWITCH_CLIENT_ID) {
    process.stderr.write(
      'TWITCH_CLIENT_ID is not set. Create a Twitch application (category: Chat Bot, client type:\n' +
        'Public or Confidential) at https://dev.twitch.tv/console/apps and put its ID in .env.\n',
    );
    return 1;
  }
  const scopes = scopesFor(opts);
  const runtime = await openCliRuntime(config, { quiet: true });
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
