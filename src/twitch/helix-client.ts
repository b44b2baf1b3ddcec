import type { Logger } from 'pino';
import type { Metrics } from '../ops/metrics.js';
import { HelixError } from './errors.js';
import type { HelixApi, TokenKind } from './helix-api.js';
import { HelixTransport, type QueryValue } from './helix-transport.js';
import { RetryPolicy } from './retry-policy.js';
import type { HelixTokenSource } from './token-source.js';
import type {
  ClipCreationLimitState,
  ClipQuery,
  CreatedClip,
  HelixClip,
  HelixGame,
  HelixStream,
  HelixUser,
  HelixVideo,
  Page,
  RateLimitState,
  VideoQuery,
} from './types.js';

export interface HelixClientOptions {
  /** TWITCH_API_URL, such as https://api.twitch.tv/helix */
  apiUrl: string;
  /** TWITCH_CLIENT_ID; must match the one the tokens were issued to. */
  clientId: string;
  /** Usually the TokenManager. */
  tokens: HelixTokenSource;
  timeoutMs: number;
  maxRetries: number;
  retryBaseMs: number;
  maxRateLimitWaitS: number;
  log: Logger;
  metrics?: Metrics;
}

/** Twitch's limit on ids (or ids and logins together) in one request. */
const MAX_IDS = 100;
/** DELETE /videos takes at most 5 ids. */
const MAX_DELETE = 5;

interface DataBody<T> {
  data?: T[];
  pagination?: { cursor?: string };
}

/** Splits a list into pieces of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function unique(items: readonly string[] | undefined): string[] {
  return [...new Set(items ?? [])];
}

/** A login Twitch could know: what GET /users accepts without failing the whole batch. */
export function isValidLogin(login: string): boolean {
  return /^[a-z0-9_]{1,25}$/.test(login);
}

// GET /users answers 400 for a whole batch when one login is malformed (real text, seen by
// the bot's doctor against Twitch): "Invalid login names, emails or IDs in request".
const INVALID_USERS = /invalid login/i;

/**
 * The cursor of a next page, or undefined on the last one. Twitch may still send a cursor
 * on the last page: `eyJiIjpudWxsLCJhIjoiIn0`, which decodes to {"b":null,"a":""}, an
 * empty "after" position. Asking with it again only returns an empty page.
 */
export function nextCursor(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  try {
    const pos = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as unknown;
    if (pos && typeof pos === 'object' && 'a' in pos) {
      const after = (pos as { a?: unknown }).a;
      if (after === '' || after === null) return undefined;
    }
  } catch {
    // Not JSON: an opaque cursor, used as given.
  }
  return cursor;
}

/**
 * The endpoints layer: one method per Helix call the bot makes, in Twitch's shapes.
 * Transport, retries and tokens are HelixTransport's and TokenManager's business.
 */
export class HelixClient implements HelixApi {
  private readonly transport: HelixTransport;

  constructor(private readonly opts: HelixClientOptions) {
    if (opts.tokens.clientId !== opts.clientId) {
      opts.log.warn('HelixClient and its token source name different client ids');
    }
    this.transport = new HelixTransport({
      apiUrl: opts.apiUrl,
      tokens: opts.tokens,
      timeoutMs: opts.timeoutMs,
      retry: new RetryPolicy({
        maxRetries: opts.maxRetries,
        baseMs: opts.retryBaseMs,
        maxRateLimitWaitS: opts.maxRateLimitWaitS,
      }),
      log: opts.log,
      metrics: opts.metrics,
    });
  }

  /** Reads use the app token when there is one: it has its own rate budget. */
  private get readToken(): TokenKind {
    return this.opts.tokens.appTokenAvailable() ? 'app' : 'user';
  }

  private async get<T>(path: string, query: Record<string, QueryValue>): Promise<DataBody<T>> {
    const res = await this.transport.request<DataBody<T> | undefined>({
      method: 'GET',
      path,
      query,
      token: this.readToken,
    });
    return res.body ?? {};
  }

  /** Runs one GET per piece of `pairs` (at most 100 parameters each) and joins the data. */
  private async getSplit<T>(path: string, pairs: [string, string][]): Promise<T[]> {
    const pages = await Promise.all(
      chunk(pairs, MAX_IDS).map((piece) => {
        const query: Record<string, string[]> = {};
        for (const [name, value] of piece) (query[name] ??= []).push(value);
        return this.get<T>(path, query);
      }),
    );
    return pages.flatMap((p) => p.data ?? []);
  }

