import type { APIAllowedMentions, APIEmbed } from 'discord.js';
import type { RichReply } from '../../core/command.js';
import { httpUrl, safeText, truncate } from './escape.js';

/**
 * No mention in a message pings anyone. Every body built here carries it, and
 * DiscordResponder sets it again on whatever it sends, so no message can go out without it.
 */
export const NO_MENTIONS: APIAllowedMentions = Object.freeze({ parse: [] }) as APIAllowedMentions;

/** The JSON body of a message create/edit, as sent over REST. */
export interface DiscordMessageBody {
  content: string;
  embeds: APIEmbed[];
  allowed_mentions: APIAllowedMentions;
  flags?: number;
}

export const EPHEMERAL_FLAG = 1 << 6;

/** Discord's limits, so a long answer is cut rather than refused. */
const LIMIT = {
  content: 2000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
} as const;

export function textBody(text: string): DiscordMessageBody {
  return {
    content: truncate(safeText(text), LIMIT.content),
    embeds: [],
    allowed_mentions: NO_MENTIONS,
  };
}

/**
 * A router answer as a Discord message. The router is platform-neutral, so everything in
 * the answer is treated as user text: escaped here, with links kept clickable.
 */
export function replyBody(answer: string | RichReply): DiscordMessageBody {
  if (typeof answer === 'string') return textBody(answer);
  const e = answer.embed;
  if (!e) return textBody(answer.text);
  const embed: APIEmbed = {};
  if (e.title) embed.title = truncate(safeText(e.title), LIMIT.title);
  const url = httpUrl(e.url);
  if (url) embed.url = url;
  if (e.description) embed.description = truncate(safeText(e.description), LIMIT.description);
  const fields = (e.fields ?? [])
    .filter((f) => f.name.trim() && f.value.trim())
    .slice(0, LIMIT.fields)
    .map((f) => ({
      name: truncate(safeText(f.name), LIMIT.fieldName),
      value: truncate(safeText(f.value), LIMIT.fieldValue),
      ...(f.inline === undefined ? {} : { inline: f.inline }),
    }));
  if (fields.length > 0) embed.fields = fields;
  const thumb = httpUrl(e.thumbnailUrl);
  if (thumb) embed.thumbnail = { url: thumb };
  if (e.footer) embed.footer = { text: truncate(safeText(e.footer), LIMIT.footer) };
  if (e.color !== undefined) embed.color = e.color;
  if (!embed.title && !embed.description && !embed.fields) {
    // An embed with nothing to show: the text says it all.
    return textBody(answer.text);
  }
  return { content: '', embeds: [embed], allowed_mentions: NO_MENTIONS };
}
