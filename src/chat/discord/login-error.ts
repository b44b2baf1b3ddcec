/**
 * The bot could not log in; the message says what to check. In a file of its own, free of
 * discord.js, so that a process without Discord configured never loads that library.
 */
export class DiscordLoginError extends Error {
  override readonly name = 'DiscordLoginError';
}