  async getUsers(query: { ids?: string[]; logins?: string[] }): Promise<HelixUser[]> {
    return (await this.lookUpUsers(query)).users;
  }

  /**
   * GET /users that names what Twitch cannot resolve instead of failing a whole batch:
   * malformed logins are never sent, and a batch Twitch still refuses as invalid is split
   * in halves until the bad entries are found; the valid ones resolve either way.
   */
  async lookUpUsers(query: {
    ids?: string[];
    logins?: string[];
  }): Promise<{ users: HelixUser[]; invalid: string[] }> {
    const logins = unique(query.logins?.map((l) => l.trim().toLowerCase()));
    const invalid = logins.filter((l) => !isValidLogin(l));
    const pairs: [string, string][] = [
      ...unique(query.ids).map((id): [string, string] => ['id', id]),
      ...logins.filter(isValidLogin).map((l): [string, string] => ['login', l]),
    ];
    const pieces = await Promise.all(
      chunk(pairs, MAX_IDS).map((piece) => this.usersOrSplit(piece)),
    );
    const users = pieces.flatMap((p) => p.users);
    invalid.push(...pieces.flatMap((p) => p.invalid));
    if (invalid.length > 0) {
      this.opts.log.warn({ invalid }, 'Twitch cannot resolve these users (invalid login or id)');
    }
    return { users, invalid };
  }

  private async usersOrSplit(
    pairs: [string, string][],
  ): Promise<{ users: HelixUser[]; invalid: string[] }> {
    if (pairs.length === 0) return { users: [], invalid: [] };
    try {
      return { users: await this.getSplit<HelixUser>('/users', pairs), invalid: [] };
    } catch (err) {
      if (!(
        err instanceof HelixError &&
        err.status === 400 &&
        INVALID_USERS.test(err.twitchMessage)
      ))
        throw err;
      if (pairs.length === 1) return { users: [], invalid: [pairs[0]![1]] };
      const half = Math.ceil(pairs.length / 2);
      const [a, b] = await Promise.all([
        this.usersOrSplit(pairs.slice(0, half)),
        this.usersOrSplit(pairs.slice(half)),
      ]);
      return { users: [...a.users, ...b.users], invalid: [...a.invalid, ...b.invalid] };
    }
  }

  async getStreams(query: { userIds?: string[]; userLogins?: string[] }): Promise<HelixStream[]> {
    const ids = unique(query.userIds ?? []);
    const logins = unique(query.userLogins ?? []);
    if (ids.length === 0 && logins.length === 0) return [];
    // first=100: the default page of 20 would drop live channels from a batch of 100.
    const pages = await Promise.all([
      ...chunk(ids, MAX_IDS).map((piece) =>
        this.get<HelixStream>('/streams', { user_id: piece, first: MAX_IDS }),
      ),
      ...chunk(logins, MAX_IDS).map((piece) =>
        this.get<HelixStream>('/streams', { user_login: piece, first: MAX_IDS }),
      ),
    ]);
    return pages.flatMap((p) => p.data ?? []);
  }

  async createClip(query: {
    broadcasterId: string;
    title?: string;
    duration?: number;
  }): Promise<CreatedClip> {
    const res = await this.transport.request<DataBody<CreatedClip> | undefined>({
      method: 'POST',
      path: '/clips',
      query: { broadcaster_id: query.broadcasterId, title: query.title, duration: query.duration },
      token: 'user',
    });
    return this.firstCreated(res.status, 'POST /clips', res.body);
  }

  async getClipsByIds(ids: string[]): Promise<HelixClip[]> {
    const list = unique(ids);
    if (list.length === 0) return [];
    return this.getSplit<HelixClip>(
      '/clips',
      list.map((id): [string, string] => ['id', id]),
    );
  }

  async getClips(query: ClipQuery): Promise<Page<HelixClip>> {
    const body = await this.get<HelixClip>('/clips', {
      broadcaster_id: query.broadcasterId,
      game_id: query.gameId,
      started_at: query.startedAt,
      ended_at: query.endedAt,
      is_featured: query.isFeatured,
      first: query.first,
      after: query.after,
      before: query.before,
    });
    return { data: body.data ?? [], cursor: nextCursor(body.pagination?.cursor) };
  }

