import { cleanText } from '../src/chat/chat-syntax.js';
import type { VodDeleteConfirmations } from '../src/clips/vod-delete-confirmations.js';
import { parseTwitchDuration } from '../src/clips/vod-time.js';
import { HelixError } from '../src/twitch/errors.js';
import type { HelixVideo } from '../src/twitch/types.js';
import { lengthText, short, utcText } from './library-text.js';
import { UserError, type CommandContext } from './types.js';

/** Twitch deletes at most 5 videos per call. */
export const MAX_DELETE = 5;
export const DELETE_SCOPE = 'channel:manage:videos';

export interface VodDeleteOptions {
  /**
   * The scopes of the broadcaster's own stored token (`clipbot auth --broadcaster`);
   * undefined when none is stored. Without this function the check is left to Twitch.
   */
  broadcasterScopes?: (broadcasterId: string) => Promise<string[] | undefined>;
  /** Where first calls wait for their confirmation; without it, deleting is off. */
  confirmations?: Pick<VodDeleteConfirmations, 'remember' | 'confirm'>;
  /** How long a confirmation may take. Default 60 s. */
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

function needsToken(name: string, what: string): UserError {
  return new UserError(
    `Deleting ${name}'s videos needs ${name}'s own Twitch authorization with ${DELETE_SCOPE}${what}: the broadcaster runs \`clipbot auth --broadcaster\` with the bot's operator.`,
  );
}

/** The handler of `/vod delete`. */
export function vodDelete(opts: VodDeleteOptions): (ctx: CommandContext) => Promise<void> {
  const confirmS = opts.confirmS ?? 60;

  return async (ctx) => {
    const channel = ctx.twitchChannel;
    if (!ctx.guildId) throw new UserError('Use this in a server.');
    if (!channel) throw new UserError('Which Twitch channel? Name one with the channel option.');
    const { links, helix } = ctx.services;
    // Manage Server on one server must never reach the videos of a channel it did not link.
    if (!(await links.forGuild(ctx.guildId)).some((l) => l.twitch.id === channel.id)) {
      throw new UserError(`${channel.displayName} is not linked to this server.`);
    }
    const name = channel.displayName;
    const ids = parseVideoIds(String(ctx.options.ids ?? ''));
    if (!opts.confirmations) throw new UserError('Deleting videos is not set up on this bot.');

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

    const who = `${ctx.guildId}:${ctx.user.id}:${channel.id}`;
    if (ctx.options.confirm !== true) {
      await opts.confirmations.remember(who, ownedIds, confirmS);
      await ctx.reply(
        `This deletes ${owned.length} video${owned.length === 1 ? '' : 's'} of ${name}: ` +
          `${owned.map(describe).join('; ')}.${skippedText} ` +
          `To go ahead, run /vod delete again with the same ids and confirm: True within ${confirmS} s.`,
      );
      return;
    }
    if (!(await opts.confirmations.confirm(who, ownedIds))) {
      throw new UserError(
        `Nothing to confirm for these videos: run /vod delete without confirm first, then confirm within ${confirmS} s.`,
      );
    }

    let deleted: string[];
    try {
      deleted = await helix.deleteVideos(ownedIds, channel.id);
    } catch (err) {
      if (err instanceof HelixError && ['unauthorized', 'missing_scope'].includes(err.kind)) {
        throw needsToken(name, '');
      }
      throw err;
    }
    ctx.services.log.info(
      { guildId: ctx.guildId, by: ctx.user.id, broadcasterId: channel.id, deleted },
      'videos deleted',
    );
    const kept = ownedIds.filter((id) => !deleted.includes(id));
    const byId = new Map(owned.map((v) => [v.id, v]));
    const list = (xs: string[]) =>
      xs.map((id) => `${id} "${short(byId.get(id)?.title ?? '', 60)}"`).join(', ');
    const parts = [
      deleted.length > 0
        ? `Deleted ${deleted.length} video${deleted.length === 1 ? '' : 's'} of ${name}: ${list(deleted)}.`
        : `No video of ${name} was deleted.`,
    ];
    if (kept.length > 0) parts.push(`Twitch did not delete: ${list(kept)}.`);
    await ctx.reply(parts.join(' ') + skippedText);
  };
}
