import { EventEmitter } from 'node:events';
import { Faults, type InjectFailureOptions } from './faults.js';
import { HelixRouter } from './helix-router.js';
import { Journal } from './journal.js';
import { OAuthRouter } from './oauth-router.js';
import { RateLimiter } from './rate-limiter.js';
import { StandInServer } from './server.js';
import { TokenStore } from './token-store.js';
import type {
  CreatedClipInfo,
  JournalEntry,
  StandInEvents,
  TwitchStandInOptions,
  VideoType,
} from './types.js';
import { World, type ChannelOptions, type SeedClipOptions, type StreamOptions } from './world.js';

export interface StandInUrls {
  /** http://127.0.0.1:PORT/helix */
  apiUrl: string;
  /** http://127.0.0.1:PORT/oauth2 */
  authUrl: string;
  port: number;
}

/**
 * A local Twitch: Helix under /helix and id.twitch.tv's OAuth under /oauth2, on one port,
 * with a scenario API to shape what Twitch "knows" and what trouble it makes.
 * Tests, the demo and the benchmark all drive the bot against it.
 */
export class TwitchStandIn {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly events = new EventEmitter<StandInEvents>();

  private readonly world: World;
  private readonly tokens: TokenStore;
  private readonly limiter = new RateLimiter();
  // Create Clip's own bucket: 600, the limit nicklaw5/helix's clips_test.go shows in the
  // header. Twitch does not document its window; a minute is the stand-in's choice.
  private readonly clipLimiter = new RateLimiter({ limit: 600, refillPerMinute: 600 });
  private readonly faults = new Faults();
  private readonly log: Journal;
  private readonly server: StandInServer;
  private readonly host: string;
  private readonly port: number;
  private urls: StandInUrls | undefined;

  constructor(opts: TwitchStandInOptions = {}) {
    this.clientId = opts.clientId ?? 'standin-client-id';
    this.clientSecret = opts.clientSecret ?? 'standin-client-secret';
    this.host = opts.host ?? '127.0.0.1';
    this.port = opts.port ?? 0;
    // Benchmarks subscribe per channel; the default cap of 10 would only print warnings.
    this.events.setMaxListeners(0);
    this.world = new World(opts.clipVisibleAfterMs ?? 2000, this.events);
    this.tokens = new TokenStore({
      appS: opts.appTokenTtlS ?? 14_400,
      userS: opts.userTokenTtlS ?? 14_400,
      deviceS: opts.deviceCodeTtlS ?? 1800,
    });
    this.log = new Journal(opts.journalLimit ?? 10_000);
    const helix = new HelixRouter({
      world: this.world,
      tokens: this.tokens,
      limiter: this.limiter,
      clipLimiter: this.clipLimiter,
      faults: this.faults,
      events: this.events,
    });
    const oauth = new OAuthRouter({
      tokens: this.tokens,
      world: this.world,
      faults: this.faults,
      clientId: this.clientId,
      clientSecret: this.clientSecret,
      deviceIntervalS: opts.deviceIntervalS ?? 5,
      deviceCodeTtlS: opts.deviceCodeTtlS ?? 1800,
      authUrl: () => this.urls?.authUrl ?? '',
    });
    this.server = new StandInServer(
      { helix: (i) => helix.handle(i), oauth: (i) => oauth.handle(i) },
      this.faults,
      (entry) => {
        this.log.record(entry);
        this.events.emit('request', entry);
      },
    );
  }

  async start(): Promise<StandInUrls> {
    const port = await this.server.listen(this.host, this.port);
    const base = `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${port}`;
    this.urls = { apiUrl: `${base}/helix`, authUrl: `${base}/oauth2`, port };
    return this.urls;
  }

  async stop(): Promise<void> {
    this.world.stop();
    await this.server.close();
  }

  /** The URLs start() returned; throws before start(). */
  get apiUrl(): string {
    return this.started().apiUrl;
  }

  get authUrl(): string {
    return this.started().authUrl;
  }

  // --- scenario: users, channels, content ---

  addUser(u: { login: string; id?: string; displayName?: string }): {
    id: string;
    login: string;
    displayName: string;
  } {
    const user = this.world.addUser(u);
    return { id: user.id, login: user.login, displayName: user.displayName };
  }

