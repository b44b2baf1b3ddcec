import { type WebSocket } from 'ws';
import { formatLine } from './irc.js';
import { type Notice } from './notices.js';
import { type RoomModes } from './room-modes.js';
import { type ChatStandInLimits } from './rules.js';

/** What the bot said, as the stand-in received it. */
export interface BotMessage {
  /** The bot account's login. */
  login: string;
  /** Channel login, without '#'. */
  channel: string;
  text: string;
  replyParentMsgId?: string;
  /** epoch ms */
  at: number;
}

/** A message of the bot the room did not show, and the NOTICE that said why. */
export interface RejectedMessage {
  login: string;
  channel: string;
  text: string;
  /** The NOTICE's msg-id, e.g. msg_slowmode. */
  msgId: string;
  notice: string;
  /** epoch ms */
  at: number;
}

export interface ChatStandInOptions {
  limits?: Partial<ChatStandInLimits>;
  /**
   * Send USERSTATE after each message of the bot the room showed, as Twitch does. Default
   * true; false plays a server that never confirms, for clients that must do without.
   */
  echoUserstate?: boolean;
  /** After RECONNECT, connections still open this long are closed (Twitch does the same). */
  reconnectGraceMs?: number;
  /** How many bot messages `sent` keeps (oldest go first). */
  journalLimit?: number;
}

/**
 * Resolves a chat token (without "oauth:"; tmi.js lowercases it) to the account's login, or
 * undefined when Twitch would refuse it.
 */
export type TokenValidator = (token: string) => string | undefined | Promise<string | undefined>;

export interface ChannelSetup {
  roomId?: string;
  botIsModerator?: boolean;
  botIsVip?: boolean;
  botIsSubscriber?: boolean;
  /** epoch ms since when the bot follows the channel; null: it does not (the default). */
  botFollowedAt?: number | null;
  /** Banned: every message of the bot is refused with msg_banned. */
  botBanned?: boolean;
  /** epoch ms until which the bot is timed out (msg_timedout); null lifts it. */
  botTimedOutUntil?: number | null;
  /** The channel requires a verified email, which the bot account lacks (msg_verified_email). */
  botNeedsVerifiedEmail?: boolean;
  /**
   * Twitch refuses the bot's JOIN with this NOTICE msg-id (msg_channel_suspended: the channel
   * is suspended or gone; msg_banned: the bot is banned there); null lets it in again.
   */
  refuseJoin?: 'msg_channel_suspended' | 'msg_banned' | null;
}

export interface Channel {
  login: string;
  roomId: string;
  botIsModerator: boolean;
  botIsVip: boolean;
  botIsSubscriber: boolean;
  botFollowedAt?: number;
  botBanned: boolean;
  botTimedOutUntil?: number;
  botNeedsVerifiedEmail: boolean;
  refuseJoin?: 'msg_channel_suspended' | 'msg_banned';
  modes: RoomModes;
  /** Messages the room showed lately, for unique-chat mode. */
  recent: { at: number; text: string }[];
  members: Set<Conn>;
}

export interface Conn {
  ws: WebSocket;
  pass?: string;
  /** Set once logged in. */
  login?: string;
  anonymous: boolean;
  channels: Set<string>;
}

export const SERVER = 'tmi.twitch.tv';

export function noticeLine(channel: string, notice: Notice): string {
  return formatLine({
    tags: { 'msg-id': notice.msgId },
    prefix: SERVER,
    command: 'NOTICE',
    params: [`#${channel}`],
    trailing: notice.text,
  });
}

export function lastAccepted(at: number | undefined): { lastAcceptedAt?: number } {
  return at === undefined ? {} : { lastAcceptedAt: at };
}
