import { randomInt } from 'node:crypto';
import type { Redis } from 'ioredis';
import { script } from '../redis/scripts.js';
import type { PendingVodDeletion, PendingVodDeletions } from '../core/stores.js';

/** Letters and digits that cannot be mistaken for one another when typed from a screen. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const CODE_LENGTH = 6;

const TAKE = script('pending-vod-take');

/** A code as people type it back: any case, spaces and dashes ignored. */
export function normalizeCode(text: string): string {
  return text.toUpperCase().replace(/[\s-]+/g, '');
}

/**
 * Pending deletions in Redis, one key per channel and code with an expiry:
 *   <prefix>:voddelete:pending:<broadcasterId>:<CODE>  JSON PendingVodDeletion
 * A code is only good in its own channel, and GET+DEL in one step means one confirmation
 * deletes once, whichever bot process hears it.
 */
export class RedisPendingVodDeletions implements PendingVodDeletions {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(opts: { redis: Redis; prefix: string }) {
    this.redis = opts.redis;
    this.prefix = opts.prefix;
  }

  private key(broadcasterId: string, code: string): string {
    return `${this.prefix}:voddelete:pending:${broadcasterId}:${code}`;
  }

  async create(deletion: PendingVodDeletion, ttlS: number): Promise<string> {
    const ms = Math.max(1, Math.round(ttlS * 1000));
    const json = JSON.stringify(deletion);
    // 31^6 codes: a clash within one channel's few pending deletions is all but impossible,
    // and NX makes it harmless anyway.
    for (let attempt = 0; attempt < 5; attempt++) {
      const code = newCode();
      const set = await this.redis.set(
        this.key(deletion.broadcasterId, code),
        json,
        'PX',
        ms,
        'NX',
      );
      if (set === 'OK') return code;
    }
    throw new Error('could not find a free confirmation code');
  }

  async take(broadcasterId: string, code: string): Promise<PendingVodDeletion | undefined> {
    const normal = normalizeCode(code);
    if (!new RegExp(`^[${ALPHABET}]{${CODE_LENGTH}}$`).test(normal)) return undefined;
    const raw = (await TAKE.run(this.redis, [this.key(broadcasterId, normal)])) as string | null;
    if (!raw) return undefined;
    try {
      return JSON.parse(raw) as PendingVodDeletion;
    } catch {
      return undefined;
    }
  }
}

function newCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}
