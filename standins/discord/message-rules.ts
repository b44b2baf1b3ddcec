import type { APIAllowedMentions, APIEmbed } from 'discord.js';
import { errors } from './http-util.js';

/** The parts of a message body the stand-in understands and records. */
export interface MessageBody {
  content?: string;
  embeds?: APIEmbed[];
  allowed_mentions?: APIAllowedMentions;
  flags?: number;
  components?: unknown[];
  attachments?: unknown[];
  tts?: boolean;
}

/** Discord's documented message limits (Create Message and the embed limits). */
export const LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  authorName: 256,
  embedTotal: 6000,
} as const;

function isUrl(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  try {
    const u = new URL(v);
    return ['http:', 'https:', 'attachment:'].includes(u.protocol);
  } catch {
    return false;
  }
}

/**
 * Checks a message body the way Discord does, so a body Discord would refuse is refused
 * here too (400, code 50035) rather than passing silently in tests.
 */
export function validateMessageBody(raw: unknown, mode: 'create' | 'edit'): MessageBody {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw errors.invalidForm({ _root: 'body must be an object' });
  }
  const body = raw as MessageBody;
  const problems: Record<string, string> = {};
  const len = (path: string, v: unknown, max: number, required = false) => {
    if (v === undefined || v === null) {
      if (required) problems[path] = 'This field is required';
      return 0;
    }
    if (typeof v !== 'string') {
      problems[path] = 'Must be a string';
      return 0;
    }
    if (required && v.length === 0) problems[path] = 'This field is required';
    if (v.length > max) problems[path] = `Must be ${max} or fewer in length.`;
    return v.length;
  };
  len('content', body.content, LIMITS.content);
  if (body.embeds !== undefined && body.embeds !== null) {
    if (!Array.isArray(body.embeds)) problems.embeds = 'Must be an array';
    else {
      if (body.embeds.length > LIMITS.embeds) problems.embeds = 'Must be 10 or fewer in length.';
      let total = 0;
      body.embeds.forEach((e, i) => {
        const p = `embeds.${i}`;
        total += len(`${p}.title`, e.title, LIMITS.title);
        total += len(`${p}.description`, e.description, LIMITS.description);
        if (e.url !== undefined && !isUrl(e.url)) problems[`${p}.url`] = 'Not a well formed URL.';
        if (e.thumbnail && !isUrl(e.thumbnail.url))
          problems[`${p}.thumbnail.url`] = 'Not a well formed URL.';
        if (e.image && !isUrl(e.image.url)) problems[`${p}.image.url`] = 'Not a well formed URL.';
        if (e.footer) total += len(`${p}.footer.text`, e.footer.text, LIMITS.footer, true);
        if (e.author) total += len(`${p}.author.name`, e.author.name, LIMITS.authorName, true);
        if (
          e.color !== undefined &&
          (!Number.isInteger(e.color) || e.color < 0 || e.color > 0xffffff)
        )
          problems[`${p}.color`] = 'Must be an integer 0..16777215';
        const fields = e.fields ?? [];
        if (fields.length > LIMITS.fields)
          problems[`${p}.fields`] = 'Must be 25 or fewer in length.';
        fields.forEach((f, j) => {
          total += len(`${p}.fields.${j}.name`, f.name, LIMITS.fieldName, true);
          total += len(`${p}.fields.${j}.value`, f.value, LIMITS.fieldValue, true);
        });
      });
      if (total > LIMITS.embedTotal) problems.embeds = 'Embed size exceeds maximum size of 6000';
    }
  }
  const am = body.allowed_mentions;
  if (am !== undefined) {
    const parse = am.parse ?? [];
    if (!parse.every((p) => ['roles', 'users', 'everyone'].includes(p)))
      problems['allowed_mentions.parse'] = 'Value must be one of {roles, users, everyone}.';
    if (parse.includes('users' as never) && am.users?.length)
      problems['allowed_mentions'] = 'parse:["users"] and users: [ids] are mutually exclusive.';
    if (parse.includes('roles' as never) && am.roles?.length)
      problems['allowed_mentions'] = 'parse:["roles"] and roles: [ids] are mutually exclusive.';
  }
  if (Object.keys(problems).length > 0) throw errors.invalidForm(problems);
  const empty = !body.content && !(body.embeds?.length ?? 0) && !(body.components?.length ?? 0);
  if (mode === 'create' && empty) throw errors.emptyMessage();
  return body;
}

export interface Ping {
  kind: 'everyone' | 'here' | 'user' | 'role';
  id?: string;
}

/**
 * The mentions in a message that would notify someone, by Discord's rules: only the
 * content pings (never embeds), and allowed_mentions (absent = everything) filters them.
 */
export function pingsIn(body: Pick<MessageBody, 'content' | 'allowed_mentions'>): Ping[] {
  const content = body.content ?? '';
  const am = body.allowed_mentions;
  const parse = am ? (am.parse ?? []) : ['everyone', 'users', 'roles'];
  const pings: Ping[] = [];
  for (const m of content.matchAll(/@(everyone|here)\b/g)) {
    if (parse.includes('everyone')) pings.push({ kind: m[1] as 'everyone' | 'here' });
  }
  for (const m of content.matchAll(/<@!?(\d+)>/g)) {
    const id = m[1] ?? '';
    if (parse.includes('users') || (am?.users ?? []).includes(id)) pings.push({ kind: 'user', id });
  }
  for (const m of content.matchAll(/<@&(\d+)>/g)) {
    const id = m[1] ?? '';
    if (parse.includes('roles') || (am?.roles ?? []).includes(id)) pings.push({ kind: 'role', id });
  }
  return pings;
}
