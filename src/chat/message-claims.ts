import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { prefixedKey } from '../redis/connection.js';

export interface MessageClaimsOptions {
  /** A fail-fast ('command') connection: a claim that cannot be made must not wait. */
  redis: Redis;
  /** REDIS_KEY_PREFIX. */
  prefix: string;
  /**
   * How long a claim is kept. Longer than any gap in which a copy of the same message can
   * reach another process (a chat connection's backlog after a stall, a late gateway
   * dispatch), short enough that the keys cost nothing.
   */
  ttlMs?: number;
  /** Who claims: unique per process (a random id unless given). */
  owner?: string;
}

export const MESSAGE_CLAIMS_DEFAULTS = {
  ttlMs: 10 * 60_000,
} as const satisfies Partial<MessageClaimsOptions>;

/**
 * Exactly-once handling across processes. Every bot process that reads a channel (two
 * during a rolling deploy, or N for good) receives the same chat line, and every process
 * logged in with the bot token receives the same Discord interaction; each claims the
 * message by its id (the tmi `id` tag, `discord:<interaction id>`) with SET NX before any
 * gate runs, and only the process that won it goes on. The loser does nothing and says
 * nothing: no cooldown answer, no second run of a configuration command.
 *
 * A claim is idempotent for its owner: the process that holds it may claim again (the
 * Discord handler claims before acknowledging, the router once more) and still wins.
 */
export class MessageClaims {
  readonly owner: string;
  private readonly ttlMs: number;

  constructor(private readonly opts: MessageClaimsOptions) {
    this.owner = opts.owner ?? randomUUID();
    this.ttlMs = opts.ttlMs ?? MESSAGE_CLAIMS_DEFAULTS.ttlMs;
  }

  key(requestId: string): string {
    return prefixedKey(this.opts.prefix, 'claim', requestId);
  }

  /**
   * True when this process may handle the message. Throws what the connection throws while
   * Redis is unreachable (the router turns that into the "having trouble" answer).
   */
  async claim(requestId: string): Promise<boolean> {
    const key = this.key(requestId);
    const set = await this.opts.redis.set(key, this.owner, 'PX', this.ttlMs, 'NX');
    if (set === 'OK') return true;
    // Lost, or already ours: only the failure path pays a second round trip.
    return (await this.opts.redis.get(key)) === this.owner;
  }
}
