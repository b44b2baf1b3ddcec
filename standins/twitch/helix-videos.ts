import { HELIX_MESSAGES } from './messages.js';
import {
  clipDuration,
  enumParam,
  fail,
  ok,
  required,
  requireUserScope,
  unique,
  type HelixContext,
} from './helix-context.js';
import { checkClipRights, createdJson } from './helix-clips.js';
import { paginate, parseFirst } from './pagination.js';
import { videoJson } from './serialize.js';
import type { VideoRecord } from './types.js';

const DAY_MS = 24 * 3_600_000;
const PERIOD_MS = { all: Infinity, day: DAY_MS, week: 7 * DAY_MS, month: 30 * DAY_MS } as const;

/** POST /videos/clips: vod_offset is where the clip ENDS, so it must be >= duration. */
export function createClipFromVod(ctx: HelixContext) {
  const editor = requireUserScope(ctx, ['editor:manage:clips', 'channel:manage:clips']);
  const editorId = required(ctx, 'editor_id');
  const broadcasterId = required(ctx, 'broadcaster_id');
  const vodId = required(ctx, 'vod_id');
  const rawOffset = required(ctx, 'vod_offset');
  const title = required(ctx, 'title');
  if (!/^\d+$/.test(rawOffset)) fail(400, HELIX_MESSAGES.malformedParam('vod_offset'));
  const vodOffset = Number(rawOffset);
  const duration = clipDuration(ctx);

  if (editorId !== editor.id) fail(401, HELIX_MESSAGES.vodEditorMismatch);
  const broadcaster = ctx.world.userById(broadcasterId);
  if (!broadcaster) fail(404, HELIX_MESSAGES.vodUserMissing);
  const channel = ctx.world.channel(broadcaster.id);
  if (editor.id !== broadcaster.id && !channel.editors.has(editor.id))
    fail(403, HELIX_MESSAGES.vodEditorNotAllowed);
  const vod = ctx.world.video(vodId);
  if (!vod || vod.userId !== broadcaster.id) fail(404, HELIX_MESSAGES.vodNotFound);
  if (vodOffset < duration) fail(400, HELIX_MESSAGES.vodOffsetBeforeDuration);
  if (vodOffset > ctx.world.videoDurationS(vod, ctx.now))
    fail(400, HELIX_MESSAGES.vodOffsetBeyondEnd);
  checkClipRights(channel, broadcaster, editor, HELIX_MESSAGES.vodBanned);
  if (ctx.world.titleBlocked(title)) fail(400, HELIX_MESSAGES.automod);

  const clip = ctx.world.createClip({
    broadcasterId: broadcaster.id,
    creatorId: editor.id,
    title,
    duration,
    videoId: vod.id,
    vodOffset: Math.round(vodOffset - duration),
    gameId: vod.gameId,
  });
  return ok({ data: [createdJson(clip, broadcaster.login)] }, 202);
}

/** GET /videos by id (up to 100), or by user or game with filters, newest first by default. */
export function getVideos(ctx: HelixContext) {
  const ids = ctx.params.all('id');
  const userId = ctx.params.one('user_id');
  const gameId = ctx.params.one('game_id');
  const given = [ids.length > 0, userId !== undefined, gameId !== undefined].filter(Boolean);
  if (given.length === 0) fail(400, HELIX_MESSAGES.videosNoQuery);
  if (given.length > 1) fail(400, HELIX_MESSAGES.videosExclusive);
  const bad = HELIX_MESSAGES.videosBadEnum;
  const type = enumParam(
    ctx,
    'type',
    ['all', 'archive', 'highlight', 'upload'],
    'all',
    bad('type'),
  );
  const period = enumParam(ctx, 'period', ['all', 'day', 'week', 'month'], 'all', bad('period'));
  const sort = enumParam(ctx, 'sort', ['time', 'trending', 'views'], 'time', bad('sort'));
  parseFirst(ctx.params);
  const { world, now } = ctx;

  if (ids.length > 0) {
    if (ids.length > 100) fail(400, HELIX_MESSAGES.tooManyIds);
    const found = unique(ids)
      .map((id) => world.video(id))
      .filter((v): v is VideoRecord => v !== undefined);
    if (found.length === 0) fail(404, HELIX_MESSAGES.videosIdNotFound);
    return ok({ data: found.map((v) => videoJson(world, v, now)), pagination: {} });
  }

  if (gameId !== undefined && !world.gameById(gameId)) fail(404, HELIX_MESSAGES.videosGameNotFound);
  const language = gameId !== undefined ? ctx.params.one('language') : undefined;
  const matching = [...world.allVideos()]
    .filter(
      (v) =>
        (userId === undefined || v.userId === userId) &&
        (gameId === undefined || v.gameId === gameId) &&
        (type === 'all' || v.type === type) &&
        now - v.createdAt <= PERIOD_MS[period] &&
        (language === undefined || v.language.toLowerCase() === language.toLowerCase()),
    )
    .sort((x, y) =>
      sort === 'time'
        ? y.createdAt - x.createdAt || y.id.localeCompare(x.id)
        : y.viewCount - x.viewCount || y.createdAt - x.createdAt,
    );
  const page = paginate(matching, ctx.params);
  return ok({ data: page.data.map((v) => videoJson(world, v, now)), pagination: page.pagination });
}

/** DELETE /videos: up to 5, all the caller's own or none at all; unknown ids are ignored. */
export function deleteVideos(ctx: HelixContext) {
  const user = requireUserScope(ctx, ['channel:manage:videos']);
  const ids = unique(ctx.params.all('id'));
  if (ids.length === 0) fail(400, HELIX_MESSAGES.deleteNoId);
  if (ids.length > 5) fail(400, HELIX_MESSAGES.deleteTooMany);
  const found = ids
    .map((id) => ctx.world.video(id))
    .filter((v): v is VideoRecord => v !== undefined);
  if (found.some((v) => v.userId !== user.id)) fail(401, HELIX_MESSAGES.deleteNotOwner);
  for (const v of found) ctx.world.deleteVideo(v.id);
  return ok({ data: found.map((v) => v.id) });
}
