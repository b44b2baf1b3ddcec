import axios, { type AxiosInstance, type AxiosResponse, isAxiosError } from 'axios';
import type { Logger } from 'pino';
import type { Metrics } from '../ops/metrics.js';
import { classifyHelixFailure, unrecognisedClipRefusal } from './classify-error.js';
import { HelixError, type HelixErrorKind, TokenError } from './errors.js';
import type { TokenKind } from './helix-api.js';
import {
  newRetryState,
  type RetryFailure,
  type RetryPolicy,
  type RetryState,
} from './retry-policy.js';
import { reportHelixWait } from './helix-waits.js';
import { sleep as defaultSleep } from './sleep.js';
import { type HelixTokenSource, TokenUnavailableError } from './token-source.js';
import type { ClipCreationLimitState, RateLimitState } from './types.js';

export type QueryValue = string | number | boolean | string[] | undefined;

export interface HelixRequest {
  method: 'GET' | 'POST' | 'DELETE' | 'PATCH' | 'PUT';
  /** Below the Helix base URL, such as "/clips". */
  path: string;
  /** Arrays go out as repeated parameters (id=a&id=b); undefined values are left out. */
  query?: Record<string, QueryValue>;
  body?: unknown;
  token: TokenKind;
  /** Whose token, for token 'broadcaster'. */
  broadcasterId?: string;
  /** Whether sending it twice is harmless. Defaults to false for POST, true otherwise. */
  idempotent?: boolean;
}

export interface HelixTransportOptions {
  /** Such as https://api.twitch.tv/helix */
  apiUrl: string;
  tokens: HelixTokenSource;
  timeoutMs: number;
  retry: RetryPolicy;
  log: Logger;
  metrics?: Metrics;
  /** Injected so unit tests need not wait; defaults to a timer. */
  sleep?: (ms: number) => Promise<void>;
}

/** A failure as the retry loop sees it. */
interface Failure extends RetryFailure {
  status: number;
  message: string;
}

// Twitch sends a missing scope as 401 too; a refresh cannot add a scope, so none is tried.
const SCOPE = /scope/i;

// Codes meaning the request never left this machine: safe to send again whatever it was.
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function twitchMessage(body: unknown): string {
  if (body && typeof body === 'object' && 'message' in body) {
    const m = (body as { message?: unknown }).message;
    if (typeof m === 'string') return m;
  }
  if (typeof body === 'string' && body.length < 300) return body;
  return '';
}

