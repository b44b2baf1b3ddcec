import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Metrics } from '../ops/metrics.js';
import type { ClipKeys } from '../clips/keys.js';
import { ReplyLane, type ReplyLaneSettings } from './reply-lane.js';
import type { ReplyStalenessRule } from './reply-staleness.js';
import { errMessage } from '../core/err-message.js';
import type { Platform, ReplySender } from '../core/clip.js';

export interface ReplyDispatcherOptions {
  /** Commands (XACK, XDEL, XAUTOCLAIM...). */
  redis: Redis;
  /**
   * A new dedicated connection for one platform's XREADGROUP BLOCK (each platform reads
   * on its own, so neither waits for the other). The dispatcher disconnects them on close.
   */
  blocking: (platform: Platform) => Redis;
  keys: ClipKeys;
  log: Logger;
  metrics?: Metrics;
  /** One consumer group shared by every bot process. */
  group?: string;
  /** Unique per process; a stable name lets a restarted process retry its own pending first. */
  consumer?: string;
  /** Longest block of one read (also bounds how late close() notices). Default 2000 ms. */
  blockMs?: number;
  /** First wait before retrying a target whose delivery threw; doubles. Default 1000 ms. */
  retryMs?: number;
  /** Longest wait between retries of one target. Default 30 s. */
  maxRetryMs?: number;
  /** How often a sender that is not ready is asked again. Default 250 ms. */
  readyPollMs?: number;
  /**
   * Envelopes left pending this long by another consumer (a dead process, or one whose
   * sender is down) are taken over. Live deliveries are kept from it by a heartbeat.
   * Default 30 s.
   */
  claimIdleMs?: number;
  batch?: number;
  /** Envelopes one platform holds at once (read, not yet acknowledged). Default 1000. */
  maxInFlight?: number;
  /** Answers older than this are dropped (logged, counted) rather than sent. Default 24 h. */
  maxAnswerAgeMs?: number;
  /**
   * Twitch chat answers older than this are dropped (counted as 'expired'): after an outage
   * a threaded reply to a message that scrolled away minutes ago only confuses the chat.
   * Discord keeps maxAnswerAgeMs: its answer edits the asker's own deferred reply (or is
   * posted in the channel), so it still makes sense later. Default 10 minutes.
   */
  twitchMaxAnswerAgeMs?: number;
  /** How long close() waits for deliveries under way. Default 5000 ms. */
  closeWaitMs?: number;
  /** Stale Twitch answers: dropped or said differently (REPLY_STALENESS_DEFAULTS). */
  staleness?: Partial<ReplyStalenessRule>;
}

const PLATFORMS: Platform[] = ['twitch', 'discord'];

/** Envelopes read at once; a large read lets a burst of late requests merge into one answer. */
const DEFAULT_BATCH = 100;

export const REPLY_DISPATCHER_DEFAULTS = {
  blockMs: 2_000,
  retryMs: 1_000,
  maxRetryMs: 30_000,
  readyPollMs: 250,
  claimIdleMs: 30_000,
  maxInFlight: 1_000,
  maxAnswerAgeMs: 24 * 3_600_000,
  twitchMaxAnswerAgeMs: 10 * 60_000,
  closeWaitMs: 5_000,
} as const satisfies Partial<ReplyDispatcherOptions>;

/**
 * Reads the reply streams with a consumer group and hands each envelope to the sender of
 * its platform, one ReplyLane per platform. An envelope is acknowledged (and deleted) only
 * after it was delivered or the sender refused it for good (UndeliverableError); while the
 * sender is not ready or throws, it stays in the stream and is retried, by this process
 * or, once it has been idle for claimIdleMs, by another one.
 */
export class ReplyDispatcher {
  private readonly lanes = new Map<Platform, ReplyLane>();
  private readonly settings: ReplyLaneSettings;
  private started = false;
  private closed = false;
  private readonly waiting = new Map<Platform, ReplySender>();

