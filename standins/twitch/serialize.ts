import type {
  HelixClip,
  HelixGame,
  HelixStream,
  HelixUser,
  HelixVideo,
} from '../../src/twitch/types.js';
import type { ClipRecord, GameRecord, StreamRecord, UserRecord, VideoRecord } from './types.js';
import type { World } from './world.js';

/** Records in Twitch's wire shape (the types the Helix client parses). */

const CDN = 'https://static-cdn.jtvnw.net';

/** Twitch's timestamps carry whole seconds: 2024-01-02T03:04:05Z. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Twitch's video length format, such as "3h8m33s". */
export function twitchDuration(totalS: number): string {
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const s = totalS % 60;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}

export function userJson(u: UserRecord): HelixUser {
  return {
    id: u.id,
    login: u.login,
    display_name: u.displayName,
    type: '',
    broadcaster_type: '',
    description: '',
    profile_image_url: `${CDN}/jtv_user_pictures/${u.login}-profile_image-300x300.png`,
    offline_image_url: '',
    view_count: 0,
    created_at: rfc3339(u.createdAt),
  };
}

export function streamJson(u: UserRecord, s: StreamRecord): HelixStream {
  return {
    id: s.id,
    user_id: u.id,
    user_login: u.login,
    user_name: u.displayName,
    game_id: s.gameId,
    game_name: s.gameName,
    type: 'live',
    title: s.title,
    tags: [],
    viewer_count: s.viewerCount,
    started_at: rfc3339(s.startedAt),
    language: s.language,
    thumbnail_url: `${CDN}/previews-ttv/live_user_${u.login}-{width}x{height}.jpg`,
    tag_ids: [],
    is_mature: false,
  };
}

export function clipJson(world: World, c: ClipRecord): HelixClip {
  const broadcaster = world.userById(c.broadcasterId);
  const creator = world.userById(c.creatorId);
  return {
    id: c.id,
    url: `https://clips.twitch.tv/${c.id}`,
    embed_url: `https://clips.twitch.tv/embed?clip=${c.id}`,
    broadcaster_id: c.broadcasterId,
    broadcaster_name: broadcaster?.displayName ?? '',
    creator_id: c.creatorId,
    creator_name: creator?.displayName ?? '',
    video_id: c.videoId,
    game_id: c.gameId,
    language: c.language,
    title: c.title,
    view_count: c.viewCount,
    created_at: rfc3339(c.createdAt),
    thumbnail_url: `${CDN}/twitch-clips-thumbnails-prod/${c.id}/preview-480x272.jpg`,
    duration: c.duration,
    vod_offset: c.vodOffset,
    is_featured: c.isFeatured,
  };
}

export function videoJson(world: World, v: VideoRecord, now: number): HelixVideo {
  const user = world.userById(v.userId);
  const live = v.durationS === null;
  return {
    id: v.id,
    stream_id: v.streamId,
    user_id: v.userId,
    user_login: user?.login ?? '',
    user_name: user?.displayName ?? '',
    title: v.title,
    description: '',
    created_at: rfc3339(v.createdAt),
    published_at: rfc3339(v.createdAt),
    url: `https://www.twitch.tv/videos/${v.id}`,
    // Twitch has no thumbnail for a VOD that is still recording.
    thumbnail_url: live ? '' : `${CDN}/cf_vods/standin/${v.id}/thumb/thumb0-%{width}x%{height}.jpg`,
    viewable: 'public',
    view_count: v.viewCount,
    language: v.language,
    type: v.type,
    duration: twitchDuration(world.videoDurationS(v, now)),
    muted_segments: null,
  };
}

export function gameJson(g: GameRecord): HelixGame {
  return {
    id: g.id,
    name: g.name,
    box_art_url: `${CDN}/ttv-boxart/${g.id}-{width}x{height}.jpg`,
    igdb_id: '',
  };
}
