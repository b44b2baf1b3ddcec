import type { Logger } from 'pino';
import type { HelixApi } from '../twitch/helix-api.js';
import type { HelixClip } from '../twitch/types.js';

export interface VisibilityPollerOptions {
  helix: HelixApi;
  log: Logger;
  /** Between two looks at the same clip (CLIP_POLL_INTERVAL_MS). */
  pollIntervalMs: number;
  /**
   * On: one Get Clips asks about up to 100 waiting clips, and looks due within half an
   * interval are pulled forward to share a request. Off: one request per clip per look.
   */
  batching: boolean;
}

interface Watch {
  clipId: string;
  nextAt: number;
  deadlineAt: number;
  waiters: ((clip: HelixClip | undefined) => void)[];
}

const MAX_IDS = 100;
/** Timers may fire a millisecond early; a look that close to the deadline is the last. */
const TIMER_TOLERANCE_MS = 5;

/**
 * Watches every clip this process is waiting for and resolves each wait with the clip
 * once Get Clips returns it, or with undefined at its deadline. One per worker process.
 */
export class VisibilityPoller {
  private readonly watches = new Map<string, Watch>();
  private timer?: NodeJS.Timeout;
  private timerAt = Infinity;
  private ticking = false;
  private closed = false;

  constructor(private readonly opts: VisibilityPollerOptions) {}

  /** How many clips are being watched (for metrics and tests). */
  get size(): number {
    return this.watches.size;
  }

  /**
   * Resolves with the clip when Get Clips returns it, or undefined when it has not by
   * `deadlineAt` (epoch ms). The first look is at `firstCheckAt`; a deadline already past
   * still gets one look (a job resumed late).
   */
  waitVisible(
    clipId: string,
    at: { firstCheckAt: number; deadlineAt: number },
  ): Promise<HelixClip | undefined> {
    return new Promise((resolve) => {
      if (this.closed) return; // shutting down: the job resumes on another worker
      const existing = this.watches.get(clipId);
      if (existing) {
        existing.waiters.push(resolve);
        return;
      }
      this.watches.set(clipId, {
        clipId,
        nextAt: Math.min(at.firstCheckAt, at.deadlineAt),
        deadlineAt: at.deadlineAt,
        waiters: [resolve],
      });
      this.schedule();
    });
  }

  /**
   * Stops polling. Pending waits are left unresolved on purpose: on a forced shutdown
   * their jobs must neither finish nor fail here, so the stalled-job check hands them to
   * another worker, which resumes the wait.
   */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.watches.clear();
  }

  private schedule(): void {
    if (this.closed || this.ticking || this.watches.size === 0) return;
    let earliest = Infinity;
    for (const w of this.watches.values()) earliest = Math.min(earliest, w.nextAt);
    if (this.timer && this.timerAt <= earliest) return;
    clearTimeout(this.timer);
    this.timerAt = earliest;
    this.timer = setTimeout(() => void this.tick(), Math.max(0, earliest - Date.now()));
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    this.timerAt = Infinity;
    this.ticking = true;
    try {
      const now = Date.now();
      const slack = this.opts.batching ? this.opts.pollIntervalMs / 2 : 0;
      const due = [...this.watches.values()].filter((w) => w.nextAt <= now + slack);
      const size = this.opts.batching ? MAX_IDS : 1;
      const chunks: Watch[][] = [];
      for (let i = 0; i < due.length; i += size) chunks.push(due.slice(i, i + size));
      await Promise.all(chunks.map((chunk) => this.look(chunk)));
    } finally {
      this.ticking = false;
      this.schedule();
    }
  }

  private async look(chunk: Watch[]): Promise<void> {
    let found = new Map<string, HelixClip>();
    try {
      const clips = await this.opts.helix.getClipsByIds(chunk.map((w) => w.clipId));
      found = new Map(clips.map((c) => [c.id, c]));
    } catch (err) {
      // The clip exists at Twitch either way; a failed look only delays the answer,
      // and the deadline still bounds the wait.
      this.opts.log.warn(
        { err: err instanceof Error ? err.message : String(err), clips: chunk.length },
        'Get Clips failed while waiting for clips to appear',
      );
    }
    const now = Date.now();
    for (const w of chunk) {
      if (this.watches.get(w.clipId) !== w) continue;
      const clip = found.get(w.clipId);
      if (clip || now + TIMER_TOLERANCE_MS >= w.deadlineAt) {
        this.watches.delete(w.clipId);
        for (const resolve of w.waiters) resolve(clip);
      } else {
        w.nextAt = Math.min(now + this.opts.pollIntervalMs, w.deadlineAt);
      }
    }
  }
}