  constructor(private readonly opts: ReplyDispatcherOptions) {
    this.settings = {
      group: opts.group ?? 'reply-senders',
      consumer: opts.consumer ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`,
      blockMs: opts.blockMs ?? REPLY_DISPATCHER_DEFAULTS.blockMs,
      retryMs: opts.retryMs ?? REPLY_DISPATCHER_DEFAULTS.retryMs,
      maxRetryMs: opts.maxRetryMs ?? REPLY_DISPATCHER_DEFAULTS.maxRetryMs,
      readyPollMs: opts.readyPollMs ?? REPLY_DISPATCHER_DEFAULTS.readyPollMs,
      claimIdleMs: opts.claimIdleMs ?? REPLY_DISPATCHER_DEFAULTS.claimIdleMs,
      batch: opts.batch ?? DEFAULT_BATCH,
      maxInFlight: opts.maxInFlight ?? REPLY_DISPATCHER_DEFAULTS.maxInFlight,
      maxAnswerAgeMs: opts.maxAnswerAgeMs ?? REPLY_DISPATCHER_DEFAULTS.maxAnswerAgeMs,
      ...(opts.staleness ? { staleness: opts.staleness } : {}),
    };
  }

  /** This process's consumer name: answers handed to this process are claimed to it. */
  get consumer(): string {
    return this.settings.consumer;
  }

  /** The lane settings of one platform: only the age limit differs. */
  private settingsFor(platform: Platform): ReplyLaneSettings {
    if (platform !== 'twitch') return this.settings;
    const twitchMax =
      this.opts.twitchMaxAnswerAgeMs ?? REPLY_DISPATCHER_DEFAULTS.twitchMaxAnswerAgeMs;
    return { ...this.settings, maxAnswerAgeMs: Math.min(this.settings.maxAnswerAgeMs, twitchMax) };
  }

  /** The chat adapter's sender for its platform (one per platform; a later one replaces it). */
  register(sender: ReplySender): void {
    if (this.closed) return;
    if (!this.started) {
      this.waiting.set(sender.platform, sender);
      return;
    }
    this.lane(sender.platform).setSender(sender);
  }

  async start(): Promise<void> {
    if (this.started || this.closed) return;
    await this.ensureGroups();
    this.started = true;
    for (const [platform, sender] of this.waiting) this.lane(platform).setSender(sender);
    this.waiting.clear();
  }

  /**
   * Resolves once every answer waiting in the streams has been delivered to the senders
   * that are ready (true), or at the deadline (false). Delivery goes on meanwhile as usual:
   * at shutdown, this gives answers of jobs that just finished their moment to leave.
   */
  async drain(timeoutMs: number, pollMs = 20): Promise<boolean> {
    if (!this.started || this.closed) return true;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const idle = await Promise.all([...this.lanes.values()].map((lane) => lane.idle()));
        if (idle.every(Boolean)) return true;
      } catch (err) {
        this.opts.log.warn({ err: errMessage(err) }, 'could not read the reply streams');
      }
      if (Date.now() + pollMs > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /** Stops reading; deliveries under way are finished (and acknowledged) first, within closeWaitMs. */
  async close(): Promise<void> {
    this.closed = true;
    const waitMs = this.opts.closeWaitMs ?? REPLY_DISPATCHER_DEFAULTS.closeWaitMs;
    await Promise.all([...this.lanes.values()].map((lane) => lane.close(waitMs)));
  }

  private lane(platform: Platform): ReplyLane {
    let lane = this.lanes.get(platform);
    if (!lane) {
      lane = new ReplyLane({
        platform,
        redis: this.opts.redis,
        blocking: this.opts.blocking(platform),
        stream: this.opts.keys.replies(platform),
        log: this.opts.log,
        metrics: this.opts.metrics,
        settings: this.settingsFor(platform),
      });
      this.lanes.set(platform, lane);
    }
    return lane;
  }

  private async ensureGroups(): Promise<void> {
    for (const platform of PLATFORMS) {
      try {
        // From id 0: answers queued before any bot process ever started are delivered too.
        await this.opts.redis.xgroup(
          'CREATE',
          this.opts.keys.replies(platform),
          this.settings.group,
          '0',
          'MKSTREAM',
        );
      } catch (err) {
        if (!errMessage(err).includes('BUSYGROUP')) throw err;
      }
    }
  }
}
