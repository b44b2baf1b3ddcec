import { randomUUID } from 'node:crypto';
import type { IncomingCommand, RichReply } from '../../core/command.js';
import type { ReplyTarget } from '../../core/clip.js';
import { askedTime } from '../asked-time.js';
import { roleFromTags, type RoleTags } from './roles.js';
import { MAX_MESSAGE_LENGTH } from './text.js';

/** A chat line's tags as tmi.js passes them (only what is read here). */
export interface MessageTags extends RoleTags {
  id?: string;
  username?: string;
  'display-name'?: string;
  'reply-parent-msg-id'?: string;
  /** Set on messages with bits: their sum (tmi.js keeps it a string). */
  bits?: string;
  /**
   * When Twitch's chat server took the message, epoch ms as text: on every PRIVMSG of real
   * traffic (gempir/go-twitch-irc message_test.go, in test/fixtures/real-twitch/irc).
   */
  'tmi-sent-ts'?: string;
}

/**
 * A Shared Chat copy delivered from a partner channel: Twitch sends a message typed in one
 * channel of a session to every channel of it, each copy with source-room-id naming the
 * origin (gempir/go-twitch-irc message_test.go, Chatterino's
 * tests/snapshots/IrcMessageHandler/shared-chat-*.json). Only the origin room's copy
 * (source-room-id equal to room-id, or no source tags) is acted on: one request, in the
 * channel the viewer was watching; a copy from a channel the bot does not serve is ignored
 * the same way.
 */
export function isPartnerCopy(tags: MessageTags): boolean {
  const source = tags['source-room-id'];
  return typeof source === 'string' && source !== '' && source !== tags['room-id'];
}

export interface ChatLine {
  /** Channel login, without '#'. */
  channel: string;
  tags: MessageTags;
  text: string;
  receivedAt: number;
}

export interface IncomingContext {
  prefix: string;
  botLogin: string;
  /** The channel's display name when known (it is not in a chat line's tags). */
  channelDisplayName?: string;
  reply(target: ReplyTarget, answer: string | RichReply): Promise<void>;
}

// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * The text after the command prefix, or undefined when the line is not a command. A reply
 * in a Twitch thread starts with "@parent "; that mention is not part of the command.
 */
export function commandText(
  text: string,
  prefix: string,
  isThreadReply: boolean,
): string | undefined {
  // A line longer than Twitch allows is cut first, so the regexes never scan 10,000 characters.
  let rest = text.length > MAX_MESSAGE_LENGTH * 2 ? text.slice(0, MAX_MESSAGE_LENGTH * 2) : text;
  rest = rest.replace(CONTROLS, ' ').trimStart();
  if (isThreadReply && rest.startsWith('@')) rest = rest.replace(/^@\S*\s*/, '');
  if (!rest.startsWith(prefix)) return undefined;
  rest = rest.slice(prefix.length);
  if (rest === '' || /^\s/.test(rest)) return undefined;
  const cleaned = rest.replace(/\s+/g, ' ').trim();
  return cleaned.length > MAX_MESSAGE_LENGTH ? cleaned.slice(0, MAX_MESSAGE_LENGTH) : cleaned;
}

/** Turns a chat line into what the router takes, or undefined when it is not for us. */
export function toIncomingCommand(
  line: ChatLine,
  ctx: IncomingContext,
): IncomingCommand | undefined {
  const { tags } = line;
  const login = (tags.username ?? '').toLowerCase();
  if (login === '' || login === ctx.botLogin.toLowerCase()) return undefined;
  if (isPartnerCopy(tags)) return undefined;
  const userId = tags['user-id'];
  if (typeof userId !== 'string' || userId === '') return undefined;
  const chatText = commandText(line.text, ctx.prefix, !!tags['reply-parent-msg-id']);
  if (chatText === undefined) return undefined;

  const role = roleFromTags(tags);
  const displayName = tags['display-name'] || login;
  const roomId = typeof tags['room-id'] === 'string' ? tags['room-id'] : '';
  const replyTarget: ReplyTarget = tags.id
    ? { platform: 'twitch', channel: line.channel, parentMessageId: tags.id }
    : { platform: 'twitch', channel: line.channel };
  return {
    platform: 'twitch',
    requestId: tags.id ?? randomUUID(),
    receivedAt: line.receivedAt,
    askedAt: askedTime(tags['tmi-sent-ts'], line.receivedAt),
    user: { id: userId, login, displayName, role },
    twitchChannel: {
      id: roomId,
      login: line.channel,
      displayName: ctx.channelDisplayName ?? (role === 'broadcaster' ? displayName : line.channel),
    },
    replyTarget,
    reply: (answer) => ctx.reply(replyTarget, answer),
    chatText,
  };
}
