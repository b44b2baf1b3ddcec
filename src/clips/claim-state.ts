import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ClipKeys } from './keys.js';

/** An open claim outliving this is garbage whatever happened; jobs take minutes at most. */
export const PENDING_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Our own record of each claimed job, which the join script reads to tell a claim that can
 * still answer joiners from an orphan: 'queued' once the job was added, 'ended' once it
 * completed or failed for good. BullMQ's own keys are private and may change in any
 * upgrade; its public API (getJobState) is asked only when our record may be behind, for a
 * job that ended in a process that died before recording it.
 */
export class ClaimStates {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Pick<ClipKeys, 'claimState'>,
  ) {}

  /** After the job was added. NX: a job fast enough to have ended already stays ended. */
  async queued(jobId: string): Promise<void> {
    await this.redis.set(this.keys.claimState(jobId), 'queued', 'PX', PENDING_TTL_MS, 'NX');
  }

  async ended(jobId: string): Promise<void> {
    await this.redis.set(this.keys.claimState(jobId), 'ended', 'PX', PENDING_TTL_MS);
  }

  /**
   * Before a request may join the job: a job recorded as queued that BullMQ already
   * completed, failed or removed (its worker died before our record said so) is recorded
   * as ended, so the request adopts its requesters instead of waiting on it.
   */
  async settle(jobId: string, queue: Pick<Queue, 'getJobState'>): Promise<void> {
    if ((await this.redis.get(this.keys.claimState(jobId))) !== 'queued') return;
    const state = await queue.getJobState(jobId);
    if (state === 'completed' || state === 'failed' || state === 'unknown') await this.ended(jobId);
  }
}
