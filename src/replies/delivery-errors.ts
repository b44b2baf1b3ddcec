/**
 * Thrown by a ReplySender when an answer can never be delivered, whatever is retried: the
 * bot is not (and will not be) in that Twitch channel, the Discord interaction and the
 * channel it came from are gone. The reply dispatcher acknowledges the envelope, logs it
 * and counts it (clipbot_reply_deliveries_total{result="undeliverable"}) instead of
 * retrying it. Every other error a sender throws is treated as transient.
 */
export class UndeliverableError extends Error {
  override readonly name = 'UndeliverableError';
  constructor(
    message: string,
    /** Why, as a short token for logs (e.g. 'not_in_channel', 'interaction_gone'). */
    readonly reason = 'undeliverable',
  ) {
    super(message);
  }
}

/** Also true for an UndeliverableError from another copy of this module (a bundled adapter). */
export function isUndeliverable(err: unknown): err is UndeliverableError {
  return (
    err instanceof UndeliverableError || (err instanceof Error && err.name === 'UndeliverableError')
  );
}

/**
 * Thrown by a ReplySender when another process must deliver the answer (it holds the
 * Twitch channel's chat, src/chat/twitch/channel-leases.ts): the lane hands the entry to
 * that process's consumer instead of retrying it.
 */
export class HandOffError extends Error {
  override readonly name = 'HandOffError';
  constructor(
    message: string,
    /** The reply-stream consumer of the process that should deliver it. */
    readonly consumer: string,
  ) {
    super(message);
  }
}

export function isHandOff(err: unknown): err is HandOffError {
  return err instanceof HandOffError;
}
