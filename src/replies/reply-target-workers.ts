import type { Logger } from 'pino';
import { mergeKey } from './reply-targets.js';
import { errMessage } from '../core/err-message.js';
import type { ClipRequest, ReplyEnvelope, ReplySender } from '../core/clip.js';

export interface Source {
  entryId: string;
  requests: ClipRequest[];
}

/** What is delivered in one deliver() call: one target's answer, from one or more entries. */
export interface Part {
  base: ReplyEnvelope;
  sources: Source[];
  mergeKey?: string;
  sending: boolean;
}

/** One reply target (a Twitch channel, a Discord interaction or channel): a FIFO of parts. */
export interface Target {
  key: string;
  parts: Part[];
  failures: number;
  retryAt: number;
  running: boolean;
}

export interface ReplyTargetWorkersDeps {
  log: Logger;
  /** First wait after a transient failure of a target; doubles up to maxRetryMs. */
  retryMs: number;
  maxRetryMs: number;
  readyPollMs: number;
  sender: () => ReplySender | undefined;
  closed: () => boolean;
  /** A wait that ends early on close. */
  pause: (ms: number) => Promise<void>;
  /** True when the part is settled (delivered, undeliverable, expired, or no longer ours). */
  deliver: (target: Target, part: Part, sender: ReplySender) => Promise<boolean>;
}

/**
 * The per-target queues: each target is delivered in order by its own small worker, so a
 * slow or failing target holds up only itself. Answers to the same target that are still
 * waiting are merged (mergeKey) into one delivery.
 */
export class ReplyTargetWorkers {
  private readonly targets = new Map<string, Target>();
  private readonly workers = new Set<Promise<void>>();

  constructor(private readonly deps: ReplyTargetWorkersDeps) {}

  enqueue(key: string, entryId: string, envelope: ReplyEnvelope): void {
    let target = this.targets.get(key);
    if (!target) {
      target = { key, parts: [], failures: 0, retryAt: 0, running: false };
      this.targets.set(key, target);
    }
    const merge = mergeKey(envelope);
    const source: Source = { entryId, requests: envelope.requests };
    const waiting = merge
      ? target.parts.find((p) => !p.sending && p.mergeKey === merge)
      : undefined;
    if (waiting) waiting.sources.push(source);
    else target.parts.push({ base: envelope, sources: [source], mergeKey: merge, sending: false });
    if (!target.running) this.startTarget(target);
  }

  /** Waits up to waitMs for the deliveries under way. */
  async drain(waitMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([...this.workers]),
      new Promise<void>((r) => (timer = setTimeout(r, waitMs))),
    ]);
    clearTimeout(timer);
  }

  private startTarget(target: Target): void {
    target.running = true;
    const worker = this.runTarget(target)
      .catch((err: unknown) => {
        this.deps.log.error({ target: target.key, err: errMessage(err) }, 'reply target failed');
      })
      .finally(() => {
        target.running = false;
        this.workers.delete(worker);
        if (target.parts.length === 0) {
          if (this.targets.get(target.key) === target) this.targets.delete(target.key);
        } else if (!this.deps.closed()) {
          // Only after a bug threw out of the loop: try again later, not in a hot loop.
          setTimeout(() => {
            if (!target.running && !this.deps.closed()) this.startTarget(target);
          }, this.deps.retryMs).unref();
        }
      });
    this.workers.add(worker);
  }

  /** Delivers a target's parts one after another; a transient failure backs off this target only. */
  private async runTarget(target: Target): Promise<void> {
    while (!this.deps.closed() && target.parts.length > 0) {
      const wait = target.retryAt - Date.now();
      if (wait > 0) {
        await this.deps.pause(wait);
        continue;
      }
      const sender = this.deps.sender();
      if (!sender?.ready()) {
        await this.deps.pause(this.deps.readyPollMs);
        continue;
      }
      const part = target.parts[0]!;
      part.sending = true;
      const settled = await this.deps.deliver(target, part, sender);
      part.sending = false;
      if (settled) {
        target.parts.shift();
        target.failures = 0;
        target.retryAt = 0;
      } else {
        target.failures += 1;
        const backoff = this.deps.retryMs * 2 ** Math.min(target.failures - 1, 16);
        target.retryAt = Date.now() + Math.min(this.deps.maxRetryMs, backoff);
      }
    }
  }
}
