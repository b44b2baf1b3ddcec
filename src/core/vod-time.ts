/** Times and links inside a Twitch VOD. Pure. */

/** Twitch's `?t=` form with every unit spelled out: 0h2m5s, 1h0m0s. */
export function formatVodTime(totalS: number): string {
  const s = Number.isFinite(totalS) ? Math.max(0, Math.floor(totalS)) : 0;
  return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m${s % 60}s`;
}

/** Twitch's video length ("3h8m33s", "45m2s", "17s") in seconds; undefined when unreadable. */
export function parseTwitchDuration(text: string): number | undefined {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text.trim());
  if (!m || text.trim() === '') return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

/** Video ids are digits; anything else never reaches a link. */
const VIDEO_ID = /^\d{1,20}$/;

/** https://www.twitch.tv/videos/<id>?t=0h2m5s */
export function vodMomentUrl(videoId: string, offsetS: number): string {
  if (!VIDEO_ID.test(videoId)) throw new Error(`not a Twitch video id: ${videoId}`);
  return `https://www.twitch.tv/videos/${videoId}?t=${formatVodTime(offsetS)}`;
}

/**
 * A clip's place in its VOD as a link. Get Clips gives `vod_offset` as where the clip
 * STARTS (unlike Create Clip From VOD's, which is where it ends).
 */
export function clipVodUrl(clip: {
  video_id: string;
  vod_offset?: number | null;
}): string | undefined {
  if (!VIDEO_ID.test(clip.video_id)) return undefined;
  // A clip may carry video_id without vod_offset (null, or absent altogether): a link to
  // the VOD's start beats `?t=NaNhNaNmNaNs`.
  const offset = clip.vod_offset;
  return typeof offset === 'number' && Number.isFinite(offset)
    ? vodMomentUrl(clip.video_id, offset)
    : `https://www.twitch.tv/videos/${clip.video_id}`;
}
