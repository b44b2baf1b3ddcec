import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { errMessage } from '../core/err-message.js';
import { RedisLease } from '../redis/lease.js';
import type { HelixApi } from '../twitch/helix-api.js';
import type { HelixClip } from '../twitch/types.js';
import type { ClipKeys } from './keys.js';

/** What one Get Clips answered, published to every worker process. */
export interface ClipLook {
  /** The process that looked (a process skips its own, already applied). */
  by: string;
  askedAt: number;
  /** Every clip id asked about. */
  ids: string[];
  /** The clips Twitch returned (the visible ones). */
  found: HelixClip[];
  /** False when the call failed: the missing ones were not seen missing. */
  answered: boolean;
}

export interface SharedClipLooksOptions {
  redis: Redis;
  keys: ClipKeys;
  helix: HelixApi;
  log: Logger;
  /** How long one look may hold the lease (renewed never: a look is one call). */
  leaseMs?: number;
  /** Most Get Clips calls one turn makes (100 ids each). */
  maxCallsPerTurn?: number;
}

export const SHARED_LOOKS_DEFAULTS = {
  leaseMs: 3_000,
  maxCallsPerTurn: 5,
} as const satisfies Partial<SharedClipLooksOptions>;

const MAX_IDS = 100;

/**
 * Get Clips shared by every worker process. Each process registers the clips it waits for
 * in one sorted set (score: when the next look is due). When a process's look comes due it
 * takes a short lease and asks about the soonest clips of ALL processes, up to 100 in one
 * call, removes them from the set and publishes the answer; each process applies what
 * concerns its own clips and registers the ones still missing again with their next look.
 * Two workers with clips pending thus make one call per tick, not two.
 */
export class SharedClipLooks {
  readonly id = randomUUID();
  private readonly lease: RedisLease;
  private subscriber?: Redis;
  private readonly listeners = new Set<(look: ClipLook) => void>();

  constructor(private readonly opts: SharedClipLooksOptions) {
    this.lease = new RedisLease(
      opts.redis,
      opts.keys.visibilityLease(),
      opts.leaseMs ?? SHARED_LOOKS_DEFAULTS.leaseMs,
    );
  }

  /** Hears the looks other processes make. Subscribes on first call. */
  async listen(listener: (look: ClipLook) => void): Promise<void> {
    this.listeners.add(listener);
    if (this.subscriber) return;
    const sub = this.opts.redis.duplicate();
    this.subscriber = sub;
    sub.on('error', () => undefined);
    sub.on('message', (_channel: string, message: string) => {
      let look: ClipLook;
      try {
        look = JSON.parse(message) as ClipLook;
      } catch {
        return;
      }
      if (look.by === this.id || !Array.isArray(look.ids)) return;
      for (const l of this.listeners) l(look);
    });
    await sub.subscribe(this.opts.keys.visibilityLooked());
  }

  /** Registers (or moves) clips' next looks. */
  async register(next: { clipId: string; at: number }[]): Promise<void> {
    if (next.length === 0) return;
    const args = next.flatMap((n) => [n.at, n.clipId]);
    await this.opts.redis.zadd(this.opts.keys.visibilityWatch(), ...args);
  }

  async unregister(clipIds: string[]): Promise<void> {
    if (clipIds.length > 0)
      await this.opts.redis.zrem(this.opts.keys.visibilityWatch(), ...clipIds);
  }

  /**
   * Looks at every clip due by `dueBy` (and the soonest others that fit in the same call),
   * if no other process is looking. Returns the looks made (already published), or
   * undefined when another process holds the lease (its answer arrives through listen).
   */
  async lookDue(dueBy: number): Promise<ClipLook[] | undefined> {
    if (!(await this.lease.hold())) return undefined;
    const looks: ClipLook[] = [];
    try {
      const max = this.opts.maxCallsPerTurn ?? SHARED_LOOKS_DEFAULTS.maxCallsPerTurn;
      for (let i = 0; i < max; i++) {
        const key = this.opts.keys.visibilityWatch();
        const head = await this.opts.redis.zrange(key, '0', String(MAX_IDS - 1), 'WITHSCORES');
        const ids: string[] = [];
        let firstDue = Infinity;
        for (let j = 0; j + 1 < head.length; j += 2) {
          ids.push(head[j]!);
          firstDue = Math.min(firstDue, Number(head[j + 1]));
        }
        if (ids.length === 0 || firstDue > dueBy) break;
        // Out of the set before the call: nobody asks about them twice; owners put the
        // ones still missing back with their next look.
        await this.opts.redis.zrem(key, ...ids);
        looks.push(await this.look(ids));
        if (ids.length < MAX_IDS) break;
      }
    } finally {
      await this.lease.release().catch(() => undefined);
    }
    return looks;
  }

  private async look(ids: string[]): Promise<ClipLook> {
    const askedAt = Date.now();
    let found: HelixClip[] = [];
    let answered = false;
    try {
      found = await this.opts.helix.getClipsByIds(ids);
      answered = true;
    } catch (err) {
      // The clips exist at Twitch either way; a failed look only delays the answer.
      this.opts.log.warn(
        { err: errMessage(err), clips: ids.length },
        'Get Clips failed while waiting for clips to appear',
      );
    }
    const look: ClipLook = { by: this.id, askedAt, ids, found, answered };
    await this.opts.redis
      .publish(this.opts.keys.visibilityLooked(), JSON.stringify(look))
      .catch((err: unknown) =>
        this.opts.log.warn({ err: errMessage(err) }, 'could not publish a clip look'),
      );
    return look;
  }

  async close(): Promise<void> {
    this.listeners.clear();
    const sub = this.subscriber;
    this.subscriber = undefined;
    if (sub) await sub.quit().catch(() => sub.disconnect());
  }
}
