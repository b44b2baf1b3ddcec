import type { ClipRequest } from './types.js';

/** Where a clip job stands. Saved in the job after every step, so a rerun resumes here. */
export type ClipStage = 'live_check' | 'create' | 'wait_visible';

export interface ClipJobProgress {
  stage: ClipStage;
  /**
   * epoch ms, saved BEFORE Create Clip is sent and cleared when Twitch definitely refused it.
   * Set without a clipId on a rerun: an earlier attempt may have made a clip we never heard
   * of, so the job answers 'uncertain' instead of creating another.
   */
  createAttemptedAt?: number;
  /** Set the moment Create Clip answers: from then on the job never calls it again. */
  clipId?: string;
  editUrl?: string;
  /** epoch ms when Create Clip answered; the visibility deadline counts from here. */
  createdAt?: number;
  /** AutoMod rejected the title and the clip was made without it. */
  titleDropped?: boolean;
  /** How many times a 429 paused this job (bounded, so a job cannot bounce forever). */
  rateLimited?: number;
}

/** BullMQ job data: the request that created the job (joiners live in Redis). No tokens. */
export interface ClipJobData {
  request: ClipRequest;
  progress?: ClipJobProgress;
}

export const CLIP_JOB_NAME = 'clip';
