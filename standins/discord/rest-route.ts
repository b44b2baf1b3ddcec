import { type MessageBody } from './message-rules.js';
import type { StoredInteraction, StoredMessage } from './model.js';
import type { StandInState } from './state.js';

export type Json = Record<string, unknown>;

export interface Ctx {
  params: Record<string, string>;
  query: URLSearchParams;
  body: () => Promise<unknown>;
}

/** A handler's answer: a status and JSON, or 204 when body is undefined. */
export interface Answer {
  status: number;
  body?: unknown;
}

export interface Route {
  method: string;
  pattern: string;
  auth: boolean;
  run: (ctx: Ctx) => Answer | Promise<Answer>;
}

export const EPHEMERAL = 1 << 6;
export const LOADING = 1 << 7;

export const ok = (body: unknown, status = 200): Answer => ({ status, body });

/** A message as the stand-in stores it, from a validated body. */
export function newMessage(
  state: StandInState,
  body: MessageBody,
  channelId: string,
  guildId: string | undefined,
  type: number,
  interaction?: StoredInteraction,
  flags = body.flags ?? 0,
): StoredMessage {
  return {
    id: state.ids.next(),
    channelId,
    ...(guildId ? { guildId } : {}),
    type,
    content: body.content ?? '',
    embeds: body.embeds ?? [],
    flags,
    allowedMentions: body.allowed_mentions,
    createdAt: Date.now(),
    ...(interaction ? { interactionId: interaction.id, webhookId: state.applicationId } : {}),
  };
}
