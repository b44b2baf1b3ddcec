/** The tag sets Twitch puts on chat lines, built the way Twitch builds them. */

import { modeTags, OPEN_ROOM, type RoomModes } from './room-modes.js';

export type ChatRole = 'broadcaster' | 'moderator' | 'vip' | 'subscriber' | 'viewer';

export interface ChatterMessage {
  login: string;
  displayName?: string;
  userId?: string;
  role?: ChatRole;
  text: string;
  /** The message id (a UUID is made when absent). */
  id?: string;
  color?: string;
  /** badge-info's subscriber months (subscribers). Default 3. */
  months?: number;
  firstMessage?: boolean;
  /** Makes it a threaded reply, as Twitch's web chat sends one. */
  replyTo?: {
    messageId: string;
    login: string;
    displayName?: string;
    userId?: string;
    text?: string;
  };
  /** A /me line: Twitch wraps the text in CTCP ACTION (\u0001ACTION text\u0001). */
  action?: boolean;
  /**
   * Bits cheered with the message (the `bits` tag); the text carries the cheermotes, e.g.
   * "Cheer100 !clip". Shape as in gempir/go-twitch-irc message_test.go ("bits=5000").
   */
  bits?: number;
  /**
   * In a Shared Chat session: the chatter's role in each partner channel the copy lands in
   * (default viewer). The copies carry these as `badges`, the origin's as `source-badges`.
   */
  partnerRoles?: Record<string, ChatRole>;
  /** Extra or overriding tags, for unusual cases. */
  tags?: Record<string, string>;
}

/** badges and badge-info of a role, as Twitch writes them. */
export function roleBadges(role: ChatRole, months = 3): { badges: string; badgeInfo: string } {
  const badges: string[] = [];
  const badgeInfo: string[] = [];
  if (role === 'broadcaster') badges.push('broadcaster/1');
  if (role === 'moderator') badges.push('moderator/1');
  if (role === 'vip') badges.push('vip/1');
  if (role === 'subscriber') {
    badges.push(`subscriber/${months >= 12 ? 12 : months >= 6 ? 6 : months >= 3 ? 3 : 0}`);
    badgeInfo.push(`subscriber/${months}`);
  }
  return { badges: badges.join(','), badgeInfo: badgeInfo.join(',') };
}

/** The trailing text of a PRIVMSG: /me lines travel as CTCP ACTION. */
export function privmsgText(msg: Pick<ChatterMessage, 'text' | 'action'>): string {
  return msg.action ? `\u0001ACTION ${msg.text}\u0001` : msg.text;
}

/**
 * The tags a Shared Chat copy carries on top of a chatter's own (shape as in
 * gempir/go-twitch-irc message_test.go "Message from shared chat" and Chatterino's
 * tests/snapshots/IrcMessageHandler/shared-chat-*.json): the origin room, the origin message
 * id and the chatter's badges there. Twitch puts them on the origin room's copy as well,
 * with source-room-id equal to room-id (Chatterino's shared-chat-same-channel.json).
 */
export function sharedChatTags(origin: {
  roomId: string;
  messageId: string;
  role: ChatRole;
  months?: number;
}): Record<string, string> {
  const { badges, badgeInfo } = roleBadges(origin.role, origin.months);
  return {
    'source-badge-info': badgeInfo,
    'source-badges': badges,
    'source-id': origin.messageId,
    'source-only': '0',
    'source-room-id': origin.roomId,
  };
}

export interface RoomInfo {
  login: string;
  roomId: string;
}

/** Tags of a PRIVMSG from a chatter (sorted like Twitch's). */
export function privmsgTags(
  room: RoomInfo,
  msg: ChatterMessage & { id: string; userId: string },
  now: number,
): Record<string, string> {
  const role = msg.role ?? 'viewer';
  const { badges, badgeInfo } = roleBadges(role, msg.months ?? 3);
  const tags: Record<string, string> = {
    'badge-info': badgeInfo,
    badges,
    'client-nonce': msg.id.replace(/-/g, '').slice(0, 32),
    color: msg.color ?? '#1E90FF',
    'display-name': msg.displayName ?? msg.login,
    emotes: '',
    'first-msg': msg.firstMessage ? '1' : '0',
    flags: '',
    id: msg.id,
    mod: role === 'moderator' ? '1' : '0',
    'returning-chatter': '0',
    'room-id': room.roomId,
    subscriber: role === 'subscriber' ? '1' : '0',
    // When Twitch's server took the line, epoch ms, on every real PRIVMSG
    // (gempir/go-twitch-irc message_test.go: "tmi-sent-ts=1551473087761"). The bot clips the
    // moment this names; a test can set it in the past through `tags`.
    'tmi-sent-ts': String(now),
    turbo: '0',
    'user-id': msg.userId,
    'user-type': role === 'moderator' ? 'mod' : '',
  };
  if (role === 'vip') tags.vip = '1';
  if (msg.bits !== undefined) tags.bits = String(msg.bits);
  if (msg.replyTo) {
    Object.assign(tags, {
      'reply-parent-display-name': msg.replyTo.displayName ?? msg.replyTo.login,
      'reply-parent-msg-body': msg.replyTo.text ?? '',
      'reply-parent-msg-id': msg.replyTo.messageId,
      'reply-parent-user-id': msg.replyTo.userId ?? '0',
      'reply-parent-user-login': msg.replyTo.login,
      'reply-thread-parent-msg-id': msg.replyTo.messageId,
      'reply-thread-parent-user-login': msg.replyTo.login,
    });
  }
  return sorted({ ...tags, ...msg.tags });
}

/** USERSTATE of the bot in a room (sent on JOIN and after each of its messages). */
export function userstateTags(opts: {
  displayName: string;
  broadcaster: boolean;
  moderator: boolean;
  vip: boolean;
  subscriber?: boolean;
}): Record<string, string> {
  const badges: string[] = [];
  if (opts.broadcaster) badges.push('broadcaster/1');
  if (opts.moderator) badges.push('moderator/1');
  if (opts.vip) badges.push('vip/1');
  if (opts.subscriber) badges.push('subscriber/0');
  const tags: Record<string, string> = {
    'badge-info': opts.subscriber ? 'subscriber/1' : '',
    badges: badges.join(','),
    color: '',
    'display-name': opts.displayName,
    'emote-sets': '0',
    mod: opts.moderator ? '1' : '0',
    subscriber: opts.subscriber ? '1' : '0',
    'user-type': opts.moderator ? 'mod' : '',
  };
  if (opts.vip) tags.vip = '1';
  return sorted(tags);
}

export function globalUserstateTags(opts: {
  displayName: string;
  userId: string;
}): Record<string, string> {
  return {
    'badge-info': '',
    badges: '',
    color: '',
    'display-name': opts.displayName,
    'emote-sets': '0',
    'user-id': opts.userId,
    'user-type': '',
  };
}

/** ROOMSTATE's tags: every mode on JOIN; only the changed ones (`only`) on a change. */
export function roomstateTags(
  roomId: string,
  modes: RoomModes = OPEN_ROOM,
  only?: ReadonlySet<keyof RoomModes>,
): Record<string, string> {
  return sorted({ ...modeTags(modes, only), 'room-id': roomId });
}

function sorted(tags: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : 1)));
}
