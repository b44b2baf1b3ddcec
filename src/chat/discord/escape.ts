import { escapeMarkdown } from 'discord.js';

const ZWSP = '\u200b';
const URL_RE = /https?:\/\/[^\s<>]+/g;

/**
 * Breaks every mention that could ping so it renders as text, whatever allowed_mentions
 * says: @everyone, @here, users and roles. Channel links (<#id>) ping nobody and stay.
 */
export function neutraliseMentions(text: string): string {
  return text
    .replace(/@(everyone|here)/gi, `@${ZWSP}$1`)
    .replace(/<(@[!&]?)(\d+)>/g, `<$1${ZWSP}$2>`);
}

function escapePlain(text: string): string {
  const escaped = escapeMarkdown(text, {
    heading: true,
    bulletedList: true,
    numberedList: true,
  });
  // escapeMarkdown leaves block quotes alone, and cannot see a masked link once safeText
  // has cut its URL out: every bracket is escaped instead.
  return neutraliseMentions(escaped.replace(/^(\s*)>/gm, '$1\\>').replace(/[[\]]/g, '\\$&'));
}

/**
 * Text from users (titles, names, anything a router answer quotes) made inert for Discord:
 * no markdown, no mentions. Links stay clickable: escaping inside a URL would break it.
 */
export function safeText(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(URL_RE)) {
    const start = m.index;
    out += escapePlain(text.slice(last, start)) + m[0];
    last = start + m[0].length;
  }
  return out + escapePlain(text.slice(last));
}

/** Shortens to max characters, marking the cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** A URL safe to put in an embed or a masked link, or undefined. */
export function httpUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const u = new URL(value);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
    // A ')' would end a masked link early.
    return u.toString().replace(/\)/g, '%29').replace(/\(/g, '%28');
  } catch {
    return undefined;
  }
}

/** [label](url) with an escaped label; plain escaped label when the URL is not usable. */
export function link(label: string, url: string | undefined): string {
  const safe = httpUrl(url);
  const text = safeText(label);
  return safe ? `[${text}](${safe})` : text;
}
