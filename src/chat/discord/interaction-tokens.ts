import type { Redis } from 'ioredis';

/** Discord accepts edits and follow-ups for 15 minutes after the interaction. */
export const INTERACTION_TOKEN_TTL_S = 15 * 60;

/**
 * Interaction tokens by interaction id, in Redis, so whichever process delivers a clip's
 * result can edit the deferred reply. Tokens are credentials: they live only here (never in
 * job data, never in logs) and expire with Discord's own window.
 */
export class InteractionTokenStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlS: number = INTERACTION_TOKEN_TTL_S,
  ) {}

  key(interactionId: string): string {
    return `${this.prefix}:discord:interaction:${interactionId}`;
  }

  async save(interactionId: string, token: string): Promise<void> {
    await this.redis.set(this.key(interactionId), token, 'EX', this.ttlS);
  }

  /** The interaction was never acknowledged: its token opens nothing, answers go to the channel. */
  async forget(interactionId: string): Promise<void> {
    await this.redis.del(this.key(interactionId));
  }

  get(interactionId: string): Promise<string | null> {
    return this.redis.get(this.key(interactionId));
  }
}
