import type { Redis } from 'ioredis';
import type { ClipKeys } from './keys.js';
import type { ClipOutcome, ClipRequest, RecentClip } from '../core/clip.js';

export type { RecentClip } from '../core/clip.js';

/** How many clips a channel's list keeps, and for how long after its last clip. */
export const RECENT_CLIPS_CAP = 20;
export const RECENT_CLIPS_TTL_S = 30 * 86_400;

/**
 * The record the finalize script stores, without its requesters (the script adds them from
 * the job's requester list, atomically with answering them). Undefined: nothing to record.
 */
export function recentClipBase(
  request: ClipRequest,
  outcome: ClipOutcome,
  at: number,
): Omit<RecentClip, 'requesters'> | undefined {
  const past = request.vod && !request.vod.late ? { agoS: request.vod.agoS } : {};
  if (outcome.status === 'created') {
    const { clip } = outcome;
    return {
      clipId: clip.id,
      url: clip.url,
      ...(clip.title ? { title: clip.title } : {}),
      status: 'created',
      at,
      ...(clip.duration !== undefined ? { duration: clip.duration } : {}),
      ...past,
    };
  }
  if (outcome.status === 'not_visible') {
    return {
      clipId: outcome.clipId,
      url: outcome.editUrl,
      ...(request.title ? { title: request.title } : {}),
      status: 'not_visible',
      at,
      ...(request.duration !== undefined ? { duration: request.duration } : {}),
      ...past,
    };
  }
  return undefined;
}

/** Reads a channel's recent clips (the worker's result path writes them). */
export class RecentClips {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Pick<ClipKeys, 'recent'>,
  ) {}

  async list(broadcasterId: string, limit = RECENT_CLIPS_CAP): Promise<RecentClip[]> {
    const raw = await this.redis.lrange(this.keys.recent(broadcasterId), 0, Math.max(0, limit - 1));
    const out: RecentClip[] = [];
    for (const item of raw) {
      try {
        const parsed = JSON.parse(item) as RecentClip;
        if (typeof parsed.clipId === 'string' && Array.isArray(parsed.requesters)) out.push(parsed);
      } catch {
        // A damaged entry costs one line of the list, not the command.
      }
    }
    return out;
  }
}