  async getAllClips(
    query: Omit<ClipQuery, 'after' | 'before'>,
    limit = Number.POSITIVE_INFINITY,
  ): Promise<HelixClip[]> {
    const seen = new Set<string>();
    const cursors = new Set<string>();
    const out: HelixClip[] = [];
    let after: string | undefined;
    while (out.length < limit) {
      const first = Math.min(MAX_IDS, query.first ?? MAX_IDS, limit - out.length);
      const page = await this.getClips({ ...query, first, after });
      for (const clip of page.data) {
        if (seen.has(clip.id) || out.length >= limit) continue;
        seen.add(clip.id);
        out.push(clip);
      }
      // A cursor seen before would loop forever; an empty page means the end.
      if (!page.cursor || cursors.has(page.cursor) || page.data.length === 0) break;
      cursors.add(page.cursor);
      after = page.cursor;
    }
    return out;
  }

  async createClipFromVod(query: {
    editorId: string;
    broadcasterId: string;
    vodId: string;
    vodOffset: number;
    duration?: number;
    title: string;
  }): Promise<CreatedClip> {
    const res = await this.transport.request<DataBody<CreatedClip> | undefined>({
      method: 'POST',
      path: '/videos/clips',
      query: {
        editor_id: query.editorId,
        broadcaster_id: query.broadcasterId,
        vod_id: query.vodId,
        vod_offset: query.vodOffset,
        duration: query.duration,
        title: query.title,
      },
      // The bot account clips as one of the channel's editors.
      token: 'user',
    });
    return this.firstCreated(res.status, 'POST /videos/clips', res.body);
  }

  async getVideos(query: VideoQuery): Promise<Page<HelixVideo>> {
    const ids = unique(query.ids);
    const rest = {
      user_id: query.userId,
      game_id: query.gameId,
      language: query.language,
      period: query.period,
      sort: query.sort,
      type: query.type,
      first: query.first,
      after: query.after,
      before: query.before,
    };
    if (ids.length > MAX_IDS) {
      // Ids are not paged: every piece is complete, so the joined list has no cursor.
      const data = await this.getSplit<HelixVideo>(
        '/videos',
        ids.map((id): [string, string] => ['id', id]),
      );
      return { data };
    }
    const body = await this.get<HelixVideo>('/videos', {
      ...rest,
      id: ids.length > 0 ? ids : undefined,
    });
    return { data: body.data ?? [], cursor: nextCursor(body.pagination?.cursor) };
  }

  async deleteVideos(ids: string[], broadcasterId: string): Promise<string[]> {
    const list = unique(ids);
    const deleted: string[] = [];
    for (const piece of chunk(list, MAX_DELETE)) {
      const res = await this.transport.request<{ data?: string[] } | undefined>({
        method: 'DELETE',
        path: '/videos',
        query: { id: piece },
        token: 'broadcaster',
        broadcasterId,
      });
      deleted.push(...(res.body?.data ?? []));
    }
    return deleted;
  }

  async getGames(query: { names?: string[]; ids?: string[] }): Promise<HelixGame[]> {
    const pairs: [string, string][] = [
      ...unique(query.ids).map((id): [string, string] => ['id', id]),
      ...unique(query.names).map((n): [string, string] => ['name', n]),
    ];
    if (pairs.length === 0) return [];
    return this.getSplit<HelixGame>('/games', pairs);
  }

  rateLimit(): Partial<Record<TokenKind, RateLimitState>> {
    return this.transport.rateLimit();
  }

  /** Create Clip's own bucket as its latest answer described it. */
  clipCreationLimit(): ClipCreationLimitState | undefined {
    return this.transport.clipCreationLimit();
  }

  private firstCreated(
    status: number,
    endpoint: string,
    body: DataBody<CreatedClip> | undefined,
  ): CreatedClip {
    const created = body?.data?.[0];
    if (!created || typeof created.id !== 'string') {
      throw new HelixError(
        'server_error',
        status,
        endpoint,
        'Twitch accepted the clip but sent no id',
      );
    }
    return { id: created.id, edit_url: created.edit_url };
  }
}
