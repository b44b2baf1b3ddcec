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
