import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Metrics } from '../ops/metrics.js';
import { ReplyStream, type StreamEntry } from './reply-stream.js';
import { isHandOff, isUndeliverable, type HandOffError } from './delivery-errors.js';
import { mergeRequests, splitByTarget } from './reply-targets.js';
import { ReplyTargetWorkers, type Part, type Target } from './reply-target-workers.js';
import { errMessage } from '../core/err-message.js';
import type { Platform, ReplyEnvelope, ReplySender } from '../core/clip.js';
import { decodeReplyEntry } from '../core/reply-envelope.js';
import { judgeFreshness, type ReplyStalenessRule } from './reply-staleness.js';
import { observeAnswer } from './reply-timing.js';

/** Timings and limits of one lane (ReplyDispatcherOptions fills them in). */
export interface ReplyLaneSettings {
  group: string;
  consumer: string;
  blockMs: number;
  /** First wait after a transient failure of a target; doubles up to maxRetryMs. */
  retryMs: number;
  maxRetryMs: number;
  readyPollMs: number;
  claimIdleMs: number;
  batch: number;
  /** Stream entries held (read, not yet acknowledged) at most; reading pauses above it. */
  maxInFlight: number;
  /** Answers older than this (from the job's end) are dropped, logged and counted. */
  maxAnswerAgeMs: number;
  /** Stale Twitch answers: dropped or said differently (reply-staleness.ts). */
  staleness?: Partial<ReplyStalenessRule>;
}

export interface ReplyLaneDeps {
  platform: Platform;
  /** Commands (XACK, XDEL, XAUTOCLAIM, the touch script). */
  redis: Redis;
  /** This lane's own connection for XREADGROUP BLOCK; disconnected on close. */
  blocking: Redis;
  stream: string;
  log: Logger;
  metrics?: Metrics;
  settings: ReplyLaneSettings;
}

/**
 * Delivers one platform's reply stream. Its own read loop and blocking connection make it
 * independent of the other platform. Entries are split per reply target; each target is
 * delivered in order by its own small worker, so a slow or failing target (a Twitch
 * channel under send limits, a Discord interaction that errors) holds up only itself.
 * An entry is acknowledged (and deleted) once every target it names is settled:
 * delivered, or refused for good by the sender (UndeliverableError).
 */
export class ReplyLane {
  private sender?: ReplySender;
  /** Entries read and not yet acknowledged: id -> parts still to settle. */
  private readonly held = new Map<string, number>();
  /** Settled entries whose acknowledgement failed (Redis away): acknowledged later. */
  private readonly unacked = new Set<string>();
  private readonly targetWorkers: ReplyTargetWorkers;
  private readonly stream: ReplyStream;
  private loop?: Promise<void>;
  private heartbeat?: NodeJS.Timeout;
  private closed = false;
  private signalClosed!: () => void;
  private readonly closedSignal = new Promise<void>((r) => (this.signalClosed = r));
  private wakeLoop?: () => void;
  private lastClaim = 0;
  private recovered = false;

  constructor(private readonly deps: ReplyLaneDeps) {
    const { settings } = deps;
    this.stream = new ReplyStream(
      deps.redis,
      deps.blocking,
      deps.stream,
      settings.group,
      settings.consumer,
    );
    this.targetWorkers = new ReplyTargetWorkers({
      log: deps.log,
      retryMs: deps.settings.retryMs,
      maxRetryMs: deps.settings.maxRetryMs,
      readyPollMs: deps.settings.readyPollMs,
      sender: () => this.sender,
      closed: () => this.closed,
      pause: (ms) => this.pause(ms),
      deliver: (target, part, sender) => this.deliverPart(target, part, sender),
    });
  }

  get platform(): Platform {
    return this.deps.platform;
  }

  /** Entries read and not yet acknowledged (for tests and metrics). */
  get inFlight(): number {
    return this.held.size;
  }

  /** The platform's sender; the lane starts reading once it has one. */
  setSender(sender: ReplySender): void {
    this.sender = sender;
    if (!this.loop && !this.closed) {
      this.loop = this.run();
      const every = Math.max(50, Math.floor(this.deps.settings.claimIdleMs / 3));
      this.heartbeat = setInterval(() => void this.touchAll(), every);
      this.heartbeat.unref();
    }
    this.wakeLoop?.();
  }

  /**
   * Whether nothing is left that this lane could deliver now: every entry it holds is settled
   * and acknowledged, the stream holds none but those other consumers are delivering.
   */
  async idle(): Promise<boolean> {
    if (this.closed || !this.sender?.ready()) return true;
    if (this.held.size > 0 || this.unacked.size > 0) return false;
    return (await this.stream.unclaimedByOthers()) <= 0;
  }

