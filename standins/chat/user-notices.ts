import { randomUUID } from 'node:crypto';
import { formatLine } from './irc.js';
import type { RoomInfo } from './tags.js';

/**
 * USERNOTICE lines (raids, gifted subs) shaped as Twitch sends them. The tag sets follow
 * lines captured from real Twitch in robotty/twitch-irc-rs src/message/commands/usernotice.rs
 * (commit 14e727a1, test_raid, test_subgift, test_submysterygift) and gempir/go-twitch-irc
 * message_test.go (test/fixtures/real-twitch/irc/lines.json: usernotice-raid,
 * usernotice-subgift): sender `:tmi.twitch.tv`, no trailing text, `system-msg` the line a
 * chat client shows, `login`/`user-id` the raider or gifter. A community gift is one
 * `submysterygift` followed by one `subgift` per recipient, all with the same
 * `msg-param-origin-id` (the `subgift`s carry msg-param-sender-count=0, as in the tmi.js
 * lib/client.js capture of George's gift to #bwana).
 */

/** Who sent the notice: the raiding channel or the gifter. */
export interface NoticeUser {
  login: string;
  displayName?: string;
  /** Default: the stand-in's id for the login. */
  userId?: string;
}

const SERVER_PREFIX = 'tmi.twitch.tv';

function userTags(
  room: RoomInfo,
  user: Required<NoticeUser>,
  msgId: string,
  now: number,
): Record<string, string> {
  return {
    'badge-info': '',
    badges: '',
    color: '',
    'display-name': user.displayName,
    emotes: '',
    flags: '',
    id: randomUUID(),
    login: user.login,
    mod: '0',
    'msg-id': msgId,
    'room-id': room.roomId,
    subscriber: '0',
    'tmi-sent-ts': String(now),
    'user-id': user.userId,
    'user-type': '',
  };
}

function line(room: RoomInfo, tags: Record<string, string>): string {
  const sortedTags = Object.fromEntries(
    Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  return formatLine({
    tags: sortedTags,
    prefix: SERVER_PREFIX,
    command: 'USERNOTICE',
    params: [`#${room.login}`],
  });
}

/** `msg-id=raid`: `viewers` raiders from the raider's channel have arrived. */
export function raidLine(
  room: RoomInfo,
  raider: Required<NoticeUser>,
  viewers: number,
  now: number,
): string {
  return line(room, {
    ...userTags(room, raider, 'raid', now),
    'msg-param-displayName': raider.displayName,
    'msg-param-login': raider.login,
    'msg-param-profileImageURL': `https://static-cdn.jtvnw.net/jtv_user_pictures/${raider.login}-profile_image-70x70.png`,
    'msg-param-viewerCount': String(viewers),
    'system-msg': `${viewers} raiders from ${raider.displayName} have joined!`,
  });
}

/**
 * A gift of tier-1 subs: to one recipient, a lone `subgift`; to several, a community gift
 * (`submysterygift` announcing the count, then a `subgift` per recipient).
 */
export function giftLines(
  room: RoomInfo,
  gifter: Required<NoticeUser>,
  recipients: readonly Required<NoticeUser>[],
  now: number,
): string[] {
  const origin = randomUUID().replace(/-/g, '').slice(0, 20);
  const community = recipients.length > 1;
  const lines: string[] = [];
  if (community) {
    lines.push(
      line(room, {
        ...userTags(room, gifter, 'submysterygift', now),
        'msg-param-mass-gift-count': String(recipients.length),
        'msg-param-origin-id': origin,
        'msg-param-sender-count': String(recipients.length),
        'msg-param-sub-plan': '1000',
        'system-msg': `${gifter.displayName} is gifting ${recipients.length} Tier 1 Subs to ${room.login}'s community! They've gifted a total of ${recipients.length} in the channel!`,
      }),
    );
  }
  for (const r of recipients) {
    lines.push(
      line(room, {
        ...userTags(room, gifter, 'subgift', now),
        'msg-param-gift-months': '1',
        'msg-param-months': '1',
        'msg-param-origin-id': origin,
        'msg-param-recipient-display-name': r.displayName,
        'msg-param-recipient-id': r.userId,
        'msg-param-recipient-user-name': r.login,
        'msg-param-sender-count': community ? '0' : '1',
        'msg-param-sub-plan-name': `Channel Subscription (${room.login})`,
        'msg-param-sub-plan': '1000',
        'system-msg': `${gifter.displayName} gifted a Tier 1 sub to ${r.displayName}!`,
      }),
    );
  }
  return lines;
}
