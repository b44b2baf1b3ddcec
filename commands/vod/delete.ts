import { cleanText } from '../../src/core/chat-syntax.js';
import { parseTwitchDuration } from '../../src/core/vod-time.js';
import { HelixError, type HelixVideo } from '../../src/core/helix.js';
import type { PendingVodDeletion, PendingVodDeletions } from '../../src/core/stores.js';
import { lengthText, short, utcText } from '../library-text.js';
import { UserError, type CommandContext } from '../../src/core/command.js';

/** Twitch deletes at most 5 videos per call. */
export const MAX_DELETE = 5;
export const DELETE_SCOPE = 'channel:manage:videos';

export interface VodDeleteOptions {
  /**
   * The scopes of the broadcaster's own stored token (`clipbot auth --broadcaster`);
   * undefined when none is stored. Without this function the check is left to Twitch.
   */
  broadcasterScopes?: (broadcasterId: string) => Promise<string[] | undefined>;
  /**
   * Where deletions wait for the broadcaster's `!vod confirm CODE` in Twitch chat; without
   * it, deleting is off.
   */
  pending?: PendingVodDeletions;
  /**
   * @deprecated Ignored. Deletion used to be confirmed by the Discord manager who asked;
   * only the broadcaster confirms now (`pending`). Kept so older wiring still compiles.
   */
  confirmations?: unknown;
  /** How long the broadcaster has to confirm. Default 300 s. */
  confirmS?: number;
}

/** `broadcasterScopes` read from the token store (`clipbot auth --broadcaster` fills it). */
export function broadcasterScopesFrom(store: {
  get(kind: 'broadcaster', broadcasterId: string): Promise<{ scopes?: string[] } | undefined>;
}): (broadcasterId: string) => Promise<string[] | undefined> {
  return async (broadcasterId) => {
    const stored = await store.get('broadcaster', broadcasterId);
    // A token stored without its scopes: unknown, so the check is left to Twitch.
    return stored ? (stored.scopes ?? []) : undefined;
  };
}

