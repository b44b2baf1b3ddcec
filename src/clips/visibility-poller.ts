import type { Logger } from 'pino';
import type { HelixApi } from '../twitch/helix-api.js';
import type { HelixClip } from '../twitch/types.js';
import type { ClipLook, SharedClipLooks } from './shared-clip-looks.js';

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
  /**
   * Batching only (default on with it): learn how long recent clips took to appear and,
   * around that age, look every `fastPollIntervalMs` instead of every `pollIntervalMs`.
   * Looks are shared by every waiting clip, so the tighter pace costs a few requests a
   * second at most while clips are due, and the answer follows visibility closely.
   */
  adaptive?: boolean;
  /** Default min(pollIntervalMs, 350). */
  fastPollIntervalMs?: number;
  /**
   * Batching only: looks shared with every worker process through Redis (one Get Clips
   * for the clips all of them wait for). The poller owns it and closes it.
   */
  shared?: SharedClipLooks;
}

export const VISIBILITY_POLLER_DEFAULTS = {
  fastPollIntervalMs: 350,
  adaptive: true,
} as const satisfies Partial<VisibilityPollerOptions>;

interface Watch {
  clipId: string;
  nextAt: number;
  deadlineAt: number;
  waiters: ((clip: HelixClip | undefined) => void)[];
  /** Best guess of the clip's creation: ages are counted from here. */
  origin: number;
  /** Age at the last look that did not find the clip (0: none yet). */
  missedAtAge: number;
  /** Whether its time to appear is worth learning from (see waitVisible). */
  learn: boolean;
}

