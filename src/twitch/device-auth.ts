import { OAuthError, TwitchOAuthClient } from './oauth-client.js';
import { sleep } from './sleep.js';

/** What the bot account needs for clips and chat (`clipbot auth` asks for them; doctor checks). */
export const BOT_SCOPES: string[] = ['clips:edit', 'chat:read', 'chat:edit'];

export interface DeviceFlowStart {
  deviceCode: string;
  /** What the person types at verificationUri. */
  userCode: string;
  verificationUri: string;
  /** Seconds the codes stay valid. */
  expiresIn: number;
  /** Seconds to wait between polls. */
  interval: number;
}

export interface DeviceFlowTokens {
  accessToken: string;
  refreshToken?: string;
  scopes: string[];
  expiresIn?: number;
}

export type DeviceFlowErrorCode = 'expired' | 'denied' | 'failed';

/** The device flow ended without tokens; the message says what to do. */
export class DeviceFlowError extends Error {
  override readonly name = 'DeviceFlowError';
  constructor(
    readonly code: DeviceFlowErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface DeviceFlowOptions {
  /** TWITCH_AUTH_URL, such as https://id.twitch.tv/oauth2 */
  authUrl: string;
  clientId: string;
  scopes: string[];
  timeoutMs?: number;
}

/** POST /oauth2/device: returns the code to show the person who authorizes the bot. */
export async function startDeviceFlow(opts: DeviceFlowOptions): Promise<DeviceFlowStart> {
  const client = new TwitchOAuthClient({
    authUrl: opts.authUrl,
    clientId: opts.clientId,
    timeoutMs: opts.timeoutMs,
  });
  try {
    return await client.deviceCode(opts.scopes);
  } catch (err) {
    if (err instanceof OAuthError) {
      throw new DeviceFlowError('failed', `Twitch did not start the device flow: ${err.message}`);
    }
    throw err;
  }
}

export interface PollDeviceFlowOptions extends DeviceFlowOptions {
  deviceCode: string;
  /** Seconds between polls, as startDeviceFlow returned (fractions allowed). */
  interval: number;
  /** Seconds after which the code is known to be expired; polling stops then. */
  expiresIn?: number;
  /** How much a slow_down answer adds to the interval, in seconds (RFC 8628: 5). */
  slowDownStepS?: number;
  signal?: AbortSignal;
}

const PENDING = /authorization_pending|pending/i;
const SLOW_DOWN = /slow_down|slow down/i;
const EXPIRED = /expired|invalid device code|invalid_grant/i;
const DENIED = /denied/i;

export const DEVICE_FLOW_DEFAULTS = {
  slowDownStepS: 5,
} as const satisfies Partial<PollDeviceFlowOptions>;

/**
 * Polls the device code grant until the person approves (tokens), refuses, or the code
 * expires (DeviceFlowError). Rejects with the signal's reason when aborted.
 */
export async function pollDeviceFlow(opts: PollDeviceFlowOptions): Promise<DeviceFlowTokens> {
  const client = new TwitchOAuthClient({
    authUrl: opts.authUrl,
    clientId: opts.clientId,
    timeoutMs: opts.timeoutMs,
  });
  let intervalMs = Math.max(0, opts.interval * 1000);
  const stepMs = (opts.slowDownStepS ?? DEVICE_FLOW_DEFAULTS.slowDownStepS) * 1000;
  const deadline = opts.expiresIn !== undefined ? Date.now() + opts.expiresIn * 1000 : undefined;
  for (;;) {
    opts.signal?.throwIfAborted();
    try {
      const res = await client.deviceToken(opts.deviceCode, opts.scopes);
      return {
        accessToken: res.accessToken,
        refreshToken: res.refreshToken,
        scopes: res.scopes,
        expiresIn: res.expiresIn,
      };
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      const msg = err.twitchMessage;
      if (SLOW_DOWN.test(msg)) {
        intervalMs += stepMs;
      } else if (PENDING.test(msg)) {
        // keep polling
      } else if (DENIED.test(msg)) {
        throw new DeviceFlowError('denied', 'The authorization was refused on Twitch.');
      } else if (EXPIRED.test(msg)) {
        throw new DeviceFlowError(
          'expired',
          `The device code expired or is no longer valid (${msg}); run \`clipbot auth\` again.`,
        );
      } else if (!err.transient) {
        throw new DeviceFlowError('failed', `Twitch refused the device code: ${err.message}`);
      }
      // Transient failures (no answer, 5xx) are polled through like pending.
    }
    if (deadline !== undefined && Date.now() + intervalMs >= deadline) {
      throw new DeviceFlowError(
        'expired',
        'The device code expired before it was approved; run `clipbot auth` again.',
      );
    }
    await sleep(intervalMs, opts.signal);
  }
}
