import type { ChatObservation } from '../../autoclip/index.js';
import { withoutCheermotes } from './cheer.js';
import { isPartnerCopy, type MessageTags } from './incoming.js';

/**
 * Accounts that are bots in nearly every channel they are in: their lines (timers, giveaway
 * and alert texts) are never a reaction. The bot's own lines never reach the feed (tmi.js
 * reports them as `self`).
 */
export const KNOWN_CHAT_BOTS: ReadonlySet<string> = new Set([
  'nightbot',
  'streamelements',
  'streamlabs',
  'moobot',
  'fossabot',
  'wizebot',
  'sery_bot',
  'soundalerts',
  'botrixoficial',
  'kofistreambot',
  'pokemoncommunitygame',
  'commanderroot',
]);

/**
 * What the feed needs of the automatic-clip side (src/app/build-autoclip.ts: the detectors,
 * what makes a moment's clip, the settings). Nothing here is awaited on chat's path.
 */
export interface AutoClipHooks {
  /**
   * The number automatic clips know a channel by, 0 where they are off: only those lines
   * are read (the others cost this one lookup), and the number goes with them.
   */
  channelId(broadcasterId: string): number;
  observe(m: ChatObservation, channelId: number): void;
  raidArrived(broadcasterId: string, atMs: number): void;
  /** The bot joined a channel (its room id now known) or left it. */
  onJoined(broadcasterId: string, login: string): void;
  onLeft(broadcasterId: string): void;
}

/** The tags of a chat line or a USERNOTICE that are read here (tmi.js or raw, both strings). */
type FeedTags = MessageTags & {
  'tmi-sent-ts'?: string;
  'msg-id'?: string;
  emotes?: unknown;
};

const SUPPORT = {
  sub: 'sub',
  resub: 'resub',
  subgift: 'subgift',
  submysterygift: 'subgift',
} as const satisfies Record<string, ChatObservation['support']>;

/**
 * Turns Twitch chat into the detector's observations: O(1) per line (the emote names are
 * sliced only for a line that has emotes), nothing awaited. In Shared Chat only the copy in
 * its origin room counts (every partner room gets one; isPartnerCopy).
 */
export class AutoClipFeed {
  private readonly rooms = new Map<string, string>();

  constructor(
    private readonly hooks: AutoClipHooks,
    private readonly botLogin: string,
    private readonly knownBots: ReadonlySet<string> = KNOWN_CHAT_BOTS,
  ) {}

  /** tmi.js `chat`, `action` and `cheer` (the raw text, cheermotes and all). */
  message(tags: FeedTags, rawText: string): void {
    const roomId = str(tags['room-id']);
    const userId = str(tags['user-id']);
    if (!roomId || !userId || isPartnerCopy(tags)) return;
    const id = this.hooks.channelId(roomId);
    if (id === 0) return;
    const bits = tags.bits ? Number(tags.bits) : 0;
    const login = (tags.username ?? '').toLowerCase();
    const m: ChatObservation = {
      channel: roomId,
      userId,
      text: bits > 0 ? withoutCheermotes(rawText, bits) : rawText,
      at: sentAt(tags),
    };
    const emotes = emoteNames(tags.emotes, rawText);
    if (emotes) m.emotes = emotes;
    if (bits > 0) m.bits = bits;
    if (login === this.botLogin || this.knownBots.has(login)) m.fromBot = true;
    this.take(m, id, tags);
  }

  /** A USERNOTICE (raw tags): subs and gifts are support, a raid mutes its greetings. */
  userNotice(tags: FeedTags, text: string): void {
    const roomId = str(tags['room-id']);
    const kind = tags['msg-id'];
    if (!roomId || !kind || isPartnerCopy(tags)) return;
    if (kind === 'raid') {
      this.hooks.raidArrived(roomId, Date.now());
      return;
    }
    const support = (SUPPORT as Record<string, ChatObservation['support']>)[kind];
    const userId = str(tags['user-id']);
    if (!support || !userId) return;
    const id = this.hooks.channelId(roomId);
    if (id === 0) return;
    this.take({ channel: roomId, userId, text, support, at: sentAt(tags) }, id, tags);
  }

  /** A ROOMSTATE: the first one of a join names the room id the settings are kept under. */
  roomState(channel: string, tags: Record<string, unknown>): void {
    const roomId = tags['room-id'];
    if (typeof roomId !== 'string' || roomId === '' || this.rooms.get(channel) === roomId) return;
    this.rooms.set(channel, roomId);
    this.hooks.onJoined(roomId, channel);
  }

  parted(channel: string): void {
    const roomId = this.rooms.get(channel);
    if (roomId === undefined) return;
    this.rooms.delete(channel);
    this.hooks.onLeft(roomId);
  }

  private take(m: ChatObservation, id: number, tags: FeedTags): void {
    const name = tags.badges?.broadcaster !== undefined ? tags['display-name'] : undefined;
    if (name) m.broadcasterName = name;
    this.hooks.observe(m, id);
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Emote names read from one line at most. */
const MAX_EMOTE_NAMES = 8;

function sentAt(tags: FeedTags): number {
  const ts = Number(tags['tmi-sent-ts']);
  return Number.isFinite(ts) && ts > 0 ? ts : Date.now();
}

/**
 * The names of the emotes in a line, from the `emotes` tag: tmi.js's parsed form
 * ({ id: ['0-4', ...] }) or the raw one ('id:0-4,6-10/id2:...'). Positions count code
 * points (Twitch's IRC guide; Chatterino slices by code point too), hence Array.from.
 */
export function emoteNames(emotes: unknown, text: string): string[] | undefined {
  if (!emotes) return undefined;
  let ranges: string[] = [];
  if (typeof emotes === 'string') {
    for (const part of emotes.split('/')) ranges.push(...(part.split(':')[1] ?? '').split(','));
  } else if (typeof emotes === 'object') {
    for (const list of Object.values(emotes as Record<string, unknown>))
      if (Array.isArray(list)) ranges = ranges.concat(list as string[]);
  }
  if (ranges.length === 0) return undefined;
  const chars = Array.from(text);
  const names: string[] = [];
  for (const range of ranges) {
    const [from, to] = range.split('-').map(Number);
    if (from === undefined || to === undefined || !(to >= from)) continue;
    const name = chars.slice(from, to + 1).join('');
    if (name !== '' && !names.includes(name)) names.push(name);
    // The detector reads a few tokens a message; a wall of emotes costs no more.
    if (names.length >= MAX_EMOTE_NAMES) break;
  }
  return names.length > 0 ? names : undefined;
}
