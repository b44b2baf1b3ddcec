/**
 * What a NOTICE refusing one of the bot's messages means for it. Twitch answers every
 * PRIVMSG it will not show with a NOTICE whose msg-id says why (see
 * https://dev.twitch.tv/docs/irc/msg-id/); the message is gone either way.
 */
export interface Rejection {
  msgId: string;
  /** Twitch's words (never shown to viewers; logged). */
  text: string;
  /**
   * 'retry': the same words may go later (slow mode, too fast, a repeat).
   * 'message': this message will never be shown (AutoMod, characters), others may.
   * 'channel': nothing the bot says there will be shown for a while (ban, timeout, a chat
   * mode the bot cannot meet).
   */
  scope: 'retry' | 'message' | 'channel';
  /** Short token for logs and UndeliverableError.reason. */
  reason: string;
  /** When Twitch says how long: slow mode's wait, a timeout's length. */
  forMs?: number;
  /** The chat mode behind it: the refusal ends when a ROOMSTATE turns the mode off. */
  mode?: 'subsOnly' | 'followersOnly' | 'emoteOnly';
  /** The refusal was for repeating a message: the next try must read differently. */
  repeat?: boolean;
}

type Kind = Omit<Rejection, 'msgId' | 'text' | 'forMs'>;

const KINDS: Record<string, Kind> = {
  msg_slowmode: { scope: 'retry', reason: 'slow_mode' },
  msg_ratelimit: { scope: 'retry', reason: 'rate_limited' },
  msg_duplicate: { scope: 'retry', reason: 'duplicate', repeat: true },
  msg_r9k: { scope: 'retry', reason: 'unique_chat', repeat: true },
  msg_subsonly: { scope: 'channel', reason: 'subs_only', mode: 'subsOnly' },
  msg_followersonly: { scope: 'channel', reason: 'followers_only', mode: 'followersOnly' },
  msg_followersonly_zero: { scope: 'channel', reason: 'followers_only', mode: 'followersOnly' },
  msg_followersonly_followed: {
    scope: 'channel',
    reason: 'followers_only',
    mode: 'followersOnly',
  },
  msg_emoteonly: { scope: 'channel', reason: 'emote_only', mode: 'emoteOnly' },
  msg_timedout: { scope: 'channel', reason: 'timed_out' },
  msg_banned: { scope: 'channel', reason: 'banned' },
  msg_channel_blocked: { scope: 'channel', reason: 'banned' },
  msg_verified_email: { scope: 'channel', reason: 'verified_email' },
  msg_requires_verified_phone_number: { scope: 'channel', reason: 'verified_phone' },
  msg_channel_suspended: { scope: 'channel', reason: 'channel_suspended' },
  msg_room_not_found: { scope: 'channel', reason: 'channel_suspended' },
  msg_suspended: { scope: 'channel', reason: 'account_suspended' },
  tos_ban: { scope: 'channel', reason: 'channel_suspended' },
  msg_rejected: { scope: 'message', reason: 'automod' },
  msg_rejected_mandatory: { scope: 'message', reason: 'automod' },
  msg_bad_characters: { scope: 'message', reason: 'bad_characters' },
  msg_censored_broadcaster: { scope: 'message', reason: 'censored' },
};

/**
 * The NOTICE as a refusal of the bot's last message, or undefined when it is something
 * else (a mode announced, a command's answer). An unknown msg_* is taken as a refusal of
 * that one message: Twitch names every "message not sent" that way.
 */
export function readRejection(msgId: string, text: string): Rejection | undefined {
  const kind =
    KINDS[msgId] ?? (msgId.startsWith('msg_') ? { scope: 'message', reason: msgId } : undefined);
  if (!kind) return undefined;
  const out: Rejection = { msgId, text, ...kind };
  const seconds = /(\d+)\s+(?:more\s+)?seconds?/i.exec(text)?.[1];
  if (seconds !== undefined && (msgId === 'msg_slowmode' || msgId === 'msg_timedout')) {
    out.forMs = Number(seconds) * 1000;
  }
  return out;
}
