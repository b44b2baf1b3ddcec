import { SnowflakeUtil } from 'discord.js';

/** The interaction callback's bucket route, as @discordjs/rest names it. */
const CALLBACK_ROUTE = '/interactions/:id/:token/callback';

export const CALLBACK_RATE_LIMIT_DEFAULTS = {
  /** Discord forgets an interaction not acknowledged within 3 s of its creation. */
  deadlineMs: 3000,
  /** Room for the retried request itself to reach Discord before the deadline. */
  marginMs: 250,
  /**
   * When the interaction's creation time cannot be trusted (a clock far off Discord's),
   * only a wait this short is retried.
   */
  fallbackMaxWaitMs: 1000,
} as const;

/** The part of @discordjs/rest's RateLimitData read here. */
export interface CallbackRateLimit {
  route: string;
  url: string;
  /** Milliseconds @discordjs/rest would wait before retrying. */
  retryAfter: number;
}

/**
 * @discordjs/rest's `rejectOnRateLimit`: true makes a rate-limited request throw a
 * RateLimitError instead of waiting and retrying. Only the interaction callback (the
 * acknowledgement) is concerned, and only when the wait would end past Discord's 3 s
 * deadline: retrying then can only earn a 10062 Unknown interaction, and discord.js would
 * keep retrying a dead callback for every interaction caught by a long 429 (the issue
 * counted 89 retries for 5 interactions). A short 429 that still fits is waited out.
 * Interaction callbacks do get 429s in the wild (discord/discord-api-docs#6407: an HTTP
 * bot's deferred replies answered 429 by Cloudflare with resets under a second).
 */
export function rejectLateCallback(data: CallbackRateLimit, now: number = Date.now()): boolean {
  if (data.route !== CALLBACK_ROUTE) return false;
  const d = CALLBACK_RATE_LIMIT_DEFAULTS;
  const createdAt = interactionCreatedAt(data.url);
  const plausible = createdAt !== undefined && Math.abs(now - createdAt) < d.deadlineMs * 10;
  if (!plausible) return data.retryAfter > d.fallbackMaxWaitMs;
  return now + data.retryAfter > createdAt + d.deadlineMs - d.marginMs;
}

/** The creation time carried by the interaction id (a snowflake) in a callback URL. */
function interactionCreatedAt(url: string): number | undefined {
  const id = /\/interactions\/(\d+)\//.exec(url)?.[1];
  if (!id) return undefined;
  try {
    return SnowflakeUtil.timestampFrom(id);
  } catch {
    return undefined;
  }
}
