import { z } from 'zod';
import type { ClipRequest, Platform, ReplyEnvelope } from './clip.js';

/**
 * How a ReplyEnvelope is stored as one entry of a reply stream: flat field/value pairs,
 * each value JSON encoded here. The Lua scripts never build or read an envelope: they get
 * the fields already encoded (ARGV) and only append the stored result under
 * REPLY_FIELDS.result, so this file is the envelope's one definition.
 */
export const REPLY_FIELDS = {
  platform: 'platform',
  result: 'result',
  /** Absent unless the entry is a post to a linked Discord channel. */
  post: 'post',
  /** Repeated: one field per request answered. */
  request: 'request',
} as const;

/** The field the versions before this codec stored the whole envelope in (as JSON). */
const LEGACY_FIELD = 'e';

/** An entry's fields from parts already JSON encoded (requests straight from Redis). */
export function replyEntryFields(parts: {
  platform: Platform;
  result?: string;
  requests: readonly string[];
  post?: string;
}): string[] {
  const fields: string[] = [REPLY_FIELDS.platform, parts.platform];
  if (parts.result !== undefined) fields.push(REPLY_FIELDS.result, parts.result);
  if (parts.post !== undefined) fields.push(REPLY_FIELDS.post, parts.post);
  for (const r of parts.requests) fields.push(REPLY_FIELDS.request, r);
  return fields;
}

export function encodeReplyEntry(envelope: ReplyEnvelope): string[] {
  return replyEntryFields({
    platform: envelope.platform,
    result: JSON.stringify(envelope.result),
    requests: envelope.requests.map((r) => JSON.stringify(r)),
    ...(envelope.post ? { post: JSON.stringify(envelope.post) } : {}),
  });
}

const platform = z.enum(['twitch', 'discord']);

/** What delivery relies on; other fields pass through untouched. */
const requestSchema = z.looseObject({
  requestId: z.string(),
  replyTo: z.looseObject({ platform }),
});

/** A requester list item: also who asked, for the channel's recent clips. */
const storedRequestSchema = requestSchema.extend({
  requester: z.looseObject({ platform, userId: z.string(), displayName: z.string() }),
});

const resultSchema = z.looseObject({
  jobId: z.string(),
  broadcasterId: z.string(),
  outcome: z.looseObject({ status: z.enum(['created', 'not_visible', 'failed', 'on_its_way']) }),
  finishedAt: z.number(),
});

const envelopeSchema = z.object({
  platform,
  result: resultSchema,
  requests: z.array(requestSchema),
  post: z.object({ guildId: z.string(), channelId: z.string() }).optional(),
});

/** A stored request (a requester list item), or undefined when it is damaged. */
export function decodeClipRequest(raw: string): ClipRequest | undefined {
  const parsed = storedRequestSchema.safeParse(parseJson(raw));
  return parsed.success ? (parsed.data as unknown as ClipRequest) : undefined;
}

/** A reply stream entry's fields (as XREADGROUP returns them); undefined: unreadable. */
export function decodeReplyEntry(
  fields: readonly string[] | null | undefined,
): ReplyEnvelope | undefined {
  if (!fields) return undefined;
  const values = new Map<string, string>();
  const requests: unknown[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i]!;
    const value = fields[i + 1]!;
    if (name === REPLY_FIELDS.request) requests.push(parseJson(value));
    else values.set(name, value);
  }
  const legacy = values.get(LEGACY_FIELD);
  const candidate =
    legacy !== undefined
      ? parseJson(legacy)
      : {
          platform: values.get(REPLY_FIELDS.platform),
          result: parseJson(values.get(REPLY_FIELDS.result)),
          requests,
          ...(values.has(REPLY_FIELDS.post)
            ? { post: parseJson(values.get(REPLY_FIELDS.post)) }
            : {}),
        };
  const parsed = envelopeSchema.safeParse(candidate);
  return parsed.success ? (parsed.data as unknown as ReplyEnvelope) : undefined;
}

function parseJson(raw: string | undefined): unknown {
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}
