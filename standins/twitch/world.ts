import type { EventEmitter } from 'node:events';
import { ClipClock } from './clip-clock.js';
import { NumericIds, clipSlug } from './ids.js';
import { editUrlJson } from './edit-url.js';
import type {
  ChannelRecord,
  ClipRecord,
  ClipsPolicy,
  CreatedClipInfo,
  GameRecord,
  StandInEvents,
  StreamRecord,
  UserRecord,
  VideoRecord,
  VideoType,
  VisibleAfter,
} from './types.js';

export interface ChannelOptions {
  clips?: ClipsPolicy;
  /** Create Clip refuses with this status and text (null: no longer). */
  refusal?: { status: number; message: string } | null;
  botBanned?: boolean;
  clippable?: boolean;
  clipVisibleAfterMs?: VisibleAfter;
  hasVod?: boolean;
  /** logins of the channel's editors (may clip its VODs) */
  editors?: string[];
}

export interface StreamOptions {
  title?: string;
  gameId?: string;
  gameName?: string;
  startedAt?: Date;
  viewerCount?: number;
  language?: string;
}

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

const DEFAULT_GAMES: GameRecord[] = [
  { id: '509658', name: 'Just Chatting' },
  { id: '32982', name: 'Grand Theft Auto V' },
  { id: '33214', name: 'Fortnite' },
  { id: '27471', name: 'Minecraft' },
  { id: '509660', name: 'Art' },
];
const DEFAULT_GAME = DEFAULT_GAMES[0]!;

const LOGIN = /^[a-z0-9_]{1,25}$/;

/**
 * Everything Twitch knows in a scenario: users, channels and their streams, games, videos
 * and clips. Channels keep a record only when a scenario changed something about them.
 */
export class World {
  private readonly users = new Map<string, UserRecord>();
  private readonly idByLogin = new Map<string, string>();
  private readonly channels = new Map<string, ChannelRecord>();
  private readonly games = new Map<string, GameRecord>();
  private readonly videos = new Map<string, VideoRecord>();
  private readonly clips = new Map<string, ClipRecord>();
  private readonly clipsByBroadcaster = new Map<string, ClipRecord[]>();
  private readonly apiClips: ClipRecord[] = [];
  private readonly automod: string[] = [];
  private readonly clock = new ClipClock();
  private readonly userIds = new NumericIds(100_000_001n);
  private readonly videoIds = new NumericIds(2_000_000_001n);
  private readonly streamIds = new NumericIds(40_000_000_001n);
  private readonly gameIds = new NumericIds(900_001n);

  constructor(
    private readonly defaultVisibleAfter: VisibleAfter,
    private readonly events: EventEmitter<StandInEvents>,
  ) {
    for (const g of DEFAULT_GAMES) this.games.set(g.id, { ...g });
  }

  stop(): void {
    this.clock.clear();
  }

  // --- users ---