  /**
   * Stops reading, lets deliveries under way finish (up to waitMs) and acknowledges them.
   * Entries not delivered stay pending in the stream for the next process (or another one).
   */
  async close(waitMs: number): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    this.signalClosed();
    this.wakeLoop?.();
    this.deps.blocking.disconnect();
    await this.loop;
    await this.targetWorkers.drain(waitMs);
    await this.retryAcks().catch(() => undefined);
  }

  private get s(): ReplyLaneSettings {
    return this.deps.settings;
  }

  private async run(): Promise<void> {
    const { log, platform } = this.deps;
    while (!this.closed) {
      try {
        if (!this.sender?.ready()) {
          await this.sleep(this.s.readyPollMs);
          continue;
        }
        await this.retryAcks();
        if (!this.recovered || (await this.handedIn())) await this.readOwnPending();
        if (Date.now() - this.lastClaim >= this.s.claimIdleMs / 2) {
          this.lastClaim = Date.now();
          await this.claimAbandoned();
        }
        const room = this.s.maxInFlight - this.held.size;
        if (room <= 0) {
          // Woken as soon as a delivery settles.
          await this.sleep(this.s.readyPollMs);
          continue;
        }
        await this.accept(await this.stream.readNew(Math.min(this.s.batch, room), this.s.blockMs));
      } catch (err) {
        if (this.closed) break;
        const msg = errMessage(err);
        log.warn({ platform, err: msg }, 'reply stream read failed; retrying');
        if (msg.includes('NOGROUP')) await this.stream.ensureGroup().catch(() => undefined);
        await this.sleep(this.s.retryMs);
      }
    }
  }

  /** Entries this consumer read in an earlier life (a restart under the same name). */
  private async readOwnPending(): Promise<void> {
    let after = '0';
    for (;;) {
      const room = this.s.maxInFlight - this.held.size;
      if (room <= 0) return;
      const entries = await this.stream.readOwn(after, Math.min(this.s.batch, room));
      if (entries.length === 0) {
        this.recovered = true;
        return;
      }
      after = entries[entries.length - 1]![0];
      await this.accept(entries);
    }
  }

  /** Entries another consumer read and left (its process died, or its sender was down). */
  private async claimAbandoned(): Promise<void> {
    let cursor = '0-0';
    for (let round = 0; round < 100; round++) {
      const room = this.s.maxInFlight - this.held.size;
      if (room <= 0) return;
      const reply = await this.stream.claim(
        cursor,
        this.s.claimIdleMs,
        Math.min(this.s.batch, room),
      );
      const fresh = reply.entries.filter(([id]) => !this.held.has(id));
      if (fresh.length > 0) {
        this.deps.log.info(
          { platform: this.platform, count: fresh.length },
          'took over undelivered replies',
        );
        await this.accept(fresh);
      }
      cursor = reply.next;
      if (cursor === '0-0') return;
    }
  }

  /** Takes read entries into the per-target queues; acknowledges what cannot be delivered. */
  private async accept(entries: StreamEntry[]): Promise<void> {
    const drop: string[] = [];
    for (const [id, fields] of entries) {
      if (this.held.has(id)) continue;
      const envelope = decodeReplyEntry(fields);
      if (!envelope) {
        // Deleted meanwhile (null fields), or not ours to understand: retrying cannot help.
        if (fields) {
          this.deps.log.error(
            { platform: this.platform, id },
            'dropping unreadable reply envelope',
          );
          this.count('unreadable');
        }
        drop.push(id);
        continue;
      }
      if (this.expired(envelope, id)) {
        drop.push(id);
        continue;
      }
      const parts = splitByTarget(envelope);
      this.held.set(id, parts.length);
      for (const { key, envelope: env } of parts) this.targetWorkers.enqueue(key, id, env);
    }
    if (drop.length > 0) await this.ack(drop);
  }

  private expired(envelope: ReplyEnvelope, id: string): boolean {
    const age = Date.now() - (envelope.result.finishedAt ?? Date.now());
    if (age <= this.s.maxAnswerAgeMs) return false;
    this.deps.log.warn(
      { platform: this.platform, id, jobId: envelope.result.jobId, ageS: Math.round(age / 1000) },
      'reply too old to send; dropped',
    );
    this.count('expired');
    return true;
  }

  /** True when the part is settled (delivered, undeliverable, expired, or no longer ours). */
  private async deliverPart(target: Target, part: Part, sender: ReplySender): Promise<boolean> {
    const { log, platform } = this.deps;
    // Still ours? Another process may have taken entries over while our sender was down.
    try {
      const lost = await this.stream.touch(part.sources.map((s) => s.entryId));
      for (const id of lost) this.forget(id);
    } catch (err) {
      log.warn({ platform, target: target.key, err: errMessage(err) }, 'reply stream unreachable');
      return false;
    }
    part.sources = part.sources.filter((s) => this.held.has(s.entryId));
    if (part.sources.length === 0) return true;
    const envelope: ReplyEnvelope = {
      ...part.base,
      requests: mergeRequests(part.sources.map((s) => s.requests)),
    };
    const ids = part.sources.map((s) => s.entryId);
    const context = { platform, target: target.key, ids, jobId: envelope.result.jobId };
    if (this.expired(envelope, ids.join(','))) {
      this.settle(part);
      return true;
    }
    const fresh = judgeFreshness(envelope, Date.now(), this.s.staleness);
    if (fresh.action === 'drop') {
      log.info({ ...context, ageS: Math.round(fresh.ageMs / 1000) }, 'stale answer dropped');
      this.count('expired');
      this.settle(part);
      return true;
    }
    try {
      await sender.deliver(fresh.envelope);
    } catch (err) {
      if (isHandOff(err)) return this.handOff(part, err, context);
      if (isUndeliverable(err)) {
        const reason = (err as { reason?: unknown }).reason;
        log.warn({ ...context, reason, err: errMessage(err) }, 'reply undeliverable; dropped');
        this.count('undeliverable');
        this.settle(part);
        return true;
      }
      log.warn(
        { ...context, attempt: target.failures + 1, err: errMessage(err) },
        'reply not delivered; will retry',
      );
      this.count('retried');
      return false;
    }
    this.count('delivered');
    observeAnswer(this.deps.metrics, envelope);
    this.settle(part);
    return true;
  }

  /** Counts a settled part against its entries; acknowledges the entries it completes. */
  private settle(part: Part): void {
    const done: string[] = [];
    for (const { entryId } of part.sources) {
      const left = this.held.get(entryId);
      if (left === undefined) continue;
      if (left <= 1) {
        this.held.delete(entryId);
        done.push(entryId);
      } else {
        this.held.set(entryId, left - 1);
      }
    }
    if (done.length > 0) void this.ack(done);
    this.wakeLoop?.();
  }

  /** Another process must deliver it (it reads that chat): its consumer gets the entries. */
  private async handOff(part: Part, err: HandOffError, context: object): Promise<boolean> {
    const ids = part.sources.map((s) => s.entryId);
    const ok = await this.stream.handOff(ids, err.consumer).then(
      () => true,
      (e: unknown) => this.deps.log.warn({ ...context, err: errMessage(e) }, 'hand-off failed'),
    );
    if (ok) for (const id of ids) this.forget(id);
    return ok === true;
  }
  /** At start (a restart under the same name), and when another process handed entries in. */
  private async handedIn(): Promise<boolean> {
    return (await this.stream.ownPending()) > this.held.size + this.unacked.size;
  }

  /** The entry belongs to another consumer now: stop delivering it. */
  private forget(id: string): void {
    this.held.delete(id);
    this.unacked.delete(id);
  }

  private async ack(ids: string[]): Promise<void> {
    try {
      await this.stream.ack(ids);
      for (const id of ids) this.unacked.delete(id);
    } catch (err) {
      // Delivered but still pending: keep it ours (touchAll) and acknowledge it later,
      // or another process would deliver it again.
      for (const id of ids) this.unacked.add(id);
      this.deps.log.warn(
        { platform: this.platform, count: ids.length, err: errMessage(err) },
        'could not acknowledge delivered replies; will retry',
      );
    }
  }

  private async retryAcks(): Promise<void> {
    if (this.unacked.size > 0) await this.ack([...this.unacked]);
  }

  /** Heartbeat: keeps every entry this lane holds from being taken over while it works. */
  private async touchAll(): Promise<void> {
    if (this.closed || !this.sender?.ready()) return;
    const ids = [...this.held.keys(), ...this.unacked];
    if (ids.length === 0) return;
    try {
      for (const id of await this.stream.touch(ids)) this.forget(id);
    } catch (err) {
      this.deps.log.debug({ platform: this.platform, err: errMessage(err) }, 'reply touch failed');
    }
  }

  private count(result: string): void {
    this.deps.metrics?.replyDeliveries.inc({ platform: this.platform, result });
  }

  /** The read loop's wait: ends early on close, a new sender, or a settled delivery. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const wake = (): void => done();
      this.wakeLoop = wake;
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
    });
  }

  /** A target worker's wait: ends early on close. */
  private async pause(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise<void>((r) => (timer = setTimeout(r, ms))), this.closedSignal]);
    clearTimeout(timer);
  }
}
