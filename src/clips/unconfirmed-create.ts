import type { Redis } from 'ioredis';
import type { HelixApi } from '../twitch/helix-api.js';
import type { HelixClip } from '../twitch/types.js';
import type { ClipKeys } from './keys.js';

export interface UnconfirmedCreatesOptions {
  helix: HelixApi;
  redis: Redis;
  keys: ClipKeys;
  /** The bot account's user id (the creator of its clips); undefined while unknown. */
  creatorId: () => string | undefined;
  /** How long recent clips took to appear (VisibilityPoller.typicalDelayMs). */
  learnedDelayMs: () => number | undefined;
  /** Added to a learned delay: one look's worth of slack. Default 250 ms. */
  marginMs?: number;
  /** The wait before the lookup while nothing has been learned. Default 5000 ms. */
  defaultWaitMs?: number;
  /** The wait never exceeds this. Default 15 s. */
  maxWaitMs?: number;
  /** The lookup also covers clips this long before the attempt (clock skew). Default 5 s. */
  lookbackMs?: number;
  /** Clips read at most (Get Clips pages of 100). Default 300. */
  maxClips?: number;
}

/** How long the ownership of a clip is remembered: longer than any job lives. */
const OWNER_TTL_MS = 24 * 3_600_000;

export const UNCONFIRMED_CREATES_DEFAULTS = {
  marginMs: 250,
  defaultWaitMs: 5_000,
  maxWaitMs: 15_000,
  lookbackMs: 5_000,
  maxClips: 300,
} as const satisfies Partial<UnconfirmedCreatesOptions>;

/**
 * A link to manage a clip when Create Clip's own `edit_url` never arrived (its answer was
 * lost; Get Clips gives no edit link). Twitch's current edit_url form is the clip's page
 * on the channel, https://www.twitch.tv/<channel>/clip/<slug>?... (Helix reference
 * example "https://www.twitch.tv/twitchdev/clip/FiveWordsForClipSlug"); the old
 * https://clips.twitch.tv/<slug>/edit form is gone. Anywhere Twitch gives edit_url, that
 * is used as given.
 */
export function clipEditUrl(channelLogin: string, clipId: string): string {
  return `https://www.twitch.tv/${encodeURIComponent(channelLogin)}/clip/${encodeURIComponent(clipId)}`;
}

/**
 * Finds the clip a Create Clip made when its answer never came back (a 5xx, a timeout, a
 * worker that died mid-call): once such a clip would normally be visible, Get Clips by
 * broadcaster over the time of the attempt, for a clip by the bot account that no other
 * job owns. Every job records the clip it made (claim), so two jobs never share one.
 */
export class UnconfirmedCreates {
  constructor(private readonly opts: UnconfirmedCreatesOptions) {}

  /** Whether a lookup can tell anything: the bot account must be known. */
  canLookUp(): boolean {
    return this.opts.creatorId() !== undefined;
  }

  /**
   * When the lookup should run (epoch ms): a clip made by the call would be visible by then.
   * `since` is the latest moment Twitch may have made it (when the failure came back).
   */
  lookAt(since: number): number {
    const learned = this.opts.learnedDelayMs();
    const wait =
      learned !== undefined
        ? learned + (this.opts.marginMs ?? UNCONFIRMED_CREATES_DEFAULTS.marginMs)
        : (this.opts.defaultWaitMs ?? UNCONFIRMED_CREATES_DEFAULTS.defaultWaitMs);
    return since + Math.min(wait, this.opts.maxWaitMs ?? UNCONFIRMED_CREATES_DEFAULTS.maxWaitMs);
  }

  /**
   * The clip the job's unconfirmed attempt made, claimed for the job; undefined when Twitch
   * shows none. Throws HelixError when Get Clips fails (the job retries the lookup).
   */
  async find(
    jobId: string,
    broadcasterId: string,
    attemptedAt: number,
  ): Promise<HelixClip | undefined> {
    const creatorId = this.opts.creatorId();
    if (creatorId === undefined) return undefined;
    const from = attemptedAt - (this.opts.lookbackMs ?? UNCONFIRMED_CREATES_DEFAULTS.lookbackMs);
    const clips = await this.opts.helix.getAllClips(
      {
        broadcasterId,
        startedAt: wholeSecond(from, 'floor'),
        // Now, with the same allowance for Twitch's clock being ahead of ours.
        endedAt: wholeSecond(
          Date.now() + (this.opts.lookbackMs ?? UNCONFIRMED_CREATES_DEFAULTS.lookbackMs),
          'ceil',
        ),
        first: 100,
      },
      this.opts.maxClips ?? UNCONFIRMED_CREATES_DEFAULTS.maxClips,
    );
    const candidates = clips
      .filter((c) => c.creator_id === creatorId && Date.parse(c.created_at) >= from - 1000)
      // The one made closest after the attempt first.
      .sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
    for (const clip of candidates) {
      if (await this.claim(clip.id, jobId)) return clip;
    }
    return undefined;
  }

  /** Records that the clip belongs to the job; false when another job owns it. */
  async claim(clipId: string, jobId: string): Promise<boolean> {
    const key = this.opts.keys.clipOwner(clipId);
    const set = await this.opts.redis.set(key, jobId, 'PX', OWNER_TTL_MS, 'NX');
    if (set === 'OK') return true;
    return (await this.opts.redis.get(key)) === jobId;
  }
}

/** RFC3339 at a whole second (Twitch dates clips to the second). */
function wholeSecond(ms: number, round: 'floor' | 'ceil'): string {
  const s = round === 'floor' ? Math.floor(ms / 1000) : Math.ceil(ms / 1000);
  return new Date(s * 1000).toISOString().replace('.000Z', 'Z');
}
