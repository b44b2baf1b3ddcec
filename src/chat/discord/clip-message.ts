import type { APIEmbed } from 'discord.js';
import { FAILURE_TEXT, NOT_VISIBLE_TEXT, TITLE_DROPPED_TEXT } from '../../clips/reasons.js';
import type { ClipRequest, ClipResult } from '../../clips/types.js';
import { httpUrl, link, safeText, truncate } from './escape.js';
import type { DiscordMessageBody } from './message-body.js';

const TWITCH_PURPLE = 0x9146ff;
const AMBER = 0xe67e22;
const MAX_NAMES = 10;

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
    names.push(safeText(r.requester.displayName));
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
  const d =
    result.outcome.status === 'created'
      ? (result.outcome.clip.duration ?? requests[0]?.duration)
      : requests[0]?.duration;
  if (d === undefined) return undefined;
  return `${Math.round(d)} s`;
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

  if (outcome.status === 'failed') {
    const lines = [`Could not clip ${channelName}: ${FAILURE_TEXT[outcome.reason]}`];
    if (ctx.kind === 'post') lines.push(`Asked by ${who}.`);
    if (vod) lines.push(`The moment in the stream's VOD: <${vod}>`);
    return {
      content: truncate(lines.join('\n'), 2000),
      embeds: [],
      allowed_mentions: { parse: [] },
    };
  }

  const fields: NonNullable<APIEmbed['fields']> = [
    { name: 'Channel', value: channelLink, inline: true },
    { name: 'Asked by', value: truncate(who, 1024), inline: true },
  ];
  const duration = durationText(result, requests);
  if (duration) fields.push({ name: 'Duration', value: duration, inline: true });

  if (outcome.status === 'not_visible') {
    const links = [link('Edit the clip', outcome.editUrl)];
    if (vod) links.push(link('The moment in the VOD', vod));
    fields.push({ name: 'Links', value: links.join(' · ') });
    const notes = [NOT_VISIBLE_TEXT];
    if (outcome.titleDropped) notes.push(TITLE_DROPPED_TEXT);
    return {
      content: `Clip of ${channelName} is not published yet.`,
      embeds: [
        {
          title: 'Clip made, not published yet',
          description: notes.join('\n'),
          color: AMBER,
          fields,
          timestamp: new Date(result.finishedAt).toISOString(),
        },
      ],
      allowed_mentions: { parse: [] },
    };
  }

  const clip = outcome.clip;
  const watch = httpUrl(clip.url);
  const links = [link('Watch the clip', clip.url), link('Edit or trim it', clip.editUrl)];
  if (vod) links.push(link('The moment in the VOD', vod));
  fields.push({ name: 'Links', value: links.join(' · ') });
  const notes = [`A clip of ${channelName} on Twitch.`];
  if (outcome.titleDropped) notes.push(TITLE_DROPPED_TEXT);
  const embed: APIEmbed = {
    title: truncate(safeText(clip.title || 'Untitled clip'), 256),
    description: notes.join('\n'),
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
    allowed_mentions: { parse: [] },
  };
}

function isoTime(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}
