import { ClipClock } from './clip-clock.js';
import { clipSlug } from './ids.js';
import { editUrlJson } from './edit-url.js';
import type { ClipRecord, CreatedClipInfo } from './types.js';
import { DEFAULT_GAME, WorldRecords } from './world-records.js';

export type { ChannelOptions, StreamOptions } from './world-records.js';

export interface SeedClipOptions {
  gameId?: string;
  createdAt?: (i: number) => Date;
  viewCount?: (i: number) => number;
  featured?: (i: number) => boolean;
  vodId?: string;
  title?: (i: number) => string;
  duration?: (i: number) => number;
}

export interface NewClip {
  broadcasterId: string;
  creatorId: string;
  title: string;
  duration: number;
  videoId: string;
  vodOffset: number | null;
  gameId: string;
}

/**
 * Everything Twitch knows in a scenario: users, channels and their streams, games, videos
 * and clips. Channels keep a record only when a scenario changed something about them.
 */
export class World extends WorldRecords {
  private readonly clips = new Map<string, ClipRecord>();
  private readonly clipsByBroadcaster = new Map<string, ClipRecord[]>();
  private readonly clock = new ClipClock();
  private readonly apiClips: ClipRecord[] = [];
  private readonly automod: string[] = [];

  stop(): void {
    this.clock.clear();
  }

  // --- clips ---

  /**
   * How Get Clips orders clips when a date window is given. 'views' (default): most viewed
   * first, as documented. 'created': newest first, as Twitch has been seen to answer
   * windowed queries (twitchdev/issues#1147), so only reading every page finds the top.
   */
  windowedClipOrder: 'views' | 'created' = 'views';

  automodBlock(word: string): void {
    const w = word.trim().toLowerCase();
    if (w && !this.automod.includes(w)) this.automod.push(w);
  }

  titleBlocked(title: string): boolean {
    const t = title.toLowerCase();
    return this.automod.some((w) => t.includes(w));
  }

  seedClips(login: string, n: number, opts: SeedClipOptions = {}): ClipRecord[] {
    const user = this.ensureUser(login);
    const now = Date.now();
    const gameId = opts.gameId ?? this.stream(user.id)?.gameId ?? DEFAULT_GAME.id;
    this.resolveGame(gameId);
    const out: ClipRecord[] = [];
    for (let i = 0; i < n; i++) {
      const createdAt = opts.createdAt?.(i).getTime() ?? now - (i + 1) * 3_600_000;
      out.push(
        this.insertClip({
          id: clipSlug(),
          broadcasterId: user.id,
          creatorId: user.id,
          videoId: opts.vodId ?? '',
          gameId,
          language: 'en',
          title: opts.title?.(i) ?? `${user.displayName} clip ${i + 1}`,
          viewCount: opts.viewCount?.(i) ?? (n - i) * 10,
          createdAt,
          duration: opts.duration?.(i) ?? 30,
          vodOffset: opts.vodId ? 60 * (i + 1) : null,
          isFeatured: opts.featured?.(i) ?? false,
          visibleAt: createdAt,
          viaApi: false,
        }),
      );
    }
    return out;
  }

  /** A clip made through the API: visible after the channel's delay, or never. */
  createClip(c: NewClip): ClipRecord {
    const now = Date.now();
    const after = this.channel(c.broadcasterId).clipVisibleAfterMs ?? this.defaultVisibleAfter;
    const clip = this.insertClip({
      ...c,
      id: clipSlug(),
      language: this.stream(c.broadcasterId)?.language ?? 'en',
      viewCount: 0,
      createdAt: now,
      isFeatured: false,
      visibleAt: after === 'never' ? null : now + Math.max(0, after),
      viaApi: true,
    });
    this.apiClips.push(clip);
    this.events.emit('clip-created', { id: clip.id, broadcasterId: clip.broadcasterId, at: now });
    if (clip.visibleAt !== null) {
      const visibleAt = clip.visibleAt;
      this.clock.at(visibleAt, () => {
        // A timer may fire a hair early; the event must never precede visibility.
        const at = Date.now();
        if (clip.visibleAt !== null && clip.visibleAt > at) clip.visibleAt = at;
        this.events.emit('clip-visible', { id: clip.id, broadcasterId: clip.broadcasterId, at });
      });
    }
    return clip;
  }

  clip(id: string): ClipRecord | undefined {
    return this.clips.get(id);
  }

  clipsOf(broadcasterId: string): readonly ClipRecord[] {
    return this.clipsByBroadcaster.get(broadcasterId) ?? [];
  }

  allClips(): Iterable<ClipRecord> {
    return this.clips.values();
  }

  isVisible(clip: ClipRecord, now: number): boolean {
    return clip.visibleAt !== null && clip.visibleAt <= now;
  }

  createdClips(): CreatedClipInfo[] {
    return this.apiClips.map((c) => ({
      id: c.id,
      broadcasterId: c.broadcasterId,
      title: c.title,
      duration: c.duration,
      createdAt: c.createdAt,
      visibleAt: c.visibleAt,
      editUrl: editUrlJson(this.userById(c.broadcasterId)?.login ?? '', c.id),
    }));
  }

  private insertClip(clip: ClipRecord): ClipRecord {
    this.clips.set(clip.id, clip);
    const list = this.clipsByBroadcaster.get(clip.broadcasterId);
    if (list) list.push(clip);
    else this.clipsByBroadcaster.set(clip.broadcasterId, [clip]);
    return clip;
  }
}