/** Ids from "123 456", "123,456" or video links (twitch.tv/videos/123). */
export function parseVideoIds(text: string): string[] {
  const words = text.split(/[\s,;]+/).filter(Boolean);
  const ids: string[] = [];
  for (const word of words) {
    const m = /^(?:https?:\/\/)?(?:(?:www|m)\.)?twitch\.tv\/videos\/(\d{1,20})(?:[/?#].*)?$/i.exec(
      word,
    );
    const id = m?.[1] ?? (/^\d{1,20}$/.test(word) ? word : undefined);
    if (!id) throw new UserError(`"${cleanText(word, 40)}" is not a video id or video link.`);
    if (!ids.includes(id)) ids.push(id);
  }
  if (ids.length === 0) throw new UserError('Which videos? Give their ids or links.');
  if (ids.length > MAX_DELETE) {
    throw new UserError(`At most ${MAX_DELETE} videos at a time (Twitch's limit).`);
  }
  return ids;
}

function describe(v: HelixVideo): string {
  const created = Date.parse(v.created_at);
  const length = parseTwitchDuration(v.duration);
  const details = [
    v.type,
    Number.isNaN(created) ? undefined : utcText(created),
    length === undefined ? undefined : lengthText(length),
  ].filter(Boolean);
  return `${v.id} "${short(v.title, 60)}" (${details.join(', ')})`;
}

/** "5 min", "90 s". */
function periodText(s: number): string {
  return s >= 60 && s % 60 === 0 ? `${s / 60} min` : `${s} s`;
}

const plural = (n: number) => `${n} video${n === 1 ? '' : 's'}`;

function needsToken(name: string, what: string): UserError {
  return new UserError(
    `Deleting ${name}'s videos needs ${name}'s own Twitch authorization with ${DELETE_SCOPE}${what}: the broadcaster runs 'clipbot auth --broadcaster' with the bot's operator.`,
  );
}

export const VOD_DELETE_DEFAULTS = {
  confirmS: 300,
} as const satisfies Partial<VodDeleteOptions>;

/**
 * `/vod delete <ids>` (Discord, Manage Server, a channel this server linked) and
 * `!vod delete <ids>` (Twitch chat, the broadcaster): checks the videos and stores the
 * deletion under a short code. Nothing is deleted until the broadcaster confirms it.
 *
 * Why the broadcaster: `/clipbot link` proves nothing about who owns a Twitch channel, so
 * Manage Server on some Discord server must never be enough to spend the broadcaster's own
 * token on deleting their videos. In their chat, Twitch's tags prove who the broadcaster is.
 */
export function vodDeleteRequest(opts: VodDeleteOptions): (ctx: CommandContext) => Promise<void> {
  const confirmS = opts.confirmS ?? VOD_DELETE_DEFAULTS.confirmS;

  return async (ctx) => {
    const channel = ctx.twitchChannel;
    if (ctx.platform === 'discord' && !ctx.guildId) throw new UserError('Use this in a server.');
    if (!channel) throw new UserError('Which Twitch channel? Name one with the channel option.');
    const { links, helix, config } = ctx.services;
    // Manage Server on one server must never reach the videos of a channel it did not link.
    if (
      ctx.guildId &&
      !(await links.forGuild(ctx.guildId)).some((l) => l.twitch.id === channel.id)
    ) {
      throw new UserError(`${channel.displayName} is not linked to this server.`);
    }
    const name = channel.displayName;
    const ids = parseVideoIds(String(ctx.options.ids ?? ''));
    if (!opts.pending) throw new UserError('Deleting videos is not set up on this bot.');

    if (opts.broadcasterScopes) {
      const scopes = await opts.broadcasterScopes(channel.id);
      if (scopes === undefined) throw needsToken(name, '');
      if (scopes.length > 0 && !scopes.includes(DELETE_SCOPE)) {
        throw needsToken(name, ' (the stored one lacks it)');
      }
    }

    let videos: HelixVideo[] = [];
    try {
      videos = (await helix.getVideos({ ids })).data;
    } catch (err) {
      // Get Videos answers 404 when none of the ids exists.
      if (!(err instanceof HelixError && err.kind === 'not_found')) throw err;
    }
    const owned = videos.filter((v) => v.user_id === channel.id);
    const ownedIds = owned.map((v) => v.id);
    const skipped = ids.filter((id) => !ownedIds.includes(id));
    const skippedText =
      skipped.length > 0 ? ` Not ${name}'s videos or do not exist: ${skipped.join(', ')}.` : '';
    if (owned.length === 0) throw new UserError(`None of those is a video of ${name}.`);

    const deletion: PendingVodDeletion = {
      broadcasterId: channel.id,
      broadcasterName: name,
      videos: owned.map((v) => ({ id: v.id, title: v.title })),
      requestedBy: {
        platform: ctx.platform,
        userId: ctx.user.id,
        displayName: ctx.user.displayName,
        ...(ctx.guildId ? { guildId: ctx.guildId } : {}),
      },
      requestedAt: ctx.receivedAt,
    };
    const code = await opts.pending.create(deletion, confirmS);
    ctx.services.log.info(
      {
        platform: ctx.platform,
        guildId: ctx.guildId,
        by: ctx.user.id,
        broadcasterId: channel.id,
        videos: ownedIds,
      },
      'video deletion waits for the broadcaster',
    );
    const command = `${config.CHAT_COMMAND_PREFIX}vod confirm ${code}`;
    // Twitch chat holds 500 characters: there, titles are shorter and details left out.
    const list =
      ctx.platform === 'discord'
        ? owned.map(describe).join('; ')
        : owned.map((v) => `${v.id} "${short(v.title, 40)}"`).join(', ');
    const how =
      ctx.platform === 'discord'
        ? `Nothing is deleted until the broadcaster confirms with \`${command}\` in ${name}'s Twitch chat within ${periodText(confirmS)}.`
        : `Nothing is deleted until the broadcaster confirms with ${command} in Twitch chat within ${periodText(confirmS)}.`;
    await ctx.reply(
      `This deletes ${plural(owned.length)} of ${name}: ${list}.${skippedText} ${how}`,
    );
  };
}

/**
 * `!vod confirm CODE` (Twitch chat only): the broadcaster, in their own chat, confirms a
 * deletion asked for on Discord or in chat; the videos are deleted with their token.
 */
export function vodDeleteConfirm(opts: VodDeleteOptions): (ctx: CommandContext) => Promise<void> {
  const confirmS = opts.confirmS ?? VOD_DELETE_DEFAULTS.confirmS;

  return async (ctx) => {
    const channel = ctx.twitchChannel;
    // The router already asked for the broadcaster's role; the account itself is the proof
    // that cannot be mistaken (the room's id is the broadcaster's user id).
    if (
      ctx.platform !== 'twitch' ||
      !channel ||
      ctx.user.role !== 'broadcaster' ||
      ctx.user.id !== channel.id
    ) {
      throw new UserError('Only the broadcaster can confirm, in their own Twitch chat.');
    }
    if (!opts.pending) throw new UserError('Deleting videos is not set up on this bot.');
    const code = String(ctx.options.code ?? '');
    const deletion = await opts.pending.take(channel.id, code);
    if (!deletion) {
      throw new UserError(
        `No deletion waits for code ${cleanText(code, 12)} in this channel (codes last ${periodText(confirmS)}).`,
      );
    }
    const name = channel.displayName;
    const ids = deletion.videos.map((v) => v.id);

    let deleted: string[];
    try {
      deleted = await ctx.services.helix.deleteVideos(ids, channel.id);
    } catch (err) {
      if (err instanceof HelixError && ['unauthorized', 'missing_scope'].includes(err.kind)) {
        throw needsToken(name, '');
      }
      throw err;
    }
    ctx.services.log.info(
      {
        broadcasterId: channel.id,
        confirmedBy: ctx.user.id,
        requestedBy: deletion.requestedBy,
        deleted,
      },
      'videos deleted',
    );
    const kept = ids.filter((id) => !deleted.includes(id));
    const titles = new Map(deletion.videos.map((v) => [v.id, v.title]));
    const list = (xs: string[]) =>
      xs.map((id) => `${id} "${short(titles.get(id) ?? '', 40)}"`).join(', ');
    const parts = [
      deleted.length > 0
        ? `Deleted ${plural(deleted.length)} of ${name}: ${list(deleted)}.`
        : `No video of ${name} was deleted.`,
    ];
    if (kept.length > 0) parts.push(`Twitch did not delete: ${list(kept)}.`);
    await ctx.reply(parts.join(' '));
  };
}
