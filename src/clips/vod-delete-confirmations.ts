import type { Redis } from 'ioredis';
import { prefixedKey } from '../redis/connection.js';

/**
 * Deletions waiting for their confirmation (`/vod delete ... confirm:true`). In Redis, so
 * the confirming call may reach any bot process; each lasts a short while and is taken
 * once, so one confirmation deletes once.
 */
export class VodDeleteConfirmations {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(who: string): string {
    return prefixedKey(this.prefix, 'voddelete', who);
  }

  async remember(who: string, videoIds: string[], ttlS: number): Promise<void> {
    await this.redis.set(this.key(who), canonical(videoIds), 'PX', Math.round(ttlS * 1000));
  }

  /**
   * True (and the pending deletion is gone) when `who` asked to delete exactly these
   * videos within the time allowed; false otherwise, leaving any other pending one alone.
   */
  async confirm(who: string, videoIds: string[]): Promise<boolean> {
    const taken = (await this.redis.eval(
      TAKE_IF_EQUAL,
      1,
      this.key(who),
      canonical(videoIds),
    )) as number;
    return taken === 1;
  }
}

const TAKE_IF_EQUAL = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

function canonical(ids: string[]): string {
  return JSON.stringify([...new Set(ids)].sort());
}