  /** The user's id; the user is created if the scenario never added it. */
  userId(login: string): string {
    return this.world.ensureUser(login).id;
  }

  setLive(login: string, live: boolean, stream?: StreamOptions): void {
    this.world.setLive(login, live, stream);
  }

  setChannel(login: string, opts: ChannelOptions): void {
    this.world.setChannel(login, opts);
  }

  automodBlock(word: string): void {
    this.world.automodBlock(word);
  }

  seedClips(login: string, n: number, opts?: SeedClipOptions): void {
    this.world.seedClips(login, n, opts);
  }

  /** How Get Clips orders a date-windowed query (World.windowedClipOrder). */
  setWindowedClipOrder(order: 'views' | 'created'): void {
    this.world.windowedClipOrder = order;
  }

  addGame(g: { id?: string; name: string }): { id: string; name: string } {
    const game = this.world.addGame(g);
    return { id: game.id, name: game.name };
  }

  addVideo(
    login: string,
    v: { id?: string; type?: VideoType; createdAt?: Date; durationS?: number; title?: string },
  ): { id: string } {
    return { id: this.world.addVideo(login, v).id };
  }

  /** The archive video of the channel's current stream, if it has one. */
  liveVodId(login: string): string | undefined {
    return this.world.channel(this.world.ensureUser(login).id).liveVodId;
  }

  createdClips(): CreatedClipInfo[] {
    return this.world.createdClips();
  }

  // --- scenario: tokens ---

  issueUserToken(opts: { login: string; scopes: string[]; expiresInS?: number }): {
    accessToken: string;
    refreshToken: string;
  } {
    const user = this.world.ensureUser(opts.login);
    const t = this.tokens.issueUser(this.clientId, user.id, opts.scopes, opts.expiresInS);
    return { accessToken: t.accessToken, refreshToken: t.refreshToken };
  }

  issueAppToken(opts: { expiresInS?: number } = {}): { accessToken: string } {
    const t = this.tokens.issueApp(this.clientId);
    if (opts.expiresInS !== undefined) {
      const record = this.tokens.lookup(t.accessToken);
      if (record) record.expiresAt = Date.now() + opts.expiresInS * 1000;
    }
    return { accessToken: t.accessToken };
  }

  /** Calls with this token then answer 401 "Invalid OAuth token" (validate: 401 too). */
  expireToken(accessToken: string): void {
    if (!this.tokens.kill(accessToken))
      throw new Error('expireToken: the stand-in never issued that token');
  }

  revokeRefreshToken(refreshToken: string): void {
    this.tokens.revokeRefresh(refreshToken);
  }

  /** The device code flow's "browser" step. */
  approveDevice(userCode: string, login: string): void {
    const user = this.world.ensureUser(login);
    if (!this.tokens.approveDevice(userCode, user.id))
      throw new Error(`approveDevice: no pending device authorization with code ${userCode}`);
  }

  // --- scenario: trouble ---

  setRateLimit(opts: { limit: number; refillPerMinute?: number }): void {
    this.limiter.configure(opts);
  }

  /**
   * Create Clip's own bucket (Ratelimit-Helixclipscreation-*): `limit` creations, refilled
   * at `refillPerMinute` (0: never, so it stays exhausted once spent).
   */
  setClipCreationLimit(opts: { limit: number; refillPerMinute?: number }): void {
    this.clipLimiter.configure(opts);
  }

  /** Faults.force429: the next `count` Helix calls (matching `where`) are answered 429. */
  force429(count: number, resetInMs?: number, where?: { method?: string; path?: string }): void {
    this.faults.force429(count, resetInMs, where);
  }

  injectFailure(opts: InjectFailureOptions): void {
    this.faults.injectFailure(opts);
  }

  setLatency(ms: number, opts?: { method?: string; path?: string }): void {
    this.faults.setLatency(ms, opts);
  }

  // --- what crossed the wire ---

  get journal(): JournalEntry[] {
    return this.log.entries;
  }

  clearJournal(): void {
    this.log.clear();
  }

  count(method: string, path: string): number {
    return this.log.count(method, path);
  }

  private started(): StandInUrls {
    if (!this.urls) throw new Error('the Twitch stand-in is not started');
    return this.urls;
  }
}