  addUser(u: { login: string; id?: string; displayName?: string }): UserRecord {
    const login = u.login.trim().toLowerCase().replace(/^#/, '');
    if (!LOGIN.test(login)) throw new Error(`not a Twitch login: ${JSON.stringify(u.login)}`);
    const existing = this.userByLogin(login);
    if (existing) {
      if (u.id && u.id !== existing.id)
        throw new Error(`user ${login} already exists with id ${existing.id}`);
      if (u.displayName) existing.displayName = u.displayName;
      return existing;
    }
    if (u.id && this.users.has(u.id)) throw new Error(`user id ${u.id} is already taken`);
    const user: UserRecord = {
      id: u.id ?? this.userIds.take((id) => this.users.has(id)),
      login,
      displayName: u.displayName ?? login,
      createdAt: Date.UTC(2016, 0, 1),
    };
    this.users.set(user.id, user);
    this.idByLogin.set(login, user.id);
    return user;
  }

  userById(id: string): UserRecord | undefined {
    return this.users.get(id);
  }

  userByLogin(login: string): UserRecord | undefined {
    const id = this.idByLogin.get(login.trim().toLowerCase().replace(/^#/, ''));
    return id === undefined ? undefined : this.users.get(id);
  }

  /** Scenario methods accept logins that were never added: the user is created then. */
  ensureUser(login: string): UserRecord {
    return this.userByLogin(login) ?? this.addUser({ login });
  }

  // --- channels and streams ---

  /** The channel's settings, defaults included; never stored for untouched channels. */
  channel(userId: string): Readonly<ChannelRecord> {
    return this.channels.get(userId) ?? defaultChannel();
  }

  private touchChannel(userId: string): ChannelRecord {
    let ch = this.channels.get(userId);
    if (!ch) {
      ch = defaultChannel();
      this.channels.set(userId, ch);
    }
    return ch;
  }

  setChannel(login: string, opts: ChannelOptions): void {
    const user = this.ensureUser(login);
    const ch = this.touchChannel(user.id);
    if (opts.clips !== undefined) ch.clips = opts.clips;
    if (opts.refusal === null) delete ch.refusal;
    else if (opts.refusal !== undefined) ch.refusal = { ...opts.refusal };
    if (opts.botBanned !== undefined) ch.botBanned = opts.botBanned;
    if (opts.clippable !== undefined) ch.clippable = opts.clippable;
    if (opts.clipVisibleAfterMs !== undefined) ch.clipVisibleAfterMs = opts.clipVisibleAfterMs;
    if (opts.editors !== undefined)
      ch.editors = new Set(opts.editors.map((l) => this.ensureUser(l).id));
    if (opts.hasVod !== undefined) {
      ch.hasVod = opts.hasVod;
      if (ch.stream && ch.hasVod && !ch.liveVodId)
        ch.liveVodId = this.openArchive(user.id, ch.stream);
      if (!ch.hasVod && ch.liveVodId) {
        this.videos.delete(ch.liveVodId);
        delete ch.liveVodId;
      }
    }
  }

  setLive(login: string, live: boolean, stream: StreamOptions = {}): void {
    const user = this.ensureUser(login);
    const ch = this.touchChannel(user.id);
    if (!live) {
      this.closeArchive(ch);
      delete ch.stream;
      return;
    }
    const game = this.resolveGame(stream.gameId, stream.gameName);
    if (ch.stream) {
      // Already live: the same broadcast with new details.
      if (stream.title !== undefined) ch.stream.title = stream.title;
      if (stream.gameId !== undefined || stream.gameName !== undefined) {
        ch.stream.gameId = game.id;
        ch.stream.gameName = game.name;
      }
      if (stream.viewerCount !== undefined) ch.stream.viewerCount = stream.viewerCount;
      if (stream.language !== undefined) ch.stream.language = stream.language;
      if (stream.startedAt !== undefined) {
        ch.stream.startedAt = stream.startedAt.getTime();
        const vod = ch.liveVodId ? this.videos.get(ch.liveVodId) : undefined;
        if (vod) vod.createdAt = ch.stream.startedAt;
      }
      return;
    }
    ch.stream = {
      id: this.streamIds.take(),
      title: stream.title ?? `${user.displayName} is live`,
      gameId: game.id,
      gameName: game.name,
      startedAt: (stream.startedAt ?? new Date()).getTime(),
      viewerCount: stream.viewerCount ?? 0,
      language: stream.language ?? 'en',
    };
    if (ch.hasVod) ch.liveVodId = this.openArchive(user.id, ch.stream);
  }

  stream(userId: string): StreamRecord | undefined {
    return this.channels.get(userId)?.stream;
  }

  liveStreams(): { user: UserRecord; stream: StreamRecord }[] {
    const out: { user: UserRecord; stream: StreamRecord }[] = [];
    for (const [userId, ch] of this.channels) {
      const user = this.users.get(userId);
      if (ch.stream && user) out.push({ user, stream: ch.stream });
    }
    return out;
  }

  private openArchive(userId: string, stream: StreamRecord): string {
    const id = this.videoIds.take();
    this.videos.set(id, {
      id,
      userId,
      type: 'archive',
      streamId: stream.id,
      title: stream.title,
      gameId: stream.gameId,
      language: stream.language,
      viewCount: 0,
      createdAt: stream.startedAt,
      durationS: null,
    });
    return id;
  }

  private closeArchive(ch: ChannelRecord): void {
    const vod = ch.liveVodId ? this.videos.get(ch.liveVodId) : undefined;
    if (vod) vod.durationS = Math.max(0, Math.floor((Date.now() - vod.createdAt) / 1000));
    delete ch.liveVodId;
  }

  // --- games ---

  addGame(g: { id?: string; name: string }): GameRecord {
    const existing = g.id ? this.games.get(g.id) : this.gameByName(g.name);
    if (existing) {
      existing.name = g.name;
      return existing;
    }
    const game = { id: g.id ?? this.gameIds.take((id) => this.games.has(id)), name: g.name };
    this.games.set(game.id, game);
    return game;
  }

  gameById(id: string): GameRecord | undefined {
    return this.games.get(id);
  }

  gameByName(name: string): GameRecord | undefined {
    const wanted = name.toLowerCase();
    for (const g of this.games.values()) if (g.name.toLowerCase() === wanted) return g;
    return undefined;
  }

  private resolveGame(id?: string, name?: string): GameRecord {
    if (id !== undefined)
      return this.addGame(name === undefined ? this.gameOrStub(id) : { id, name });
    if (name !== undefined) return this.gameByName(name) ?? this.addGame({ name });
    return DEFAULT_GAME;
  }

  private gameOrStub(id: string): GameRecord {
    return this.games.get(id) ?? { id, name: `Game ${id}` };
  }

  // --- videos ---

  addVideo(
    login: string,
    v: { id?: string; type?: VideoType; createdAt?: Date; durationS?: number; title?: string },
  ): VideoRecord {
    const user = this.ensureUser(login);
    if (v.id && this.videos.has(v.id)) throw new Error(`video id ${v.id} is already taken`);
    const durationS = Math.max(1, Math.floor(v.durationS ?? 3600));
    const createdAt = v.createdAt?.getTime() ?? Date.now() - durationS * 1000;
    const video: VideoRecord = {
      id: v.id ?? this.videoIds.take((id) => this.videos.has(id)),
      userId: user.id,
      type: v.type ?? 'archive',
      streamId: null,
      title: v.title ?? `${user.displayName}'s video`,
      gameId: DEFAULT_GAME.id,
      language: 'en',
      viewCount: 0,
      createdAt,
      durationS,
    };
    this.videos.set(video.id, video);
    return video;
  }

  video(id: string): VideoRecord | undefined {
    return this.videos.get(id);
  }

  allVideos(): Iterable<VideoRecord> {
    return this.videos.values();
  }

  /** A live archive grows with the clock. */
  videoDurationS(v: VideoRecord, now: number): number {
    return v.durationS ?? Math.max(0, Math.floor((now - v.createdAt) / 1000));
  }

  deleteVideo(id: string): void {
    const video = this.videos.get(id);
    if (!video) return;
    this.videos.delete(id);
    const ch = this.channels.get(video.userId);
    if (ch?.liveVodId === id) delete ch.liveVodId;
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

function defaultChannel(): ChannelRecord {
  return {
    clips: 'enabled',
    botBanned: false,
    clippable: true,
    hasVod: true,
    editors: new Set(),
  };
}
