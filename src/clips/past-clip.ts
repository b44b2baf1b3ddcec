import { HelixError } from '../twitch/errors.js';
import type { HelixApi } from '../twitch/helix-api.js';
import type { CreatedClip } from '../twitch/types.js';
import { ClipFailure } from './failure-mapping.js';
import type { ClipRequest, FailureReason } from '../core/clip.js';
import type { VodLocator } from '../core/vod-locator.js';

/** Either scope lets a token clip a VOD (Create Clip From VOD). */
export const VOD_CLIP_SCOPES: readonly string[] = ['editor:manage:clips', 'channel:manage:clips'];

/** The account that clips VODs (the bot's user token), as its latest validation saw it. */
export interface ClipEditor {
  userId: string;
  scopes: readonly string[];
}

export interface PastClipMakerOptions {
  helix: HelixApi;
  locator: VodLocator;
  /** Undefined while the bot's token is unknown or invalid. */
  editor: () => ClipEditor | undefined;
}

const DEFAULT_CLIP_S = 30;

/** The VOD clip a request asks for: where it ends in the VOD, and how long it is. */
export interface PastClipPlan {
  vodId: string;
  /** Seconds from the VOD's start to where the clip ENDS (Create Clip From VOD's vod_offset). */
  vodOffset: number;
  duration: number;
}

/**
 * Where a clip of the past ends in its VOD, or the reason it cannot be made. Pure.
 * The clip must start at or after the VOD's start and end within what is recorded.
 */
export function planPastClip(
  request: Pick<ClipRequest, 'requestedAt' | 'duration' | 'vod'>,
  vod: { id: string; startMs: number; durationS: number },
): PastClipPlan {
  const duration = request.duration ?? DEFAULT_CLIP_S;
  const endMs = request.requestedAt - (request.vod?.agoS ?? 0) * 1000;
  const vodOffset = Math.floor((endMs - vod.startMs) / 1000);
  if (vodOffset < duration) {
    throw new ClipFailure('before_stream', `vod_offset ${vodOffset} < duration ${duration}`);
  }
  if (vodOffset > vod.durationS) {
    throw new ClipFailure('vod_not_ready', `vod_offset ${vodOffset} > VOD length ${vod.durationS}`);
  }
  return { vodId: vod.id, vodOffset, duration };
}

/**
 * Clips the past: finds the stream's VOD, places the asked moment in it and calls Create
 * Clip From VOD as the bot account (one of the channel's editors).
 */
export class PastClipMaker {
  constructor(private readonly opts: PastClipMakerOptions) {}

  /** The bot's token may clip VODs (whether it is the channel's editor shows only on trying). */
  canClip(): boolean {
    return this.opts.editor()?.scopes.some((s) => VOD_CLIP_SCOPES.includes(s)) ?? false;
  }

  async create(request: ClipRequest): Promise<{ created: CreatedClip; titleDropped: boolean }> {
    try {
      return await this.make(request);
    } catch (err) {
      throw request.vod?.late ? lateFailure(err) : err;
    }
  }

  private async make(
    request: ClipRequest,
  ): Promise<{ created: CreatedClip; titleDropped: boolean }> {
    const editor = this.opts.editor();
    if (!editor?.scopes.some((s) => VOD_CLIP_SCOPES.includes(s))) {
      throw new ClipFailure('vod_scope_missing', 'no token with a VOD clip scope');
    }
    const found = await this.opts.locator.find(request.broadcasterId, request.requestedAt);
    if (!found.vod) {
      // Offline with no archive holding the request's time: the stream is long over.
      throw found.live
        ? new ClipFailure('no_vod', 'live without an archive of this stream')
        : new ClipFailure('offline', 'no archive holds the request time');
    }
    const { video, startMs, durationS } = found.vod;
    const plan = planPastClip(request, { id: video.id, startMs, durationS });
    // Create Clip From VOD requires a title: Twitch's own default is the stream's title.
    const fallbackTitle = video.title.trim() || `${request.broadcasterName} clip`;
    const query = {
      editorId: editor.userId,
      broadcasterId: request.broadcasterId,
      vodId: plan.vodId,
      vodOffset: plan.vodOffset,
      duration: plan.duration,
    };
    try {
      try {
        const created = await this.opts.helix.createClipFromVod({
          ...query,
          title: request.title ?? fallbackTitle,
        });
        return { created, titleDropped: false };
      } catch (err) {
        if (!(request.title && err instanceof HelixError && err.kind === 'title_rejected')) {
          throw err;
        }
        const created = await this.opts.helix.createClipFromVod({ ...query, title: fallbackTitle });
        return { created, titleDropped: true };
      }
    } catch (err) {
      throw vodFailure(err);
    }
  }
}

/** Why a VOD clip could not be made: for a late live request, all mean "too late". */
const VOD_REASONS: ReadonlySet<FailureReason> = new Set([
  'offline',
  'no_vod',
  'before_stream',
  'vod_not_ready',
  'vod_scope_missing',
  'vod_not_editor',
]);

/**
 * A late live request (moment-deadline.ts) asked for a live clip, not a VOD one: its VOD
 * refusals are answered 'too_late' with the moment's VOD link. Other errors (a 5xx, a
 * timeout) pass unchanged, so retries and the search for an unconfirmed clip work as ever.
 */
function lateFailure(err: unknown): unknown {
  if (err instanceof ClipFailure && VOD_REASONS.has(err.reason)) {
    return new ClipFailure('too_late', `from the VOD: ${err.message}`);
  }
  return err;
}

/** Create Clip From VOD's own refusals, as reasons a viewer understands. */
function vodFailure(err: unknown): unknown {
  if (!(err instanceof HelixError)) return err;
  const detail = `${err.endpoint} ${err.kind} (${err.status}) ${err.twitchMessage}`.trim();
  switch (err.kind) {
    case 'missing_scope':
      return new ClipFailure('vod_scope_missing', detail);
    case 'forbidden':
      return new ClipFailure('vod_not_editor', detail);
    case 'not_found':
      return new ClipFailure('no_vod', detail);
    case 'bad_request':
      if (/greater than or equal to the duration/i.test(err.twitchMessage)) {
        return new ClipFailure('before_stream', detail);
      }
      if (/beyond the end/i.test(err.twitchMessage))
        return new ClipFailure('vod_not_ready', detail);
      return err;
    default:
      return err;
  }
}
