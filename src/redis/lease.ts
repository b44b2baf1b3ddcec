import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { script } from './scripts.js';

const RENEW = script('lease-renew');
const RELEASE = script('lease-release');

/**
 * A lease in Redis that one process at a time holds: SET NX PX with a token of its own,
 * renewed by its holder only. A holder that dies loses it after `ms`, and another takes it.
 */
export class RedisLease {
  private readonly token = randomUUID();

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly ms: number,
  ) {}

  /** Takes the lease, or renews it when this holder has it. True while it is ours. */
  async hold(): Promise<boolean> {
    const taken = await this.redis.set(this.key, this.token, 'PX', this.ms, 'NX');
    if (taken === 'OK') return true;
    const [renewed] = (await RENEW.run(this.redis, [this.key], [this.token, this.ms])) as number[];
    return renewed === 1;
  }

  /** Gives the lease up (only if still ours), so another process need not wait for expiry. */
  async release(): Promise<void> {
    await RELEASE.run(this.redis, [this.key], [this.token]);
  }
}
