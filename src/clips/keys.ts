import { prefixedKey } from '../redis/connection.js';
import type { Platform } from './types.js';

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

  /** Requests waiting for one job's answer (a list of ClipRequest JSON). */
  requesters(jobId: string): string {
    return prefixedKey(this.prefix, 'clipjob', jobId, 'requesters');
  }

  /** The job's final ClipResult; its existence means "finalized" (answers already queued). */
  result(jobId: string): string {
    return prefixedKey(this.prefix, 'clipjob', jobId, 'result');
  }

  /** Maps a request id to its job, so a retried interaction is not queued twice. */
  request(requestId: string): string {
    return prefixedKey(this.prefix, 'clipreq', requestId);
  }

  /** The durable reply stream of one platform. */
  replies(platform: Platform): string {
    return this.repliesPrefix + platform;
  }

  /** What the Lua scripts append a platform to. */
  get repliesPrefix(): string {
    return prefixedKey(this.prefix, 'replies', '');
  }

  /** BullMQ's hash for a job (read by Lua to tell a live job from an orphaned claim). */
  bullJob(jobId: string): string {
    return prefixedKey(this.prefix, this.queueName, jobId);
  }
}
