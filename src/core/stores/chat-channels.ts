/**
 * The Twitch channels the chat connection should be in: TWITCH_CHANNELS plus those added by
 * configuration (Discord links). Stored in Redis; changes reach the chat adapter in any
 * process through Redis pub/sub.
 */
export interface ChatChannels {
  list(): Promise<string[]>;
  add(login: string): Promise<void>;
  remove(login: string): Promise<void>;
  /** Calls back on every add/remove from any process. Returns an unsubscribe function. */
  onChange(listener: (change: { op: 'add' | 'remove'; login: string }) => void): () => void;
}
