/**
 * Twitch's NOTICE texts, word for word where Twitch's msg-id reference gives them, for the
 * notices the stand-in sends: a message of the bot refused, and a room's chat mode changed.
 */

export interface Notice {
  msgId: string;
  text: string;
}

const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** Twitch writes followers-only durations as "10 minutes", "1 hour"... */
export function followersDuration(minutes: number): string {
  if (minutes > 0 && minutes % 1440 === 0) return plural(minutes / 1440, 'day');
  if (minutes > 0 && minutes % 60 === 0) return plural(minutes / 60, 'hour');
  return plural(minutes, 'minute');
}

/** Why a PRIVMSG of the bot was not sent. */
export const REFUSAL = {
  /** Also the answer to a JOIN (robotty/twitch-irc-rs src/message/commands/notice.rs). */
  banned: (channel: string): Notice => ({
    msgId: 'msg_banned',
    text: `You are permanently banned from talking in ${channel}.`,
  }),
  timedOut: (seconds: number): Notice => ({
    msgId: 'msg_timedout',
    text: `You are timed out for ${seconds} more seconds.`,
  }),
  /**
   * A JOIN of a suspended (or unknown) channel; tmi.js rejects the join with the msg-id.
   * Text as in robotty/dank-twitch-irc lib/operations/join.spec.ts.
   */
  channelSuspended: (): Notice => ({
    msgId: 'msg_channel_suspended',
    text: 'This channel has been suspended.',
  }),
  verifiedEmail: (): Notice => ({
    msgId: 'msg_verified_email',
    text: 'This room requires a verified account to chat. Please verify your account at https://www.twitch.tv/settings/security.',
  }),
  emoteOnly: (): Notice => ({
    msgId: 'msg_emoteonly',
    text: 'This room is in emote-only mode. You can find your currently available emoticons using the smiley in the chat text area.',
  }),
  subsOnly: (channel: string): Notice => ({
    msgId: 'msg_subsonly',
    text: `This room is in subscribers only mode. To talk, purchase a channel subscription at https://www.twitch.tv/products/${channel}/ticket?ref=subscriber_only_mode_chat.`,
  }),
  followersOnlyZero: (channel: string): Notice => ({
    msgId: 'msg_followersonly_zero',
    text: `This room is in followers-only mode. Follow ${channel} to join the community!`,
  }),
  followersOnly: (channel: string, minutes: number): Notice => ({
    msgId: 'msg_followersonly',
    text: `This room is in ${followersDuration(minutes)} followers-only mode. Follow ${channel} to join the community!`,
  }),
  followersOnlyFollowed: (minutes: number, followedMinutes: number): Notice => ({
    msgId: 'msg_followersonly_followed',
    text: `This room is in ${followersDuration(minutes)} followers-only mode. You have been following for ${followersDuration(followedMinutes)}. Continue following to chat!`,
  }),
  slowMode: (seconds: number): Notice => ({
    msgId: 'msg_slowmode',
    text: `This room is in slow mode and you are sending messages too quickly. You will be able to talk again in ${seconds} seconds.`,
  }),
  r9k: (): Notice => ({
    msgId: 'msg_r9k',
    text: 'This room is in unique-chat mode and the message you attempted to send is not unique.',
  }),
  duplicate: (): Notice => ({
    msgId: 'msg_duplicate',
    text: 'Your message was not sent because it is identical to the previous one you sent, less than 30 seconds ago.',
  }),
  rateLimit: (): Notice => ({
    msgId: 'msg_ratelimit',
    text: 'Your message was not sent because you are sending messages too quickly.',
  }),
} as const;

/** What Twitch announces in the channel when a moderator changes a chat mode. */
export const MODE_CHANGE = {
  slow: (seconds: number): Notice =>
    seconds > 0
      ? {
          msgId: 'slow_on',
          text: `This room is now in slow mode. You may send messages every ${seconds} seconds.`,
        }
      : { msgId: 'slow_off', text: 'This room is no longer in slow mode.' },
  followersOnly: (minutes: number): Notice =>
    minutes < 0
      ? { msgId: 'followers_off', text: 'This room is no longer in followers-only mode.' }
      : minutes === 0
        ? { msgId: 'followers_on_zero', text: 'This room is now in followers-only mode.' }
        : {
            msgId: 'followers_on',
            text: `This room is now in ${followersDuration(minutes)} followers-only mode.`,
          },
  subsOnly: (on: boolean): Notice =>
    on
      ? { msgId: 'subs_on', text: 'This room is now in subscribers-only mode.' }
      : { msgId: 'subs_off', text: 'This room is no longer in subscribers-only mode.' },
  emoteOnly: (on: boolean): Notice =>
    on
      ? { msgId: 'emote_only_on', text: 'This room is now in emote-only mode.' }
      : { msgId: 'emote_only_off', text: 'This room is no longer in emote-only mode.' },
  r9k: (on: boolean): Notice =>
    on
      ? { msgId: 'r9k_on', text: 'This room is now in unique-chat mode.' }
      : { msgId: 'r9k_off', text: 'This room is no longer in unique-chat mode.' },
} as const;
