import type { EventEmitter } from 'node:events';
import { NumericIds } from './ids.js';
import type {
  ChannelRecord,
  ClipsPolicy,
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

const DEFAULT_GAMES: GameRecord[] = [
  { id: '509658', name: 'Just Chatting' },
  { id: '32982', name: 'Grand Theft Auto V' },
  { id: '33214', name: 'Fortnite' },
  { id: '27471', name: 'Minecraft' },
  { id: '509660', name: 'Art' },
];
export const DEFAULT_GAME = DEFAULT_GAMES[0]!;

const LOGIN = /^[a-z0-9_]{1,25}$/;

/**
 * The records of the Twitch stand-in's world but its clips: users, channels and their
 * streams, games and videos. Channels keep a record only when a scenario changed something
 * about them.
 */
export class WorldRecords {
  protected readonly users = new Map<string, UserRecord>();
  protected readonly idByLogin = new Map<string, string>();
  protected readonly channels = new Map<string, ChannelRecord>();
  protected readonly games = new Map<string, GameRecord>();
  protected readonly videos = new Map<string, VideoRecord>();
  protected readonly userIds = new NumericIds(100_000_001n);
  protected readonly videoIds = new NumericIds(2_000_000_001n);
  protected readonly streamIds = new NumericIds(40_000_000_001n);
  protected readonly gameIds = new NumericIds(900_001n);

  constructor(
    protected readonly defaultVisibleAfter: VisibleAfter,
    protected readonly events: EventEmitter<StandInEvents>,
  ) {
    for (const g of DEFAULT_GAMES) this.games.set(g.id, { ...g });
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

  protected resolveGame(id?: string, name?: string): GameRecord {
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
