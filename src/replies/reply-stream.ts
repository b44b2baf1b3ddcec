import type { Redis } from 'ioredis';
import { script } from '../redis/scripts.js';
import { errMessage } from '../core/err-message.js';

export type StreamEntry = [id: string, fields: string[] | null];

const TOUCH = script('reply-touch');

const TOUCH_CHUNK = 500;

/** One consumer's Redis commands on one reply stream and its consumer group. */
export class ReplyStream {
  constructor(
    /** Commands (XACK, XDEL, XAUTOCLAIM, the touch script). */
    private readonly redis: Redis,
    /** The consumer's own connection for XREADGROUP BLOCK. */
    private readonly blocking: Redis,
    readonly stream: string,
    readonly group: string,
    readonly consumer: string,
  ) {}

  async ensureGroup(): Promise<void> {
    try {
      await this.redis.xgroup('CREATE', this.stream, this.group, '0', 'MKSTREAM');
    } catch (err) {
      if (!errMessage(err).includes('BUSYGROUP')) throw err;
    }
  }

  /** Entries never delivered to any consumer; waits up to blockMs for some. */
  async readNew(count: number, blockMs: number): Promise<StreamEntry[]> {
    const reply = (await this.blocking.xreadgroup(
      'GROUP',
      this.group,
      this.consumer,
      'COUNT',
      count,
      'BLOCK',
      blockMs,
      'STREAMS',
      this.stream,
      '>',
    )) as [string, StreamEntry[]][] | null;
    return reply?.[0]?.[1] ?? [];
  }

  /** Entries this consumer read before and has not acknowledged, after the id `after`. */
  async readOwn(after: string, count: number): Promise<StreamEntry[]> {
    const reply = (await this.redis.xreadgroup(
      'GROUP',
      this.group,
      this.consumer,
      'COUNT',
      count,
      'STREAMS',
      this.stream,
      after,
    )) as [string, StreamEntry[]][] | null;
    return reply?.[0]?.[1] ?? [];
  }

  /** XAUTOCLAIM: entries idle for idleMs under any consumer become ours. */
  async claim(
    cursor: string,
    idleMs: number,
    count: number,
  ): Promise<{ next: string; entries: StreamEntry[] }> {
    const reply = (await this.redis.xautoclaim(
      this.stream,
      this.group,
      this.consumer,
      idleMs,
      cursor,
      'COUNT',
      count,
    )) as [string, StreamEntry[], string[]?];
    return { next: reply[0], entries: reply[1] ?? [] };
  }

  /** Acknowledges and deletes the entries. */
  async ack(ids: string[]): Promise<void> {
    await this.redis
      .multi()
      .xack(this.stream, this.group, ...ids)
      .xdel(this.stream, ...ids)
      .exec();
  }

  /** Resets the entries' idle time; returns the ids that another consumer owns now. */
  async touch(ids: string[]): Promise<string[]> {
    const lost: string[] = [];
    for (let i = 0; i < ids.length; i += TOUCH_CHUNK) {
      const chunk = ids.slice(i, i + TOUCH_CHUNK);
      const res = (await TOUCH.run(
        this.redis,
        [this.stream],
        [this.group, this.consumer, ...chunk],
      )) as string[];
      lost.push(...res);
    }
    return lost;
  }

  /** Entries in the stream not held by another consumer (0 when none are left for us). */
  async unclaimedByOthers(): Promise<number> {
    const [length, pending] = await Promise.all([
      this.redis.xlen(this.stream),
      this.redis
        .xpending(this.stream, this.group)
        .catch(() => [0, null, null, null] as unknown[]) as Promise<unknown[]>,
    ]);
    const byConsumer = (pending[3] ?? []) as [string, string][];
    const others = byConsumer
      .filter(([consumer]) => consumer !== this.consumer)
      .reduce((sum, [, count]) => sum + Number(count), 0);
    return length - others;
  }

  /** Makes the entries another consumer's (pending, idle 0): that process delivers them. */
  async handOff(ids: string[], consumer: string): Promise<void> {
    await this.redis.xclaim(this.stream, this.group, consumer, 0, ...ids, 'JUSTID');
  }

  /** How many entries are pending for this consumer (read by it or handed to it). */
  async ownPending(): Promise<number> {
    const pending = (await this.redis.xpending(this.stream, this.group)) as unknown[];
    const byConsumer = (pending[3] ?? []) as [string, string][];
    return Number(byConsumer.find(([c]) => c === this.consumer)?.[1] ?? 0);
  }
}
