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
