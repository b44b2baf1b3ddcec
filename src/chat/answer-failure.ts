import type { Logger } from 'pino';
import { UserError, type IncomingCommand } from '../core/command.js';
import { bypassesCooldowns } from '../core/permissions.js';
import type { CooldownStore } from '../core/stores.js';
import { HelixError } from '../twitch/errors.js';

export const GENERIC_FAILURE = 'Something went wrong; it has been logged.';
/** A Helix outage (5xx, 429, timeouts, refused connections) after the client's own retries. */
export const TWITCH_UNAVAILABLE = "Twitch isn't answering right now, try again in a minute.";

/** Helix failures that say Twitch is down or busy, not that the request was wrong. */
function twitchUnavailable(err: unknown): boolean {
  return (
    err instanceof HelixError &&
    (err.kind === 'server_error' ||
      err.kind === 'timeout' ||
      err.kind === 'network' ||
      err.kind === 'rate_limited')
  );
}

export interface FailureAnswers {
  cooldowns: Pick<CooldownStore, 'shouldNotify'>;
  log: Logger;
  /** Twitch: the same mistake by the same viewer is answered once in this many seconds. */
  repeatedErrorS: number;
}

/**
 * The answer to a call that failed: a UserError's message, "Twitch isn't answering" for a
 * Helix outage, or (logged) a short generic one. Never throws: an adapter whose reply fails is logged.
 */
export async function answerFailure(
  input: IncomingCommand,
  command: string,
  err: unknown,
  { cooldowns, log, repeatedErrorS }: FailureAnswers,
): Promise<void> {
  let answer: string;
  if (err instanceof UserError) {
    answer = err.message;
  } else if (twitchUnavailable(err)) {
    // Not our fault and nothing to debug: the viewer hears why, the log says which call.
    log.warn(
      { err: { message: (err as Error).message }, command, platform: input.platform },
      'command failed: Twitch not answering',
    );
    answer = TWITCH_UNAVAILABLE;
  } else {
    log.error(
      { err, command, platform: input.platform, requestId: input.requestId },
      'command failed',
    );
    answer = GENERIC_FAILURE;
  }
  try {
    // A viewer repeating the same mistake in Twitch chat is told once, not every time.
    // Moderators always hear back: they are configuring and need every answer.
    if (input.platform === 'twitch' && !bypassesCooldowns(input.user)) {
      const where = input.twitchChannel?.id ?? 'direct';
      const key = `error:${where}:${input.user.id}:${command}:${answer.slice(0, 120)}`;
      if (!(await cooldowns.shouldNotify(key, repeatedErrorS))) return;
    }
    await input.reply(answer);
  } catch (replyErr) {
    log.warn({ err: replyErr, command }, 'could not answer a command');
  }
}
