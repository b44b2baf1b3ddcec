import type { Logger } from 'pino';
import { UserError, type IncomingCommand } from '../core/command.js';
import { bypassesCooldowns } from '../core/permissions.js';
import type { CooldownStore } from '../core/stores.js';

export const GENERIC_FAILURE = 'Something went wrong; it has been logged.';

export interface FailureAnswers {
  cooldowns: Pick<CooldownStore, 'shouldNotify'>;
  log: Logger;
  /** Twitch: the same mistake by the same viewer is answered once in this many seconds. */
  repeatedErrorS: number;
}

/**
 * The answer to a call that failed: a UserError's message, or (logged) a short generic
 * one. Never throws: an adapter whose reply fails is logged.
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
