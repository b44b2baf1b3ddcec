import { DiscordAPIError, HTTPError } from 'discord.js';

/**
 * A failed call to Discord, safe to log and to rethrow: it carries the action, status and
 * Discord's error code, never a URL (interaction routes hold the interaction token in the
 * path) and never the original error (whose fields hold that URL).
 */
export class DiscordRequestError extends Error {
  override readonly name = 'DiscordRequestError';
  constructor(
    readonly action: string,
    message: string,
    readonly status?: number,
    readonly code?: number | string,
  ) {
    super(`Discord ${action} failed: ${message}`);
  }

  /** Retrying will not help: the request itself is wrong or the target is gone. */
  get permanent(): boolean {
    return (
      this.status !== undefined && this.status >= 400 && this.status < 500 && this.status !== 429
    );
  }
}

export { DiscordLoginError } from './login-error.js';

/** Codes meaning the interaction's token or its message no longer exists. */
const GONE_CODES = new Set<number | string>([
  10008, // Unknown Message
  10015, // Unknown Webhook
  10062, // Unknown interaction
  50027, // Invalid Webhook Token
]);

export function isInteractionGone(err: unknown): boolean {
  return err instanceof DiscordRequestError && err.code !== undefined && GONE_CODES.has(err.code);
}

/**
 * Discord refused a message for a reason a retry cannot change: the channel is unknown or
 * the bot may not see or write in it (403), the message itself is invalid (400). A gone
 * interaction is not one of them (its channel is tried instead), nor a refused bot token
 * (401, fixed by configuration) or a rate limit (429).
 */
export function isUndeliverableRefusal(err: unknown): err is DiscordRequestError {
  return (
    err instanceof DiscordRequestError &&
    err.permanent &&
    err.status !== 401 &&
    !isInteractionGone(err)
  );
}

function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join('[redacted]');
  return out;
}

/** Converts whatever discord.js threw into a DiscordRequestError, secrets scrubbed. */
export function toRequestError(
  action: string,
  err: unknown,
  secrets: readonly string[] = [],
): DiscordRequestError {
  if (err instanceof DiscordRequestError) return err;
  if (err instanceof DiscordAPIError) {
    const raw = err.rawError as { message?: unknown };
    const text = typeof raw.message === 'string' ? raw.message : err.message;
    return new DiscordRequestError(
      action,
      scrub(`${err.status} ${text} (code ${err.code})`, secrets),
      err.status,
      err.code,
    );
  }
  if (err instanceof HTTPError) {
    return new DiscordRequestError(action, `${err.status} ${err.name}`, err.status);
  }
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown } | null)?.code;
  return new DiscordRequestError(
    action,
    scrub(message, secrets),
    undefined,
    typeof code === 'string' || typeof code === 'number' ? code : undefined,
  );
}

/** Fields for a log line about a failed call. */
export function errorFields(err: unknown): Record<string, unknown> {
  if (err instanceof DiscordRequestError) {
    return { error: err.message, status: err.status, code: err.code };
  }
  return { error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
}
