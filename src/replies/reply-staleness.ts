import type { ReplyEnvelope } from '../core/clip.js';

/**
 * When a Twitch chat answer has waited too long to be said as it is. An answer waits in the
 * reply stream while Redis is down, while chat is disconnected, or while no bot process
 * runs; its age is measured from its creation (result.finishedAt, set when the job wrote
 * it), so a slow job (a channel delay, a slow Twitch) does not age its own answer.
 */
export interface ReplyStalenessRule {
  /**
   * A failure ("offline", "Twitch is not answering, try again in a moment") older than this
   * is dropped: by now it is wrong or useless, and after an outage a burst of them is noise.
   */
  failureMaxAgeMs: number;
  /**
   * A clip (made, or made but not yet visible) older than this is still delivered, since the
   * clip exists, but as a plain message naming the askers instead of a threaded reply to
   * messages that have scrolled away.
   */
  threadMaxAgeMs: number;
  /** An "on its way" notice older than this is dropped. */
  noticeMaxAgeMs: number;
}

export const REPLY_STALENESS_DEFAULTS = {
  failureMaxAgeMs: 30_000,
  threadMaxAgeMs: 30_000,
  noticeMaxAgeMs: 15_000,
} as const satisfies ReplyStalenessRule;

export type Freshness =
  | { action: 'send'; envelope: ReplyEnvelope; unthreaded: boolean }
  | { action: 'drop'; ageMs: number };

/**
 * What to do with an answer about to be delivered. Only Twitch chat replies are judged:
 * a Discord answer edits the asker's own deferred reply (or is posted in a linked channel)
 * and still makes sense later; the dispatcher's maxAnswerAgeMs bounds both platforms.
 */
export function judgeFreshness(
  envelope: ReplyEnvelope,
  now: number,
  rule: Partial<ReplyStalenessRule> = {},
): Freshness {
  if (envelope.platform !== 'twitch' || envelope.post) {
    return { action: 'send', envelope, unthreaded: false };
  }
  const ageMs = now - envelope.result.finishedAt;
  if (envelope.result.outcome.status === 'on_its_way') {
    // "On its way" said late is noise: the clip, or its answer, is about to follow.
    const max = rule.noticeMaxAgeMs ?? REPLY_STALENESS_DEFAULTS.noticeMaxAgeMs;
    return ageMs > max
      ? { action: 'drop', ageMs }
      : { action: 'send', envelope, unthreaded: false };
  }
  if (envelope.result.outcome.status === 'failed') {
    const max = rule.failureMaxAgeMs ?? REPLY_STALENESS_DEFAULTS.failureMaxAgeMs;
    return ageMs > max
      ? { action: 'drop', ageMs }
      : { action: 'send', envelope, unthreaded: false };
  }
  const threadMax = rule.threadMaxAgeMs ?? REPLY_STALENESS_DEFAULTS.threadMaxAgeMs;
  if (ageMs <= threadMax) return { action: 'send', envelope, unthreaded: false };
  return {
    action: 'send',
    unthreaded: true,
    envelope: {
      ...envelope,
      requests: envelope.requests.map((r) =>
        r.replyTo.platform === 'twitch'
          ? { ...r, replyTo: { platform: 'twitch', channel: r.replyTo.channel } }
          : r,
      ),
    },
  };
}
