import type { Redis } from 'ioredis';
import { script } from '../redis/scripts.js';
import type { ClipKeys } from './keys.js';

export interface ClipCreationGateOptions {
  redis: Redis;
  keys: ClipKeys;
  /** The first pause after Create Clip's bucket ran dry. Default 5 s. */
  basePauseMs?: number;
  /** Pauses double per 429 in a row, up to this. Default 5 minutes. */
  maxPauseMs?: number;
  now?: () => number;
}

const STRIKE = script('clip-creation-strike');

export const CLIP_CREATION_GATE_DEFAULTS = {
  basePauseMs: 5_000,
  maxPauseMs: 300_000,
} as const satisfies Partial<ClipCreationGateOptions>;

/**
 * Create Clip's own rate-limit bucket (Ratelimit-Helixclipscreation-Limit/-Remaining,
 * nicklaw5/helix clips.go), apart from the general one. When it runs dry, clip creation,
 * and only clip creation, pauses for every worker in every process: reads (live checks,
 * waiting for clips to appear) go on. State lives in Redis so a worker that starts during
 * a pause honours it too.
 */
export class ClipCreationGate {
  private readonly now: () => number;

  constructor(private readonly opts: ClipCreationGateOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Epoch ms until which clip creation is paused, or undefined when it is not. */
  async pausedUntil(): Promise<number | undefined> {
    const raw = await this.opts.redis.hget(this.opts.keys.clipCreationPause(), 'until');
    const until = raw === null ? NaN : Number(raw);
    return Number.isFinite(until) && until > this.now() ? until : undefined;
  }

  /** Create Clip answered 429 from its own bucket: pause (longer each time in a row). */
  async strike(): Promise<number> {
    const out = await STRIKE.run(
      this.opts.redis,
      [this.opts.keys.clipCreationPause()],
      [
        this.now(),
        this.opts.basePauseMs ?? CLIP_CREATION_GATE_DEFAULTS.basePauseMs,
        this.opts.maxPauseMs ?? CLIP_CREATION_GATE_DEFAULTS.maxPauseMs,
      ],
    );
    return Number(out);
  }

  /** A clip was created: the bucket has points again, so the next pause starts short. */
  async clear(): Promise<void> {
    await this.opts.redis.hdel(this.opts.keys.clipCreationPause(), 'strikes');
  }
}
