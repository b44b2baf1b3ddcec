import type { HelixApi, HelixVideo } from './helix.js';
import { parseTwitchDuration } from './vod-time.js';

/** The archive (past broadcast) that holds a moment of a channel's stream. */
export interface VodAt {
  video: HelixVideo;
  /** epoch ms the recording starts (the video's created_at) */
  startMs: number;
  /** Its length as Twitch last reported it; a live archive grows. */
  durationS: number;
  /** Still recording: the channel is live and this is its current stream's archive. */
  live: boolean;
}

export interface VodLookup {
  /** The channel is live now. */
  live: boolean;
  /** The archive holding the moment asked about, when there is one. */
  vod?: VodAt;
  /** The channel's newest archive, whatever it holds (for "the latest VOD" answers). */
  latest?: HelixVideo;
}

export interface VodLocatorOptions {
  helix: HelixApi;
  /**
   * How far apart a stream's started_at and its archive's created_at may be and still be
   * the same broadcast (the archive starts when the stream does, give or take seconds).
   */
  matchToleranceS?: number;
  /**
   * After a stream ends, a moment this close past the archive's reported end still counts
   * as inside it (the reported length is rounded and lags).
   */
  endGraceS?: number;
}

export const VOD_LOCATOR_DEFAULTS = {
  matchToleranceS: 600,
  endGraceS: 120,
} as const satisfies Partial<VodLocatorOptions>;

/**
 * Finds the VOD of a channel's stream at a moment: Get Streams for the live stream and
 * Get Videos (user_id, type=archive, first=1) for the newest archive, which is the current
 * stream's when its created_at matches the stream's started_at.
 */
export class VodLocator {
  constructor(private readonly opts: VodLocatorOptions) {}

  /**
   * `offline`: the caller has just seen the channel offline (Get Streams), so it is not
   * asked again; only an archive that ended can hold the moment.
   */
  async find(
    broadcasterId: string,
    atMs: number,
    opts: { offline?: boolean } = {},
  ): Promise<VodLookup> {
    const [streams, page] = await Promise.all([
      opts.offline ? [] : this.opts.helix.getStreams({ userIds: [broadcasterId] }),
      this.opts.helix.getVideos({ userId: broadcasterId, type: 'archive', first: 1 }),
    ]);
    const stream = streams.find((s) => s.user_id === broadcasterId);
    const latest = page.data.find((v) => v.type === 'archive');
    const live = stream !== undefined;
    if (!latest) return { live };
    const startMs = Date.parse(latest.created_at);
    if (Number.isNaN(startMs)) return { live, latest };
    const durationS = parseTwitchDuration(latest.duration) ?? 0;
    if (stream) {
      const sameStream =
        (latest.stream_id !== null && latest.stream_id !== '' && latest.stream_id === stream.id) ||
        Math.abs(startMs - Date.parse(stream.started_at)) <=
          (this.opts.matchToleranceS ?? VOD_LOCATOR_DEFAULTS.matchToleranceS) * 1000;
      // Live without an archive of this stream (past broadcasts off): the newest archive
      // is an older broadcast and holds nothing of now.
      if (!sameStream) return { live, latest };
      return { live, latest, vod: { video: latest, startMs, durationS, live: true } };
    }
    const endMs =
      startMs + (durationS + (this.opts.endGraceS ?? VOD_LOCATOR_DEFAULTS.endGraceS)) * 1000;
    if (atMs < startMs || atMs > endMs) return { live, latest };
    return { live, latest, vod: { video: latest, startMs, durationS, live: false } };
  }
}
