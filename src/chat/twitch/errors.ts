/** The chat connection cannot send to that channel now (disconnected or not joined). */
export class ChatNotReadyError extends Error {
  override readonly name = 'ChatNotReadyError';
  constructor(
    readonly channel: string,
    reason: string,
  ) {
    super(`Twitch chat not ready for #${channel}: ${reason}`);
  }
}

/** The adapter was stopped while the message waited in the queue. */
export class ChatStoppedError extends Error {
  override readonly name = 'ChatStoppedError';
  constructor() {
    super('Twitch chat adapter stopped');
  }
}

/**
 * Twitch refused the same message again and again for a passing reason (slow mode, sending
 * too fast, a repeat): it leaves the queue so the rest of the channel can go; the reply
 * dispatcher tries the answer again later.
 */
export class ChatRefusedError extends Error {
  override readonly name = 'ChatRefusedError';
  constructor(
    readonly channel: string,
    readonly msgId: string,
    refusals: number,
  ) {
    super(`Twitch refused a message in #${channel} ${refusals} times (${msgId})`);
  }
}
