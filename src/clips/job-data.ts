import type { Job } from 'bullmq';
import type { ClipRequest, ClipResult } from '../core/clip.js';

/** Where a clip job stands. Saved in the job after every step, so a rerun resumes here. */
export type ClipStage = 'live_check' | 'create' | 'wait_visible';

export interface ClipJobProgress {
  stage: ClipStage;
  /**
   * epoch ms, saved BEFORE Create Clip is sent and cleared when Twitch definitely refused it.
   * Set without a clipId: the attempt may have made a clip we never heard of, so the job
   * looks for it in Get Clips (by the bot account, since this time) before anything else.
   */
  createAttemptedAt?: number;
  /** epoch ms the attempt's answer was lost (a 5xx, a timeout): the lookup waits from here. */
  createUnknownAt?: number;
  /** Create Clip was sent again after a lookup found nothing: never a third time. */
  createRetried?: boolean;
  /** The clip was found by that lookup rather than returned by Create Clip. */
  adopted?: boolean;
  /** Set the moment Create Clip answers: from then on the job never calls it again. */
  clipId?: string;
  editUrl?: string;
  /** epoch ms when Create Clip answered; the visibility deadline counts from here. */
  createdAt?: number;
  /** AutoMod rejected the title and the clip was made without it. */
  titleDropped?: boolean;
  /** How many times a 429 paused this job (bounded, so a job cannot bounce forever). */
  rateLimited?: number;
  /** epoch ms when clip creation was first found paused for this job (Create Clip's bucket). */
  clipPausedSince?: number;
}

/** BullMQ job data: the request that created the job (joiners live in Redis). No tokens. */
export interface ClipJobData {
  request: ClipRequest;
  progress?: ClipJobProgress;
}

export const CLIP_JOB_NAME = 'clip';

/** Saves the job's progress (a rerun resumes from it). */
export async function saveProgress(
  job: Job<ClipJobData, ClipResult>,
  progress: ClipJobProgress,
): Promise<void> {
  await job.updateData({ ...job.data, progress });
}
