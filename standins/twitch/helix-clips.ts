import { HELIX_MESSAGES } from './messages.js';
import {
  boolParam,
  clipDuration,
  dateParam,
  fail,
  ok,
  required,
  requireUserScope,
  unique,
  type HelixContext,
} from './helix-context.js';
import { paginate } from './pagination.js';
import { editUrlJson } from './edit-url.js';
import { clipJson } from './serialize.js';
import type { ChannelRecord, ClipRecord, UserRecord } from './types.js';

const WEEK_MS = 7 * 24 * 3_600_000;
const MAX_TITLE = 100;

/**
 * POST /clips. Checks run in the order a caller can act on: parameters, token, channel
 * (live, then its clip settings), then the title.
 */
export function createClip(ctx: HelixContext) {
  const creator = requireUserScope(ctx, ['clips:edit']);
  const broadcasterId = required(ctx, 'broadcaster_id');
  const duration = clipDuration(ctx);
  const title = ctx.params.one('title');
  if (title !== undefined && title.length > MAX_TITLE) fail(400, HELIX_MESSAGES.titleTooLong);

  const broadcaster = ctx.world.userById(broadcasterId);
  if (!broadcaster) fail(400, HELIX_MESSAGES.unknownBroadcaster);
  const stream = ctx.world.stream(broadcaster.id);
  if (!stream) fail(404, HELIX_MESSAGES.notLive);
  const channel = ctx.world.channel(broadcaster.id);
  checkClipRights(channel, broadcaster, creator, HELIX_MESSAGES.banned);
  if (title !== undefined && ctx.world.titleBlocked(title)) fail(400, HELIX_MESSAGES.automod);

  const vodId = channel.liveVodId;
  const sinceStartS = Math.floor((ctx.now - stream.startedAt) / 1000);
  const clip = ctx.world.createClip({
    broadcasterId: broadcaster.id,
    creatorId: creator.id,
    // Twitch names an untitled clip after the stream.
    title: title && title.trim() ? title : stream.title,
    duration,
    videoId: vodId ?? '',
    vodOffset: vodId ? Math.max(0, Math.round(sinceStartS - duration)) : null,
    gameId: stream.gameId,
  });
  return ok({ data: [createdJson(clip, broadcaster.login)] }, 202);
}

/**
 * The 403s a channel's clip settings produce, in real Twitch's words (messages.ts); the
 * broadcaster may always clip. A scenario may set the channel's refusal text outright (a
 * text no client knows yet).
 */
export function checkClipRights(
  channel: Readonly<ChannelRecord>,
  broadcaster: UserRecord,
  creator: UserRecord,
  bannedMessage: string,
): void {
  const own = creator.id === broadcaster.id;
  if (channel.refusal !== undefined) fail(channel.refusal.status, channel.refusal.message);
  if (channel.clips === 'disabled') fail(403, HELIX_MESSAGES.clipsDisabled);
  if (!own && (channel.clips === 'followers' || channel.clips === 'subscribers'))
    fail(403, HELIX_MESSAGES.clipsRestricted);
  if (!own && channel.botBanned) fail(403, bannedMessage);
  // A 403 on real Twitch, not the reference's 400 (see messages.ts).
  if (!channel.clippable) fail(403, HELIX_MESSAGES.categoryRestricted);
}

export function createdJson(clip: ClipRecord, channelLogin: string) {
  return { id: clip.id, edit_url: editUrlJson(channelLogin, clip.id) };
}

/**
 * GET /clips by id (up to 100), or by broadcaster or game with a date window, most viewed
 * first. A clip still being processed is absent, as on Twitch.
 */
export function getClips(ctx: HelixContext) {
  const ids = ctx.params.all('id');
  const broadcasterId = ctx.params.one('broadcaster_id');
  const gameId = ctx.params.one('game_id');
  const given = [ids.length > 0, broadcasterId !== undefined, gameId !== undefined].filter(Boolean);
  if (given.length === 0) fail(400, HELIX_MESSAGES.clipsNoQuery);
  if (given.length > 1) fail(400, HELIX_MESSAGES.clipsExclusive);

  const { world, now } = ctx;
  if (ids.length > 0) {
    if (ids.length > 100) fail(400, HELIX_MESSAGES.tooManyIds);
    const data = unique(ids)
      .map((id) => world.clip(id))
      .filter((c): c is ClipRecord => c !== undefined && world.isVisible(c, now))
      .map((c) => clipJson(world, c));
    return ok({ data, pagination: {} });
  }

  let startedAt = dateParam(ctx, 'started_at');
  let endedAt = dateParam(ctx, 'ended_at');
  if (startedAt !== undefined && endedAt === undefined) endedAt = startedAt + WEEK_MS;
  if (endedAt !== undefined && startedAt === undefined) startedAt = 0;
  const featured = boolParam(ctx, 'is_featured');

  let pool: Iterable<ClipRecord>;
  if (broadcasterId !== undefined) pool = world.clipsOf(broadcasterId);
  else {
    if (!world.gameById(gameId!)) fail(404, HELIX_MESSAGES.gameNotFound);
    pool = [...world.allClips()].filter((c) => c.gameId === gameId);
  }
  const matching = [...pool]
    .filter(
      (c) =>
        world.isVisible(c, now) &&
        (startedAt === undefined || c.createdAt >= startedAt) &&
        (endedAt === undefined || c.createdAt <= endedAt) &&
        (featured === undefined || c.isFeatured === featured),
    )
    .sort((x, y) =>
      startedAt !== undefined && world.windowedClipOrder === 'created'
        ? y.createdAt - x.createdAt || x.id.localeCompare(y.id)
        : y.viewCount - x.viewCount || y.createdAt - x.createdAt || x.id.localeCompare(y.id),
    );
  const page = paginate(matching, ctx.params);
  return ok({ data: page.data.map((c) => clipJson(world, c)), pagination: page.pagination });
}
