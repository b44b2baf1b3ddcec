import { STATUS_CODES } from 'node:http';
import type { EventEmitter } from 'node:events';
import type { Faults } from './faults.js';
import { createClip, getClips } from './helix-clips.js';
import type { Caller, HelixHandler } from './helix-context.js';
import { sendChatMessage } from './helix-chat.js';
import { getStreams } from './helix-streams.js';
import { getGames, getUsers } from './helix-users.js';
import { createClipFromVod, deleteVideos, getVideos } from './helix-videos.js';
import { StandInHttpError, helixErrorBody, type Reply } from './http-kit.js';
import { HELIX_MESSAGES } from './messages.js';
import type { RateLimiter, RateVerdict } from './rate-limiter.js';
import type { Answer, RequestInfo } from './request.js';
import type { TokenStore } from './token-store.js';
import type { StandInEvents, TokenKindSeen } from './types.js';
import type { World } from './world.js';

const ROUTES: Record<string, HelixHandler> = {
  'GET /users': getUsers,
  'GET /streams': getStreams,
  'POST /clips': createClip,
  'GET /clips': getClips,
  'POST /videos/clips': createClipFromVod,
  'GET /videos': getVideos,
  'DELETE /videos': deleteVideos,
  'GET /games': getGames,
  'POST /chat/messages': sendChatMessage,
};

/** "METHOD /path" of every Helix endpoint the stand-in serves (the contract test checks them). */
export const HELIX_ROUTE_KEYS: readonly string[] = Object.keys(ROUTES);

export interface HelixRouterDeps {
  world: World;
  tokens: TokenStore;
  limiter: RateLimiter;
  /** Create Clip's own bucket, apart from the general one. */
  clipLimiter: RateLimiter;
  faults: Faults;
  events: EventEmitter<StandInEvents>;
}

/**
 * Everything in front of the Helix handlers, in Twitch's order: credentials, the rate
 * bucket, then the endpoint. Scenario trouble (forced 429s, injected failures) comes after
 * the bucket, so it looks like trouble on Twitch's side of an accepted call.
 */
export class HelixRouter {
  constructor(private readonly deps: HelixRouterDeps) {}

  handle(info: RequestInfo): Answer {
    const { tokens, limiter, faults, world } = this.deps;
    const now = info.at;
    const auth = String(info.headers.authorization ?? '');
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(auth)?.[1];
    const record = bearer === undefined ? undefined : tokens.lookup(bearer);
    const tokenKind: TokenKindSeen = record?.kind ?? 'none';
    const userLogin =
      record?.userId === undefined ? undefined : world.userById(record.userId)?.login;
    const who = { tokenKind, ...(userLogin ? { userLogin } : {}) };
    const bucketKey =
      record?.kind === 'user'
        ? `user:${record.clientId}:${record.userId}`
        : `app:${record?.clientId ?? 'none'}`;

    const reject = (
      status: number,
      message: string,
      verdict = limiter.peek(bucketKey, now),
    ): Answer => ({
      ...who,
      ...errorReply(status, message, rateHeaders(verdict)),
    });

    const clientId = info.headers['client-id'];
    if (!auth) return reject(401, HELIX_MESSAGES.tokenMissing);
    if (!record || !tokens.isValid(record)) return reject(401, HELIX_MESSAGES.invalidToken);
    if (clientId === undefined || clientId === '')
      return reject(401, HELIX_MESSAGES.clientIdMissing);
    if (clientId !== record.clientId) return reject(401, HELIX_MESSAGES.clientIdMismatch);

    const verdict = limiter.take(bucketKey, now);
    if (!verdict.allowed) return reject(429, HELIX_MESSAGES.tooManyRequests, verdict);
    // Create Clip spends a bucket of its own too, and says so in headers of its own
    // (nicklaw5/helix clips.go: Ratelimit-Helixclipscreation-Limit and -Remaining). Its
    // 429 comes while the general bucket still has points left.
    let clipHeaders: Record<string, string> = {};
    if (info.method === 'POST' && info.path === '/helix/clips') {
      const clip = this.deps.clipLimiter.take(bucketKey, now);
      clipHeaders = {
        'Ratelimit-Helixclipscreation-Limit': String(clip.limit),
        'Ratelimit-Helixclipscreation-Remaining': String(clip.remaining),
      };
      if (!clip.allowed) {
        const answer = reject(429, HELIX_MESSAGES.tooManyRequests, verdict);
        return { ...answer, headers: { ...answer.headers, ...clipHeaders } };
      }
    }
    const forcedResetMs = faults.take429({ method: info.method, path: info.path });
    if (forcedResetMs !== undefined)
      return reject(429, HELIX_MESSAGES.tooManyRequests, {
        ...verdict,
        remaining: 0,
        resetS: Math.ceil((now + forcedResetMs) / 1000),
      });
    const injected = faults.takeFailure({ method: info.method, path: info.path });
    if (injected !== undefined)
      return reject(injected, STATUS_CODES[injected] ?? 'Injected failure', verdict);

    // Twitch reads only `id=a&id=b`; axios's default `id[]=a` would silently match nothing.
    const bracketed = info.query.names().find((n) => n.includes('['));
    if (bracketed !== undefined)
      return reject(400, HELIX_MESSAGES.bracketParam(bracketed), verdict);

    const route = ROUTES[`${info.method} ${info.path.slice('/helix'.length)}`];
    if (!route) return reject(404, HELIX_MESSAGES.notFound, verdict);
    const caller: Caller = {
      kind: record.kind,
      clientId: record.clientId,
      ...(record.userId !== undefined ? { userId: record.userId } : {}),
      scopes: record.scopes,
    };
    try {
      const reply = route({
        params: info.query,
        body: info.body,
        caller,
        now,
        world,
        events: this.deps.events,
      });
      const lost = faults.takeFailureAfterHandling({ method: info.method, path: info.path });
      if (lost !== undefined)
        return reject(lost, STATUS_CODES[lost] ?? 'Injected failure', verdict);
      return {
        ...who,
        ...reply,
        headers: { ...rateHeaders(verdict), ...clipHeaders, ...reply.headers },
      };
    } catch (err) {
      if (err instanceof StandInHttpError) {
        const answer = reject(err.status, err.message, verdict);
        return { ...answer, headers: { ...answer.headers, ...clipHeaders } };
      }
      throw err;
    }
  }
}

function rateHeaders(v: RateVerdict): Record<string, string> {
  return {
    'Ratelimit-Limit': String(v.limit),
    'Ratelimit-Remaining': String(v.remaining),
    'Ratelimit-Reset': String(v.resetS),
  };
}

function errorReply(status: number, message: string, headers: Record<string, string>): Reply {
  return { status, body: helixErrorBody(status, message), headers };
}
