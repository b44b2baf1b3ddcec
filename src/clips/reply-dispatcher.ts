import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Metrics } from '../ops/metrics.js';
import type { ClipKeys } from './keys.js';
import { errMessage } from './result-publisher.js';
import type { Platform, ReplyEnvelope, ReplySender } from './types.js';

export interface ReplyDispatcherOptions {
  /** Commands (XACK, XDEL, XAUTOCLAIM...). */
  redis: Redis;
  /** A dedicated connection for XREADGROUP BLOCK; the dispatcher disconnects it on close. */
  blocking: Redis;
  keys: ClipKeys;
  log: Logger;
  metrics?: Metrics;
  /** One consumer group shared by every bot process. */
  group?: string;
  /** Unique per process; a stable name lets a restarted process retry its own pending first. */
  consumer?: string;
  /** Longest block of one read (also bounds how late close() notices). Default 2000 ms. */
  blockMs?: number;
  /** Wait before retrying an envelope whose delivery threw. Default 1000 ms. */
  retryMs?: number;
  /** How often a sender that is not ready is asked again. Default 250 ms. */
  readyPollMs?: number;
  /** Envelopes left pending this long by another consumer (a dead process) are taken over. */
  claimIdleMs?: number;
  batch?: number;
}

interface PlatformState {
  sender: ReplySender;
  /** Our own read-but-undelivered entries exist: retry them before reading new ones. */
  hasPending: boolean;
  retryAt: number;
}

type StreamEntry = [id: string, fields: string[] | null];

const PLATFORMS: Platform[] = ['twitch', 'discord'];

/** Envelopes read at once; a large read lets a burst of late requests merge into one answer. */
const DEFAULT_BATCH = 100;

/**
 * Reads the reply streams with a consumer group and hands each envelope to the sender of
 * its platform. An envelope is acknowledged (and deleted) only after deliver() succeeded;
 * while the sender is not ready or throws, it stays in the stream and is retried, by this
 * process or, after claimIdleMs, by another one.
 */
export class ReplyDispatcher {
  private readonly states = new Map<Platform, PlatformState>();
  private readonly group: string;
  private readonly consumer: string;
  private loop?: Promise<void>;
  private closed = false;
  private lastClaim = 0;
  private wake?: () => void;

  constructor(private readonly opts: ReplyDispatcherOptions) {
    this.group = opts.group ?? 'reply-senders';
    this.consumer = opts.consumer ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  }

  /** The chat adapter's sender for its platform (one per platform; a later one replaces it). */
  register(sender: ReplySender): void {
    this.states.set(sender.platform, { sender, hasPending: true, retryAt: 0 });
    this.wake?.();
  }

  async start(): Promise<void> {
    if (this.loop) return;
    await this.ensureGroups();
    this.loop = this.run();
  }

