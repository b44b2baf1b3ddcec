import type { Logger } from 'pino';
import type { RichReply } from '../../core/command.js';
import type { Metrics } from '../../ops/metrics.js';
import { safeText, truncate } from './escape.js';
import { EPHEMERAL_FLAG, replyBody } from './message-body.js';
import type { DiscordResponder } from './responder.js';

export type Reply = (answer: string | RichReply) => Promise<void>;

/** Answers through an acknowledged (deferred) interaction: edits, or follows up. */
export function interactionReply(
  responder: DiscordResponder,
  token: string,
  metrics: Metrics | undefined,
): Reply {
  let originalDeleted = false;
  return async (answer) => {
    const body = replyBody(answer);
    const ephemeral = typeof answer !== 'string' && answer.ephemeral === true;
    if (ephemeral) {
      // A deferred reply cannot turn ephemeral: answer privately, then remove the public one.
      await responder.followUp(token, { ...body, flags: EPHEMERAL_FLAG });
      if (!originalDeleted) {
        originalDeleted = true;
        await responder.deleteOriginal(token);
      }
    } else if (originalDeleted) {
      await responder.followUp(token, body);
    } else {
      await responder.editOriginal(token, body);
    }
    metrics?.chatMessagesSent.inc({ platform: 'discord' });
  };
}

/**
 * Answers a command whose acknowledgement failed (a 429 past Discord's 3 s deadline, a
 * network error): the interaction is dead, so the answer is an ordinary message in the
 * channel it was used in, naming who asked (no mention: nothing pings). An ephemeral
 * answer was meant for the asker alone and is not posted for everyone; it is logged.
 */
export function channelReply(
  responder: DiscordResponder,
  channelId: string,
  askerName: string,
  log: Logger,
  metrics: Metrics | undefined,
): Reply {
  return async (answer) => {
    if (typeof answer !== 'string' && answer.ephemeral === true) {
      log.info({ channelId }, 'private answer to an unacknowledged interaction not posted');
      return;
    }
    const body = replyBody(answer);
    const forWhom = `For ${safeText(askerName)}:`;
    const content = body.content ? `${forWhom} ${body.content}` : forWhom;
    await responder.postMessage(channelId, { ...body, content: truncate(content, 2000) });
    metrics?.chatMessagesSent.inc({ platform: 'discord' });
  };
}
