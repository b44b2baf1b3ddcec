import type { APIEmbed } from 'discord.js';
import { TITLE_DROPPED_TEXT, WAIT_TEXT, failureText } from '../../clips/reasons.js';
import type { ClipRequest, ClipResult } from '../../core/clip.js';
import { clipWatchUrl, NOT_PUBLISHED_TEXT } from '../twitch/format.js';
import { unmetAsk } from '../twitch/joined-clip.js';
import { httpUrl, link, safeText, truncate } from './escape.js';
import { NO_MENTIONS, type DiscordMessageBody } from './message-body.js';

const TWITCH_PURPLE = 0x9146ff;
const AMBER = 0xe67e22;
const MAX_NAMES = 10;
/** Lines naming requesters who joined someone else's clip, before "and N more". */
const MAX_JOINED_LINES = 5;

export interface ClipMessageContext {
  /** 'reply': edits the asker's deferred reply. 'post': a channel linked to the Twitch channel. */
  kind: 'reply' | 'post';
}

/** "A, B and 3 more", escaped, one entry per person. */
export function askedBy(requests: readonly ClipRequest[]): string {
  const seen = new Set<string>();
  const names: string[] = [];
  for (const r of requests) {
    const key = `${r.requester.platform}:${r.requester.userId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // The bot asked on its own: what asked was chat's reaction, not the bot account.
    names.push(r.auto ? 'chat (automatic clip)' : safeText(r.requester.displayName));
  }
  if (names.length === 0) return 'someone';
  const shown = names.slice(0, MAX_NAMES);
  const more = names.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} more`;
  if (shown.length === 1) return shown[0] ?? '';
  return `${shown.slice(0, -1).join(', ')} and ${shown.at(-1) ?? ''}`;
}

function fromTwitchChat(requests: readonly ClipRequest[]): boolean {
  return requests.length > 0 && requests.every((r) => r.requester.platform === 'twitch');
}

function durationText(result: ClipResult, requests: readonly ClipRequest[]): string | undefined {
  // What the job asked for, when the result says; else the first request's (Twitch's clip
  // may be a fraction off what was asked).
  const asked = result.requested ? (result.requested.duration ?? 30) : requests[0]?.duration;
  const d = result.outcome.status === 'created' ? (result.outcome.clip.duration ?? asked) : asked;
  if (d === undefined) return undefined;
  return `${Math.round(d)} s`;
}

/**
 * One line per requester who asked for a title or length the clip does not have: they
 * joined a clip someone else had started.
 */
export function joinedLines(result: ClipResult, requests: readonly ClipRequest[]): string[] {
  const seen = new Set<string>();
  const lines: string[] = [];
  let more = 0;
  for (const r of requests) {
    const key = `${r.requester.platform}:${r.requester.userId}`;
    if (seen.has(key)) continue;
    const ask = unmetAsk(result, r);
    if (!ask) continue;
    seen.add(key);
    if (lines.length >= MAX_JOINED_LINES) {
      more++;
      continue;
    }
    const asked: string[] = [];
    if (ask.title !== undefined) asked.push(`the title “${truncate(safeText(ask.title), 100)}”`);
    if (ask.duration !== undefined) asked.push(`${Math.round(ask.duration)} s`);
    lines.push(
      `${safeText(r.requester.displayName)} joined a clip already being made (asked for ${asked.join(' and ')}).`,
    );
  }
  if (more > 0) lines.push(`${more} more joined it with other wishes.`);
  return lines;
}

/**
 * The answer for a finished clip job. Clip links no longer play inside Discord, so the
 * embed carries everything: title, channel, who asked, duration, thumbnail, watch and edit
 * links; the content repeats the watch link in <> so it stays usable without embeds.
 */
export function clipResultBody(
  result: ClipResult,
  requests: readonly ClipRequest[],
  ctx: ClipMessageContext,
): DiscordMessageBody {
  const channelName = safeText(result.broadcasterName || result.broadcasterLogin);
  const channelLink = link(
    result.broadcasterName || result.broadcasterLogin,
    `https://www.twitch.tv/${encodeURIComponent(result.broadcasterLogin)}`,
  );
  const who =
    askedBy(requests) +
    (ctx.kind === 'post' && fromTwitchChat(requests) ? ' (in Twitch chat)' : '');
  const vod = httpUrl(result.vodLink);
  const outcome = result.outcome;

  if (outcome.status === 'on_its_way') {
    // Edits the deferred reply; the result's edit replaces it (content and embeds).
    return { content: WAIT_TEXT[outcome.reason], embeds: [], allowed_mentions: NO_MENTIONS };
  }

  if (outcome.status === 'failed') {
    const lines = [`Could not clip ${channelName}: ${failureText(outcome)}`];
    if (ctx.kind === 'post') lines.push(`Asked by ${who}.`);
    if (vod) lines.push(`The moment in the stream's VOD: <${vod}>`);
    return {
      content: truncate(lines.join('\n'), 2000),
      embeds: [],
      allowed_mentions: NO_MENTIONS,
    };
  }

  const fields: NonNullable<APIEmbed['fields']> = [
    { name: 'Channel', value: channelLink, inline: true },
    { name: 'Asked by', value: truncate(who, 1024), inline: true },
  ];
  const duration = durationText(result, requests);
  if (duration) fields.push({ name: 'Duration', value: duration, inline: true });

  const joined = joinedLines(result, requests);

  if (outcome.status === 'not_visible') {
    // The edit link only opens for the bot's account; the watch link works for everyone
    // once Twitch publishes the clip.
    const watch = clipWatchUrl(outcome.clipId);
    const links = [
      link('Where it will appear', watch),
      link('Edit (bot account)', outcome.editUrl),
    ];
    if (vod) links.push(link('The moment in the VOD', vod));
    fields.push({ name: 'Links', value: links.join(' · ') });
    const notes = [`${NOT_PUBLISHED_TEXT} ${watch}`];
    if (outcome.titleDropped) notes.push(TITLE_DROPPED_TEXT);
    notes.push(...joined);
    return {
      content: `Clip of ${channelName} is not published yet; it may still appear here: <${watch}>`,
      embeds: [
        {
          title: 'Clip made, not published yet',
          description: truncate(notes.join('\n'), 4096),
          color: AMBER,
          fields,
          timestamp: new Date(result.finishedAt).toISOString(),
        },
      ],
      allowed_mentions: NO_MENTIONS,
    };
  }

  const clip = outcome.clip;
  const watch = httpUrl(clip.url);
  const links = [link('Watch the clip', clip.url), link('Edit or trim it', clip.editUrl)];
  if (vod) links.push(link('The moment in the VOD', vod));
  fields.push({ name: 'Links', value: links.join(' · ') });
  const notes = [`A clip of ${channelName} on Twitch.`];
  const auto = requests.find((r) => r.auto)?.auto;
  if (auto) {
    const token = auto.token ? ` (${safeText(auto.token)})` : '';
    notes.push(`Clipped automatically when chat erupted${token}.`);
  }
  if (outcome.titleDropped) notes.push(TITLE_DROPPED_TEXT);
  notes.push(...joined);
  const embed: APIEmbed = {
    title: truncate(safeText(clip.title || 'Untitled clip'), 256),
    description: truncate(notes.join('\n'), 4096),
    color: TWITCH_PURPLE,
    fields,
    footer: { text: 'Clips do not play inside Discord: open the link to watch.' },
    timestamp: isoTime(clip.createdAt) ?? new Date(result.finishedAt).toISOString(),
  };
  if (watch) embed.url = watch;
  const thumb = httpUrl(clip.thumbnailUrl);
  if (thumb) embed.thumbnail = { url: thumb };
  return {
    content: truncate(`Clip of ${channelName}: ${watch ? `<${watch}>` : safeText(clip.url)}`, 2000),
    embeds: [embed],
    allowed_mentions: NO_MENTIONS,
  };
}

function isoTime(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}
