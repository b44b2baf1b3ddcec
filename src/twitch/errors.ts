/**
 * Typed Helix errors. `kind` is what the pipeline maps to a reason a viewer understands;
 * status, endpoint and Twitch's own message are kept for logs.
 */
export type HelixErrorKind =
  | 'not_live' // 404 on Create Clip
  | 'clips_disabled' // 403: the broadcaster has not enabled clips
  | 'clips_restricted' // 403: followers and/or subscribers only
  | 'banned' // 403: the bot is banned or timed out in the channel
  | 'forbidden' // 403 with a message we do not recognise
  | 'not_clippable' // 400: the category is not clippable
  | 'title_rejected' // 400: the title did not pass AutoMod
  | 'unknown_broadcaster' // 400: broadcaster id not found
  | 'bad_request' // other 400
  | 'not_found' // 404 elsewhere
  | 'unauthorized' // 401 after the one refresh-and-retry
  | 'missing_scope' // 401 naming a scope, or a token without the needed scope
  | 'rate_limited' // 429 after waiting as long as we are allowed
  | 'clip_creation_limited' // 429 from Create Clip's own bucket (Ratelimit-Helixclipscreation-*)
  | 'server_error' // 5xx after retries
  | 'timeout' // no answer within HELIX_TIMEOUT_MS, after retries
  | 'network'; // connection refused/reset, after retries

export class HelixError extends Error {
  override readonly name = 'HelixError';
  constructor(
    readonly kind: HelixErrorKind,
    /** HTTP status; 0 for timeouts and network errors. */
    readonly status: number,
    /** "POST /clips" — method and path, never the query string (it may carry user text). */
    readonly endpoint: string,
    /** Twitch's `message` field, or the transport error's message. */
    readonly twitchMessage: string,
    /** For rate_limited: epoch seconds when the bucket refills. */
    readonly resetAt?: number,
    /**
     * Whether Twitch may have acted on the request although no definite answer came back
     * (a timeout, a connection reset, a 5xx). False: it certainly did not (never sent, or
     * refused). Undefined: the thrower did not say.
     */
    readonly ambiguous?: boolean,
  ) {
    super(`${endpoint} failed: ${kind} (${status}) ${twitchMessage}`.trim());
  }

  /** Failures that a retry of the same request cannot fix. */
  get permanent(): boolean {
    return ![
      'rate_limited',
      'clip_creation_limited',
      'server_error',
      'timeout',
      'network',
    ].includes(this.kind);
  }
}

/** A token that cannot be used or refreshed; the bot keeps running without that feature. */
export class TokenError extends Error {
  override readonly name = 'TokenError';
  constructor(
    readonly tokenKind: string,
    message: string,
  ) {
    super(message);
  }
}
