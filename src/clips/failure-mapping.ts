import { chatSafeTwitchText } from '../twitch/classify-error.js';
import { HelixError, type HelixErrorKind } from '../twitch/errors.js';
import type { FailureReason } from '../core/clip.js';

/** A clip that cannot be made, with the reason the requesters are told. */
export class ClipFailure extends Error {
  override readonly name = 'ClipFailure';
  constructor(
    readonly reason: FailureReason,
    /** For logs (Twitch's message); never user text, never a token. */
    readonly detail?: string,
  ) {
    super(detail ? `${reason}: ${detail}` : reason);
  }
}

/**
 * What the worker does with an error:
 * - fail: answer now with `reason`, no retry (BullMQ UnrecoverableError);
 * - rate_limited: pause the queue until `retryInMs` and try the job again;
 * - clip_paused: Create Clip's own bucket is empty: pause clip creation (every worker)
 *   and try the job again once it resumes;
 * - retry: transient; retry with backoff, and answer `reason` when attempts run out.
 */
export type ErrorDecision =
  | { action: 'fail'; reason: FailureReason; detail: string; twitchText?: string }
  | { action: 'clip_paused'; detail: string }
  | { action: 'rate_limited'; retryInMs: number; detail: string }
  | { action: 'retry'; reason: FailureReason; detail: string };

const PERMANENT: Partial<Record<HelixErrorKind, FailureReason>> = {
  not_live: 'offline',
  clips_disabled: 'clips_disabled',
  clips_restricted: 'clips_restricted',
  banned: 'banned',
  not_clippable: 'not_clippable',
  unknown_broadcaster: 'unknown_channel',
  unauthorized: 'unauthorized',
  missing_scope: 'unauthorized',
  // A 403 whose wording we do not know, a 400 we did not expect, a 404 off Create Clip:
  // retrying cannot help, and no viewer-facing reason fits better than "ours".
  forbidden: 'internal',
  bad_request: 'internal',
  not_found: 'internal',
  // Reaching here means the retry without a title was rejected too.
  title_rejected: 'internal',
};

const MIN_RATE_LIMIT_PAUSE_MS = 1000;
const DEFAULT_RATE_LIMIT_PAUSE_MS = 10_000;

export function decide(err: unknown, now = Date.now()): ErrorDecision {
  if (err instanceof ClipFailure) {
    return { action: 'fail', reason: err.reason, detail: err.detail ?? err.reason };
  }
  if (err instanceof HelixError) {
    const detail = `${err.endpoint} ${err.kind} (${err.status}) ${err.twitchMessage}`.trim();
    if (err.kind === 'rate_limited') {
      const retryInMs =
        err.resetAt !== undefined
          ? Math.max(MIN_RATE_LIMIT_PAUSE_MS, err.resetAt * 1000 - now)
          : DEFAULT_RATE_LIMIT_PAUSE_MS;
      return { action: 'rate_limited', retryInMs, detail };
    }
    if (err.kind === 'clip_creation_limited') return { action: 'clip_paused', detail };
    const quoted = unrecognisedRefusal(err);
    if (quoted) return { action: 'fail', reason: 'twitch_refused', detail, twitchText: quoted };
    const permanent = PERMANENT[err.kind];
    if (permanent) return { action: 'fail', reason: permanent, detail };
    return { action: 'retry', reason: 'twitch_unavailable', detail };
  }
  // A bug or a Redis hiccup: retrying is cheap and the job resumes where it stopped.
  const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return { action: 'retry', reason: 'internal', detail };
}

/**
 * Twitch's words (safe for chat) when a clip-creating call was refused with a text we do
 * not recognise: telling the viewer what Twitch said beats a guess.
 */
function unrecognisedRefusal(err: HelixError): string | undefined {
  if (err.kind !== 'forbidden' && err.kind !== 'bad_request') return undefined;
  if (err.endpoint !== 'POST /clips' && err.endpoint !== 'POST /videos/clips') return undefined;
  const text = chatSafeTwitchText(err.twitchMessage);
  return text === '' ? undefined : text;
}

/**
 * Whether a failed Create Clip (POST /clips or POST /videos/clips) may still have made a
 * clip: no definite answer came back (a timeout, a dropped connection, a 5xx), or Twitch
 * said 2xx without the clip's id. Such a call is not repeated blindly: the job first looks
 * for its clip in Get Clips (clip-processor.ts). A 4xx or 429 is Twitch
 * refusing before acting, and errors from other endpoints (the VOD lookups before Create
 * Clip From VOD) never made a clip.
 */
export function createOutcomeUnknown(err: unknown): boolean {
  if (!(err instanceof HelixError) || !err.endpoint.startsWith('POST ')) return false;
  if (err.status >= 200 && err.status < 300) return true;
  switch (err.kind) {
    case 'timeout':
    case 'server_error':
    case 'network':
      // Undefined: a thrower that did not say; assume the worst.
      return err.ambiguous ?? true;
    default:
      return false;
  }
}