const MAX_IDS = 100;
/** Recent clips whose time to appear shapes the fast window. */
const SAMPLES = 64;
/** The fast window never spans more than this many fast looks (late outliers widen it). */
const MAX_FAST_LOOKS = 20;
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
  private readonly delays?: VisibilityDelays;
  private readonly fastMs: number;
  private readonly shared?: SharedClipLooks;
  /** Another process holds the look: wait for its answer (or this time) before asking. */
  private othersLookUntil = 0;

  constructor(private readonly opts: VisibilityPollerOptions) {
    this.fastMs = Math.min(
      opts.pollIntervalMs,
      opts.fastPollIntervalMs ?? VISIBILITY_POLLER_DEFAULTS.fastPollIntervalMs,
    );
    if (opts.batching && (opts.adaptive ?? VISIBILITY_POLLER_DEFAULTS.adaptive)) {
      this.delays = new VisibilityDelays(SAMPLES, this.fastMs * MAX_FAST_LOOKS);
    }
    if (opts.batching && opts.shared) {
      const shared = opts.shared;
      this.shared = shared;
      shared
        .listen((look) => {
          this.othersLookUntil = 0;
          this.apply(look);
          this.schedule();
        })
        .catch((err: unknown) =>
          opts.log.warn(
            { err: err instanceof Error ? err.message : String(err) },
            'could not hear the clip looks of other workers',
          ),
        );
    }
  }

  /**
   * How long recent clips took to appear after Create Clip answered (the slow end of the
   * learned window), or undefined before any was seen (or without batching).
   */
  typicalDelayMs(): number | undefined {
    return this.delays?.window()?.to;
  }

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
      // A fresh job registers right after creating the clip; a resumed one is at least
      // past its first look, which is never before creation.
      const now = Date.now();
      const origin = Math.min(now, at.firstCheckAt);
      // A job resumed long after its first look was due (a worker restart) does not know
      // its clip's age: learning from it would teach the outage, not Twitch's delay.
      const learn = now - at.firstCheckAt <= this.opts.pollIntervalMs;
      const from = this.delays?.window()?.from ?? 0;
      const w: Watch = {
        clipId,
        nextAt: Math.min(Math.max(at.firstCheckAt, origin + from), at.deadlineAt),
        deadlineAt: at.deadlineAt,
        waiters: [resolve],
        origin,
        missedAtAge: 0,
        learn,
      };
      this.watches.set(clipId, w);
      this.register([w]);
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
    // Another worker resumes these jobs and registers their clips again.
    const ids = [...this.watches.keys()];
    this.watches.clear();
    const shared = this.shared;
    if (shared)
      void shared
        .unregister(ids)
        .catch(() => undefined)
        .then(() => shared.close());
  }

  /** Tells the other workers when these clips' next looks are due. */
  private register(watches: Watch[]): void {
    void this.shared
      ?.register(watches.map((w) => ({ clipId: w.clipId, at: w.nextAt })))
      .catch(() => undefined);
  }

  private schedule(): void {
    if (this.closed || this.ticking || this.watches.size === 0) return;
    let earliest = Infinity;
    for (const w of this.watches.values()) earliest = Math.min(earliest, w.nextAt);
    earliest = Math.max(earliest, this.othersLookUntil);
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
      const due: Watch[] = [];
      const rest: Watch[] = [];
      for (const w of this.watches.values()) (w.nextAt <= now + slack ? due : rest).push(w);
      if (this.shared) {
        if (due.length > 0) await this.lookShared(this.shared, due, now + slack);
        return;
      }
      const size = this.opts.batching ? MAX_IDS : 1;
      if (this.opts.batching && due.length % size !== 0) {
        // The request goes anyway: clips not due yet ride along in its free room for nothing.
        rest.sort((a, b) => a.nextAt - b.nextAt);
        due.push(...rest.slice(0, size - (due.length % size)));
      }
      const chunks: Watch[][] = [];
      for (let i = 0; i < due.length; i += size) chunks.push(due.slice(i, i + size));
      await Promise.all(chunks.map((chunk) => this.look(chunk)));
    } finally {
      this.ticking = false;
      this.schedule();
    }
  }

  /** Due clips through the shared look: this process looks for all, or waits for who does. */
  private async lookShared(shared: SharedClipLooks, due: Watch[], dueBy: number): Promise<void> {
    try {
      await shared.register(due.map((w) => ({ clipId: w.clipId, at: w.nextAt })));
      const looks = await shared.lookDue(dueBy);
      if (!looks) {
        this.othersLookUntil = Date.now() + this.fastMs;
        return;
      }
      for (const look of looks) this.apply(look);
    } catch (err) {
      // Redis is away: look alone, as a process without sharing would.
      this.opts.log.warn(
        { err: err instanceof Error ? err.message : String(err) },
        'shared clip look failed; looking alone',
      );
      await this.look(due.slice(0, MAX_IDS));
    }
  }

  /** A look made by any process: settles this process's clips among those asked about. */
  private apply(look: ClipLook): void {
    const mine = look.ids.flatMap((id) => {
      const w = this.watches.get(id);
      return w ? [w] : [];
    });
    if (mine.length === 0) return;
    const found = new Map(look.found.map((c) => [c.id, c]));
    this.settle(mine, found, look.askedAt, look.answered);
    const [waiting, done] = [
      mine.filter((w) => this.watches.get(w.clipId) === w),
      mine.filter((w) => this.watches.get(w.clipId) !== w),
    ];
    this.register(waiting);
    // A look of this process's own that raced the answer may have put one back: not needed.
    void this.shared?.unregister(done.map((w) => w.clipId)).catch(() => undefined);
  }

  private async look(chunk: Watch[]): Promise<void> {
    const askedAt = Date.now();
    let found = new Map<string, HelixClip>();
    let answered = false;
    try {
      const clips = await this.opts.helix.getClipsByIds(chunk.map((w) => w.clipId));
      found = new Map(clips.map((c) => [c.id, c]));
      answered = true;
    } catch (err) {
      // The clip exists at Twitch either way; a failed look only delays the answer,
      // and the deadline still bounds the wait.
      this.opts.log.warn(
        { err: err instanceof Error ? err.message : String(err), clips: chunk.length },
        'Get Clips failed while waiting for clips to appear',
      );
    }
    this.settle(chunk, found, askedAt, answered);
  }

  /** Resolves the clips found (or past their deadline) and plans the others' next look. */
  private settle(
    chunk: Watch[],
    found: Map<string, HelixClip>,
    askedAt: number,
    answered: boolean,
  ): void {
    const now = Date.now();
    for (const w of chunk) {
      if (this.watches.get(w.clipId) !== w) continue;
      const clip = found.get(w.clipId);
      if (clip && w.learn) this.delays?.record(w.missedAtAge, askedAt - w.origin);
      if (clip || now + TIMER_TOLERANCE_MS >= w.deadlineAt) {
        this.watches.delete(w.clipId);
        for (const resolve of w.waiters) resolve(clip);
      } else {
        if (answered) w.missedAtAge = askedAt - w.origin;
        w.nextAt = Math.min(this.nextLook(w, now), w.deadlineAt);
      }
    }
  }

  /** Every pollIntervalMs; inside the learned window, every fast interval. */
  private nextLook(w: Watch, now: number): number {
    const win = this.delays?.window();
    if (!win) return now + this.opts.pollIntervalMs;
    const age = now - w.origin;
    if (age < win.from) return Math.max(now + this.fastMs, w.origin + win.from);
    if (age < win.to) return now + this.fastMs;
    return now + this.opts.pollIntervalMs;
  }
}

/**
 * How old recent clips were when they appeared, as bounds: older than at the last look
 * that missed, younger than at the look that found them. The window covers the middle
 * 90% of them, so a clip that appears is usually seen within one fast interval.
 */
class VisibilityDelays {
  private readonly samples: { lo: number; hi: number }[] = [];
  private cached?: { from: number; to: number };

  constructor(
    private readonly max: number,
    private readonly maxWidthMs: number,
  ) {}

  record(lo: number, hi: number): void {
    this.samples.push({ lo, hi: Math.max(lo, hi) });
    if (this.samples.length > this.max) this.samples.shift();
    this.cached = undefined;
  }

  window(): { from: number; to: number } | undefined {
    if (this.samples.length === 0) return undefined;
    if (!this.cached) {
      const los = this.samples.map((s) => s.lo).sort((a, b) => a - b);
      const his = this.samples.map((s) => s.hi).sort((a, b) => a - b);
      const from = quantile(los, 0.05);
      this.cached = { from, to: Math.min(quantile(his, 0.95), from + this.maxWidthMs) };
    }
    return this.cached;
  }
}

/** Nearest-rank quantile of sorted numbers. */
function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] ?? 0;
}