function header(res: AxiosResponse, name: string): number | undefined {
  const raw: unknown = res.headers[name];
  if (raw === undefined || raw === null || raw === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : undefined;
}

/** A transport error's text, without anything that could be a URL's query string. */
function transportMessage(err: unknown): { code: string; message: string } {
  if (isAxiosError(err)) {
    const code = err.code ?? 'ERR_NETWORK';
    const message = (err.message || code).replace(/\?\S*/g, '');
    return { code, message: message.includes(code) ? message : `${code}: ${message}` };
  }
  return { code: 'ERR_UNKNOWN', message: 'request failed' };
}

/**
 * Sends Helix requests: picks the token, retries by the RetryPolicy, refreshes once on
 * 401, reads the Ratelimit-* headers, and turns every failure into a HelixError whose
 * message names "METHOD /path" only (no query string, no token).
 */
export class HelixTransport {
  private readonly http: AxiosInstance;
  private readonly limits: Partial<Record<TokenKind, RateLimitState>> = {};
  private clipCreation: ClipCreationLimitState | undefined;
  /** Unrecognised refusal texts already logged (each once per process; bounded). */
  private readonly unknownTexts = new Set<string>();
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly opts: HelixTransportOptions) {
    this.http = axios.create({
      baseURL: opts.apiUrl.replace(/\/+$/, ''),
      timeout: opts.timeoutMs,
      // Twitch wants id=a&id=b; axios's default would send id[]=a&id[]=b.
      paramsSerializer: { indexes: null },
      validateStatus: () => true,
      transitional: { clarifyTimeoutError: true },
    });
    this.sleep = opts.sleep ?? ((ms) => defaultSleep(ms));
  }

  rateLimit(): Partial<Record<TokenKind, RateLimitState>> {
    const copy: Partial<Record<TokenKind, RateLimitState>> = {};
    for (const [k, v] of Object.entries(this.limits) as [TokenKind, RateLimitState][]) {
      copy[k] = { ...v };
    }
    return copy;
  }

  /** Create Clip's own bucket, from the latest Create Clip answer that carried its headers. */
  clipCreationLimit(): ClipCreationLimitState | undefined {
    return this.clipCreation ? { ...this.clipCreation } : undefined;
  }

  async request<T>(req: HelixRequest): Promise<{ status: number; body: T }> {
    const endpoint = `${req.method} ${req.path}`;
    const idempotent = req.idempotent ?? req.method !== 'POST';
    const state = newRetryState();
    let refreshed = false;
    let token = await this.withToken(endpoint, 0, () =>
      this.opts.tokens.getToken(req.token, req.broadcasterId),
    );
    for (;;) {
      const started = Date.now();
      let res: AxiosResponse<unknown>;
      try {
        res = await this.http.request<unknown>({
          method: req.method,
          url: req.path,
          params: req.query,
          data: req.body,
          headers: { Authorization: `Bearer ${token}`, 'Client-Id': this.opts.tokens.clientId },
        });
      } catch (err) {
        const { code, message } = transportMessage(err);
        this.observe(req.token, endpoint, 0);
        const failure: Failure = {
          kind: code === 'ETIMEDOUT' || code === 'ECONNABORTED' ? 'timeout' : 'network',
          status: 0,
          message,
          idempotent,
          ambiguous: !NOT_SENT.has(code),
        };
        await this.retryOrThrow(endpoint, state, failure);
        continue;
      }
      this.observe(req.token, endpoint, res.status, res);
      if (res.status >= 200 && res.status < 300) {
        this.opts.log.debug(
          { endpoint, status: res.status, ms: Date.now() - started, retries: state.retries },
          'helix call',
        );
        return { status: res.status, body: res.data as T };
      }
      const message = twitchMessage(res.data);
      if (res.status === 401 && !refreshed && !SCOPE.test(message)) {
        refreshed = true;
        const rejected = token;
        token = await this.withToken(endpoint, 401, () =>
          this.opts.tokens.refreshAfter401(req.token, rejected, req.broadcasterId),
        );
        continue;
      }
      const failure = { status: res.status, method: req.method, path: req.path, message };
      let kind = classifyHelixFailure(failure);
      if (kind === 'rate_limited' && this.fromClipCreationBucket(req, res)) {
        // Create Clip's own bucket, not the general one: waiting for Ratelimit-Reset (which
        // describes the general bucket) and retrying would only spend more of it. The
        // pipeline backs off per this bucket and pauses clip creation for every worker.
        kind = 'clip_creation_limited';
      }
      if (unrecognisedClipRefusal(failure, kind))
        this.noteUnknownRefusal(endpoint, res.status, message);
      await this.retryOrThrow(endpoint, state, {
        kind,
        status: res.status,
        message,
        idempotent,
        resetAt: kind === 'rate_limited' ? header(res, 'ratelimit-reset') : undefined,
        // A 5xx may come after the work was done (a clip made, the answer lost); a 4xx or
        // 429 is Twitch refusing before acting.
        ambiguous: res.status >= 500,
      });
    }
  }

  /** Waits before the next attempt, or throws the failure as a HelixError. */
  private async retryOrThrow(endpoint: string, state: RetryState, failure: Failure): Promise<void> {
    const decision = this.opts.retry.decide(state, failure);
    if (!decision.retry) {
      throw new HelixError(
        failure.kind,
        failure.status,
        endpoint,
        failure.message,
        failure.resetAt,
        failure.ambiguous ?? false,
      );
    }
    this.opts.retry.record(state, failure, decision.delayMs);
    this.opts.log.warn(
      {
        endpoint,
        status: failure.status,
        kind: failure.kind,
        retry: state.retries,
        delayMs: decision.delayMs,
      },
      `helix ${endpoint} failed (${failure.kind}); retrying`,
    );
    reportHelixWait({ endpoint, kind: failure.kind, delayMs: decision.delayMs });
    await this.sleep(decision.delayMs);
  }

  /** Gets a token, turning the token layer's errors into HelixError. */
  private async withToken(
    endpoint: string,
    status: number,
    get: () => Promise<string>,
  ): Promise<string> {
    try {
      return await get();
    } catch (err) {
      // No token means no request was sent: never ambiguous.
      if (err instanceof TokenUnavailableError) {
        throw new HelixError('network', 0, endpoint, err.message, undefined, false);
      }
      if (err instanceof TokenError) {
        const kind: HelixErrorKind = SCOPE.test(err.message) ? 'missing_scope' : 'unauthorized';
        throw new HelixError(kind, status, endpoint, err.message, undefined, false);
      }
      // Redis (the token store) did not answer: as retryable as Twitch not answering.
      throw new HelixError(
        'network',
        0,
        endpoint,
        `no token: ${(err as Error).message}`,
        undefined,
        false,
      );
    }
  }

  /**
   * A 429 on Create Clip comes from its own bucket when that bucket says it is empty, or
   * when the general bucket still has points left (nicklaw5/helix clips.go reads these
   * headers: Ratelimit-Helixclipscreation-Limit and -Remaining).
   */
  private fromClipCreationBucket(req: HelixRequest, res: AxiosResponse): boolean {
    if (req.method !== 'POST' || req.path !== '/clips') return false;
    if (header(res, 'ratelimit-helixclipscreation-remaining') === 0) return true;
    const general = header(res, 'ratelimit-remaining');
    return general !== undefined && general > 0;
  }

  /** Counts every refusal Twitch worded in a way we do not know; logs each text once. */
  private noteUnknownRefusal(endpoint: string, status: number, message: string): void {
    this.opts.metrics?.helixUnknownRefusals.inc({ endpoint, status: String(status) });
    if (this.unknownTexts.has(message) || this.unknownTexts.size >= 1000) return;
    this.unknownTexts.add(message);
    this.opts.log.warn(
      { endpoint, status, twitchMessage: message },
      'Twitch refused a clip with a text the bot does not recognise; the viewer was told it as is. Please report this text.',
    );
  }

  private observe(kind: TokenKind, endpoint: string, status: number, res?: AxiosResponse): void {
    this.opts.metrics?.helixCalls.inc({ endpoint, status: String(status) });
    if (!res) return;
    const clipLimit = header(res, 'ratelimit-helixclipscreation-limit');
    const clipRemaining = header(res, 'ratelimit-helixclipscreation-remaining');
    if (clipLimit !== undefined && clipRemaining !== undefined) {
      this.clipCreation = { limit: clipLimit, remaining: clipRemaining, at: Date.now() };
      this.opts.metrics?.helixClipCreationRemaining.set(clipRemaining);
    }
    const limit = header(res, 'ratelimit-limit');
    const remaining = header(res, 'ratelimit-remaining');
    const reset = header(res, 'ratelimit-reset');
    if (limit === undefined || remaining === undefined || reset === undefined) return;
    this.limits[kind] = { limit, remaining, reset };
    this.opts.metrics?.helixRateLimitRemaining.set({ token: kind }, remaining);
  }
}