  /** Stops reading; an envelope being delivered is finished (and acknowledged) first. */
  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    this.opts.blocking.disconnect();
    await this.loop;
  }

  private async ensureGroups(): Promise<void> {
    for (const platform of PLATFORMS) {
      try {
        // From id 0: answers queued before any bot process ever started are delivered too.
        await this.opts.redis.xgroup(
          'CREATE',
          this.opts.keys.replies(platform),
          this.group,
          '0',
          'MKSTREAM',
        );
      } catch (err) {
        if (!errMessage(err).includes('BUSYGROUP')) throw err;
      }
    }
  }

  private async run(): Promise<void> {
    const log = this.opts.log;
    while (!this.closed) {
      try {
        await this.round();
      } catch (err) {
        if (this.closed) break;
        const msg = errMessage(err);
        log.warn({ err: msg }, 'reply stream read failed; retrying');
        if (msg.includes('NOGROUP')) await this.ensureGroups().catch(() => undefined);
        await this.sleep(this.opts.retryMs ?? 1000);
      }
    }
  }

  private async round(): Promise<void> {
    const now = Date.now();
    const ready = [...this.states.entries()].filter(
      ([, s]) => s.sender.ready() && s.retryAt <= now,
    );
    for (const [platform, state] of ready) {
      if (state.hasPending) await this.retryOwnPending(platform, state);
    }
    if (now - this.lastClaim >= this.claimIdleMs / 2) {
      this.lastClaim = now;
      for (const [platform, state] of ready) {
        if (!state.hasPending && state.retryAt <= Date.now())
          await this.claimAbandoned(platform, state);
      }
    }
    const readable = ready.filter(([, s]) => !s.hasPending && s.retryAt <= Date.now());
    if (readable.length === 0) {
      await this.sleep(this.idleWaitMs());
      return;
    }
    const keys = readable.map(([p]) => this.opts.keys.replies(p));
    // Wake in time for a platform that is waiting to retry or to become ready.
    const blockMs =
      readable.length < this.states.size
        ? Math.min(this.opts.blockMs ?? 2000, this.idleWaitMs())
        : (this.opts.blockMs ?? 2000);
    const reply = (await this.opts.blocking.xreadgroup(
      'GROUP',
      this.group,
      this.consumer,
      'COUNT',
      this.opts.batch ?? DEFAULT_BATCH,
      'BLOCK',
      blockMs,
      'STREAMS',
      ...keys,
      ...keys.map(() => '>'),
    )) as [string, StreamEntry[]][] | null;
    for (const [key, entries] of reply ?? []) {
      const platform = readable.find(([p]) => this.opts.keys.replies(p) === key);
      if (platform) await this.deliverAll(platform[0], platform[1], entries);
    }
  }

  private get claimIdleMs(): number {
    return this.opts.claimIdleMs ?? 30_000;
  }

  /** Entries this consumer read before and could not deliver. */
  private async retryOwnPending(platform: Platform, state: PlatformState): Promise<void> {
    const reply = (await this.opts.redis.xreadgroup(
      'GROUP',
      this.group,
      this.consumer,
      'COUNT',
      this.opts.batch ?? DEFAULT_BATCH,
      'STREAMS',
      this.opts.keys.replies(platform),
      '0',
    )) as [string, StreamEntry[]][] | null;
    const entries = reply?.[0]?.[1] ?? [];
    if (entries.length === 0) {
      state.hasPending = false;
      return;
    }
    await this.deliverAll(platform, state, entries);
  }

  /** Entries another consumer read and left (its process died or its sender was down). */
  private async claimAbandoned(platform: Platform, state: PlatformState): Promise<void> {
    const key = this.opts.keys.replies(platform);
    const reply = (await this.opts.redis.xautoclaim(
      key,
      this.group,
      this.consumer,
      this.claimIdleMs,
      '0-0',
      'COUNT',
      this.opts.batch ?? DEFAULT_BATCH,
    )) as [string, StreamEntry[], string[]?];
    const entries = reply[1] ?? [];
    if (entries.length > 0) {
      this.opts.log.info({ platform, count: entries.length }, 'took over undelivered replies');
      await this.deliverAll(platform, state, entries);
    }
  }

  private async deliverAll(
    platform: Platform,
    state: PlatformState,
    entries: StreamEntry[],
  ): Promise<void> {
    const key = this.opts.keys.replies(platform);
    const { batches, unreadable, gone } = groupEntries(platform, entries);
    // Deleted meanwhile, or not ours to understand: retrying cannot help.
    if (unreadable.length > 0)
      this.opts.log.error({ platform, ids: unreadable }, 'dropping unreadable reply envelope');
    if (unreadable.length + gone.length > 0) await this.ack(key, [...unreadable, ...gone]);
    for (const { ids, envelope } of batches) {
      try {
        if (!state.sender.ready()) throw new Error(`${platform} sender is not ready`);
        await state.sender.deliver(envelope);
      } catch (err) {
        // Keep order: nothing newer for this platform goes out before this one.
        state.hasPending = true;
        state.retryAt = Date.now() + (this.opts.retryMs ?? 1000);
        this.opts.log.warn(
          { platform, ids, jobId: envelope.result.jobId, err: errMessage(err) },
          'reply not delivered; will retry',
        );
        return;
      }
      await this.ack(key, ids);
      this.record(envelope);
    }
  }

  private async ack(key: string, ids: string[]): Promise<void> {
    await this.opts.redis
      .multi()
      .xack(key, this.group, ...ids)
      .xdel(key, ...ids)
      .exec();
  }

  private record(envelope: ReplyEnvelope): void {
    const m = this.opts.metrics;
    if (!m || envelope.post) return;
    const now = Date.now();
    for (const req of envelope.requests) {
      m.requestToAnswer.observe(
        { platform: envelope.platform },
        Math.max(0, (now - req.requestedAt) / 1000),
      );
    }
  }

  private idleWaitMs(): number {
    const now = Date.now();
    let wait = this.opts.readyPollMs ?? 250;
    for (const s of this.states.values()) {
      if (s.retryAt > now) wait = Math.min(wait, s.retryAt - now);
    }
    return Math.max(10, wait);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

interface Batch {
  /** Stream entries this delivery answers (acknowledged together). */
  ids: string[];
  envelope: ReplyEnvelope;
}

/**
 * Envelopes in stream order, except that Twitch answers of one clip are merged: requests
 * that joined a finished clip each get their own envelope, and a chat burst would otherwise
 * become one message per viewer (a reply storm held back by Twitch's send limits). Twitch
 * sends one message per envelope naming every requester; Discord answers per interaction,
 * so its envelopes stay as they are.
 */
function groupEntries(
  platform: Platform,
  entries: StreamEntry[],
): { batches: Batch[]; unreadable: string[]; gone: string[] } {
  const batches: Batch[] = [];
  const unreadable: string[] = [];
  const gone: string[] = [];
  const byJob = new Map<string, Batch>();
  for (const [id, fields] of entries) {
    const envelope = parseEnvelope(fields);
    if (!envelope) {
      (fields ? unreadable : gone).push(id);
      continue;
    }
    const mergeable = platform === 'twitch' && !envelope.post;
    const open = mergeable ? byJob.get(envelope.result.jobId) : undefined;
    if (open) {
      const seen = new Set(open.envelope.requests.map((r) => r.requestId));
      open.ids.push(id);
      open.envelope.requests.push(...envelope.requests.filter((r) => !seen.has(r.requestId)));
      continue;
    }
    const batch: Batch = { ids: [id], envelope };
    batches.push(batch);
    if (mergeable) byJob.set(envelope.result.jobId, batch);
  }
  return { batches, unreadable, gone };
}

function parseEnvelope(fields: string[] | null): ReplyEnvelope | undefined {
  if (!fields) return undefined;
  const i = fields.indexOf('e');
  const raw = i >= 0 ? fields[i + 1] : undefined;
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as ReplyEnvelope;
  } catch {
    return undefined;
  }
}
