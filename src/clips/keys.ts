import { prefixedKey } from '../redis/connection.js';
import type { ClipRequest, Platform } from '../core/clip.js';

/**
 * Every pipeline key outside BullMQ's own. BullMQ uses `${prefix}:${queueName}:...` with
 * the same prefix, so `cleanupPrefix(prefix)` removes both.
 */
export class ClipKeys {
  constructor(
    readonly prefix: string,
    readonly queueName: string,
  ) {}

  /** The clip a channel's requests join: hash {jobId, state: open|done, since, result}. */
  pending(broadcasterId: string): string {
    return prefixedKey(this.prefix, 'pending', broadcasterId);
  }

  /**
   * The pending clip a request may join. A clip of the past is its own kind: it must never
   * join (or be answered by) the live clip of the same channel, nor a clip of another moment.
   */
  pendingFor(req: Pick<ClipRequest, 'broadcasterId' | 'vod' | 'duration'>): string {
    if (!req.vod) return this.pending(req.broadcasterId);
    return prefixedKey(
      this.prefix,
      'pending',
      `${req.broadcasterId}:past:${req.vod.agoS}:${req.duration ?? 'default'}`,
    );
  }

  /** The clips the bot made for a channel lately (a capped list of RecentClip JSON, newest first). */
  recent(broadcasterId: string): string {
    return prefixedKey(this.prefix, 'recentclips', broadcasterId);
  }

  /** Requests waiting for one job's answer (a list of ClipRequest JSON). */
  requesters(jobId: string): string {
    return prefixedKey(this.prefix, 'clipjob', jobId, 'requesters');
  }

  /** The job's final ClipResult; its existence means "finalized" (answers already queued). */
  result(jobId: string): string {
    return prefixedKey(this.prefix, 'clipjob', jobId, 'result');
  }

  /**
   * The job a clip made by the bot belongs to (a string, set once). Lets a job whose Create
   * Clip went unanswered adopt the clip it made without taking another job's.
   */
  clipOwner(clipId: string): string {
    return prefixedKey(this.prefix, 'clipowner', clipId);
  }

  /**
   * Create Clip's own bucket is empty: hash {until (epoch ms), strikes}. One per bot
   * account (every channel's clips spend the same bucket), shared by every worker process.
   */
  clipCreationPause(): string {
    return prefixedKey(this.prefix, 'clipcreation', 'pause');
  }

  /** Maps a request id to its job, so a retried interaction is not queued twice. */
  request(requestId: string): string {
    return prefixedKey(this.prefix, 'clipreq', requestId);
  }

  /** The durable reply stream of one platform. */
  replies(platform: Platform): string {
    return prefixedKey(this.prefix, 'replies', platform);
  }

  /** Our record of a claimed job ('queued' | 'ended'): tells a live claim from an orphan. */
  claimState(jobId: string): string {
    return prefixedKey(this.prefix, 'clipjob', jobId, 'state');
  }

  /**
   * The live table: a hash, field = channel login, value = LiveStatus JSON. Shared by
   * every worker process (and the automatic-clip detector).
   */
  liveStatus(): string {
    return prefixedKey(this.prefix, 'livestatus');
  }

  /** Which process refreshes the live table (a token, SET NX PX, renewed while it works). */
  liveStatusLease(): string {
    return prefixedKey(this.prefix, 'livestatus', 'lease');
  }

  /** When the last refresh round started (epoch ms), so a new lease holder keeps the rhythm. */
  liveStatusRound(): string {
    return prefixedKey(this.prefix, 'livestatus', 'round');
  }

  /** Clips waiting to appear, in every worker process: a sorted set, score = next look (ms). */
  visibilityWatch(): string {
    return prefixedKey(this.prefix, 'visibility', 'watch');
  }

  /** Who is looking right now (a short lease per look, so one Get Clips serves everyone). */
  visibilityLease(): string {
    return prefixedKey(this.prefix, 'visibility', 'lease');
  }

  /** Pub/sub channel on which a look's answer is published to every worker process. */
  visibilityLooked(): string {
    return prefixedKey(this.prefix, 'visibility', 'looked');
  }
}
