import { composeMessage, JOINED_NOTE } from './format.js';
import { CONTENT_BUDGET } from './text.js';

/** One requester an answer is for. */
export interface Addressee {
  /** The same person (Twitch user id) is named once however often they asked. */
  id: string;
  /** "@name"; '' when their display name has nothing sendable (answered, not named). */
  mention: string;
  /** Their chat message: a message naming them first is threaded under it. */
  parentMessageId?: string;
  /** They asked for a title or length the clip does not have: it was someone else's. */
  joined?: boolean;
}

/** A clip's answer in one channel; waiting answers with the same key become one message. */
export interface Answer {
  /** Equal keys carry the same body (the adapter uses the clip job and the body). */
  key: string;
  body: string;
  to: Addressee[];
}

/** The next message for the answers of one key that wait in a channel. */
export interface AnswerMessage {
  text: string;
  parentMessageId?: string;
  /** Everyone this message answers: named, or counted in "+N others". */
  answered: Set<string>;
}

/**
 * Names the waiting requesters, oldest answer first, as many as fit beside the body; the
 * rest wait for the next message. With `last`, nobody waits: those who do not fit are
 * counted as "+N others" (the clip's share of chat is used up). When anyone it answers
 * joined a clip someone else started, the message says so once (JOINED_NOTE).
 */
export function nextAnswerMessage(
  answers: readonly Answer[],
  opts: { last?: boolean; max?: number } = {},
): AnswerMessage {
  const max = opts.max ?? CONTENT_BUDGET;
  const body = answers[0]?.body ?? '';
  const people: Addressee[] = [];
  const seen = new Set<string>();
  for (const answer of answers) {
    for (const person of answer.to) {
      if (seen.has(person.id)) continue;
      seen.add(person.id);
      people.push(person);
    }
  }
  // Room is kept for the note whenever someone waiting may need it.
  const noted = `${body} ${JOINED_NOTE}`;
  const budgetBody = people.some((p) => p.joined) ? noted : body;
  let chosen: Addressee[];
  if (opts.last) {
    chosen = people;
  } else {
    // The longest run of names that fits; always one, or the answer could never leave.
    let length = budgetBody.length;
    let taken = 0;
    for (const person of people) {
      const extra = person.mention === '' ? 0 : person.mention.length + 1;
      if (taken > 0 && length + extra > max) break;
      length += extra;
      taken++;
    }
    chosen = people.slice(0, taken);
  }
  const names = chosen.map((p) => p.mention).filter((m) => m !== '');
  const message: AnswerMessage = {
    text: composeMessage(names, chosen.some((p) => p.joined) ? noted : body, max),
    answered: new Set(chosen.map((p) => p.id)),
  };
  const parent = chosen.find((p) => p.parentMessageId)?.parentMessageId;
  if (parent) message.parentMessageId = parent;
  return message;
}
