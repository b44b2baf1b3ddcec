import type { Redis } from 'ioredis';
import type { HelixStream } from '../twitch/types.js';
import type { ClipKeys } from './keys.js';

/** What the table knows about one joined channel. */
export interface LiveStatus {
  live: boolean;
  /** The stream's user id, when live (Get Streams names it). */
  userId?: string;
  /** Stream start (Get Streams' started_at), when live. */
  startedAt?: string;
  /**
   * The stream's title and game (Get Streams' title, game_name), when live: kept from the
   * same answer, for clip titles ({title}, {game}) at no call of their own. Either may be
   * '' (Twitch sends game_name '' for a stream with no category); absent in entries
   * written before they were kept.
   */
  title?: string;
  gameName?: string;
  /** When Twitch was asked (epoch ms). */
  checkedAt: number;
  /** Until when a reader may take it as true without asking again (see LIVE_TRUST_DEFAULTS). */
  trustUntil: number;
}

/**
 * How long an answer is trusted. "Live" is trusted for two refresh periods plus a margin
 * (one missed round does no harm): a stream that ended meanwhile is caught by Create Clip's
 * 404, which answers "offline" and corrects the table. "Offline" is fresh only briefly, and
 * the worker's live check never takes it as final (a stream that just started must not be
 * refused): it asks Get Streams itself, one call batched with the checks arriving with it.
 * Readers that may wait for the next round (the automatic-clip detector) can use it.
 */
export interface LiveTrust {
  /** A "live" from the worker's own Get Streams (it does not know the refresh period). */
  liveMs: number;
  /** An "offline", from the refresh or from the worker. */
  offlineMs: number;
  /** Added to two refresh periods for a "live" the refresh wrote. */
  refreshMarginMs: number;
  /**
   * How old a live entry's title and game may be for a manual `!clip`'s title to use them
   * instead of a Get Streams of its own. Shorter than "live" is trusted: a game changed
   * shows in the next clip's title within this. (Automatic clips take any trusted entry:
   * they make no call at all.)
   */
  streamInfoMs: number;
}

export const LIVE_TRUST_DEFAULTS = {
  liveMs: 30_000,
  offlineMs: 10_000,
  refreshMarginMs: 5_000,
  streamInfoMs: 60_000,
} as const satisfies LiveTrust;

/** A live entry from one stream of a Get Streams answer (the refresh's and the live check's). */
export function liveEntry(
  s: Pick<HelixStream, 'user_id' | 'started_at' | 'title' | 'game_name'>,
  checkedAt: number,
  trustMs: number,
): LiveStatus {
  return {
    live: true,
    userId: s.user_id,
    startedAt: s.started_at,
    title: s.title,
    gameName: s.game_name,
    checkedAt,
    trustUntil: checkedAt + trustMs,
  };
}

/**
 * The live table in Redis: one hash for every joined channel, written by the refresh (one
 * process at a time) and by live checks, read by every worker's live check.
 */
export class LiveStatusTable {
  constructor(
    private readonly redis: Redis,
    private readonly keys: ClipKeys,
  ) {}

  /** The entry for a channel, if any and readable. */
  async get(login: string): Promise<LiveStatus | undefined> {
    const raw = await this.redis.hget(this.keys.liveStatus(), login.toLowerCase());
    return raw ? parse(raw) : undefined;
  }

  /** The entry when it may be trusted now: 'live', 'offline', or undefined (ask Twitch). */
  async trusted(login: string, now = Date.now()): Promise<LiveStatus | undefined> {
    const entry = await this.get(login);
    return entry && entry.trustUntil > now ? entry : undefined;
  }

  /**
   * The stream's title and game when the entry says this broadcaster is live, may be
   * trusted, was written at most `maxAgeMs` ago and carries them; else undefined (ask).
   */
  async streamInfo(
    login: string,
    broadcasterId: string,
    maxAgeMs: number = LIVE_TRUST_DEFAULTS.streamInfoMs,
    now = Date.now(),
  ): Promise<{ title: string; gameName: string } | undefined> {
    const e = await this.trusted(login, now);
    // A renamed login now naming another channel is not this broadcaster's stream.
    if (!e?.live || e.userId !== broadcasterId || now - e.checkedAt > maxAgeMs) return undefined;
    if (e.title === undefined || e.gameName === undefined) return undefined;
    return { title: e.title, gameName: e.gameName };
  }

  async put(entries: Record<string, LiveStatus>): Promise<void> {
    const fields: string[] = [];
    for (const [login, status] of Object.entries(entries))
      fields.push(login.toLowerCase(), JSON.stringify(status));
    if (fields.length > 0) await this.redis.hset(this.keys.liveStatus(), ...fields);
  }

  /** Create Clip said the channel is offline: the table follows (Twitch is the authority). */
  async markOffline(login: string, trust: Pick<LiveTrust, 'offlineMs'>): Promise<void> {
    const now = Date.now();
    await this.put({ [login]: { live: false, checkedAt: now, trustUntil: now + trust.offlineMs } });
  }

  /** Drops the entries of channels no longer joined. */
  async prune(joined: ReadonlySet<string>): Promise<number> {
    const known = await this.redis.hkeys(this.keys.liveStatus());
    const gone = known.filter((login) => !joined.has(login));
    if (gone.length > 0) await this.redis.hdel(this.keys.liveStatus(), ...gone);
    return gone.length;
  }

  async all(): Promise<Record<string, LiveStatus>> {
    const raw = await this.redis.hgetall(this.keys.liveStatus());
    const out: Record<string, LiveStatus> = {};
    for (const [login, json] of Object.entries(raw)) {
      const entry = parse(json);
      if (entry) out[login] = entry;
    }
    return out;
  }
}

function parse(raw: string): LiveStatus | undefined {
  try {
    const v = JSON.parse(raw) as Partial<LiveStatus>;
    if (typeof v.live !== 'boolean' || typeof v.checkedAt !== 'number') return undefined;
    if (typeof v.trustUntil !== 'number') return undefined;
    // Words that would go into a clip title are taken only as words.
    if (typeof v.title !== 'string') delete v.title;
    if (typeof v.gameName !== 'string') delete v.gameName;
    return v as LiveStatus;
  } catch {
    // A damaged entry reads as unknown: the live check asks Twitch.
    return undefined;
  }
}
