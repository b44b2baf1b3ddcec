import type { Logger } from 'pino';
import type { TokenKind } from './helix-api.js';
import { OAuthError, type TokenValidation } from './oauth-client.js';
import { networkCause } from '../ops/network-cause.js';

/** 'unreachable': Twitch's OAuth server did not answer, so nothing is known yet. */
export type TokenStateName = 'ok' | 'missing' | 'invalid' | 'refreshing' | 'unreachable';

export interface TokenStatus {
  state: TokenStateName;
  /** One line for /healthz and `clipbot doctor`; never contains a token. */
  message: string;
  /** What went wrong, without the advice the message ends with (for doctor's own fix line). */
  problem?: string;
}

/** Per token (kind + broadcaster) facts this process learned; memory only. */
export interface Tracked {
  state: TokenStateName;
  message: string;
  problem?: string;
  /** An access token that was rejected and could not be refreshed: not tried again. */
  deadAccessToken?: string;
  /** The error was logged; it is logged once until the token works again. */
  reported: boolean;
  /** The access token last handed out, to notice a rotation done by another process. */
  lastAccessToken?: string;
  /** From the latest validation of `validatedToken`. */
  validatedToken?: string;
  validation?: TokenValidation;
  validatedExpiresAt?: number;
}

export const CLIP_SCOPE = 'clips:edit';

export function describeKind(kind: TokenKind, broadcasterId?: string): string {
  return kind === 'broadcaster' ? `broadcaster token (${broadcasterId ?? '?'})` : `${kind} token`;
}

/**
 * What this process knows about each token's state, and the one place that words and logs
 * token problems (once each, until the token works again).
 */
export class TokenLedger {
  private readonly tracked = new Map<string, Tracked>();

  constructor(
    private readonly log: Logger,
    private readonly authUrl: string,
    private readonly now: () => number,
  ) {}

  get(kind: TokenKind, broadcasterId?: string): Tracked | undefined {
    return this.tracked.get(this.keyOf(kind, broadcasterId));
  }

  keyOf(kind: TokenKind, broadcasterId?: string): string {
    return kind === 'broadcaster' ? `broadcaster:${broadcasterId ?? ''}` : kind;
  }

  track(kind: TokenKind, broadcasterId?: string): Tracked {
    const key = this.keyOf(kind, broadcasterId);
    let t = this.tracked.get(key);
    if (!t) {
      t = {
        state: 'missing',
        message: `${describeKind(kind, broadcasterId)} not checked yet`,
        reported: false,
      };
      this.tracked.set(key, t);
    }
    return t;
  }

  setState(t: Tracked, state: TokenStateName, message: string, problem?: string): void {
    t.state = state;
    t.message = message;
    t.problem = problem;
    if (state === 'ok') t.reported = false;
  }

  /** No answer from Twitch (5xx, 429, or none at all): says so, never blames the credentials. */
  setUnreachable(t: Tracked, what: string, err: Error): void {
    const why =
      err instanceof OAuthError && err.status > 0
        ? `Twitch answered ${err.status}`
        : (networkCause(err.message) ?? err.message);
    const problem = `${what}: ${why} (${err instanceof OAuthError ? err.endpoint : 'OAuth'} at ${this.authUrl})`;
    this.setState(t, 'unreachable', `${problem}; will try again`, problem);
  }

  markInvalid(
    t: Tracked,
    kind: TokenKind,
    broadcasterId: string | undefined,
    deadToken: string | undefined,
    why: string,
  ): void {
    if (deadToken !== undefined) t.deadAccessToken = deadToken;
    const fix = kind === 'broadcaster' ? 'run `clipbot auth --broadcaster`' : 'run `clipbot auth`';
    const problem = `the ${describeKind(kind, broadcasterId)} cannot be used: ${why}`;
    this.setState(t, 'invalid', `${problem}; ${fix}`, problem);
    this.report(t, 'error', kind, broadcasterId);
  }

  /** Logs a token problem once, until the token works again. */
  report(t: Tracked, level: 'error' | 'warn', kind: TokenKind, broadcasterId?: string): void {
    if (t.reported) return;
    t.reported = true;
    this.log[level]({ tokenKind: kind, broadcasterId, tokenState: t.state }, t.message);
  }

  recordValidation(t: Tracked, token: string, v: TokenValidation): void {
    t.validatedToken = token;
    t.validation = v;
    t.validatedExpiresAt = v.expiresIn > 0 ? this.now() + v.expiresIn * 1000 : undefined;
  }

  missingMessage(kind: TokenKind, broadcasterId?: string): string {
    if (kind === 'broadcaster') {
      return `no token stored for broadcaster ${broadcasterId ?? '?'}: run \`clipbot auth --broadcaster\``;
    }
    return 'no user token: set TWITCH_ACCESS_TOKEN or run `clipbot auth`';
  }

  okMessage(kind: TokenKind, broadcasterId: string | undefined, v: TokenValidation): string {
    const who = v.login ? ` for ${v.login}` : '';
    const expires =
      v.expiresIn > 0 ? `expires in ${Math.round(v.expiresIn / 60)} min` : 'does not expire';
    const lacks =
      kind === 'user' && !v.scopes.includes(CLIP_SCOPE) ? `; MISSING ${CLIP_SCOPE}` : '';
    return `${describeKind(kind, broadcasterId)}${who} is valid (${expires}; scopes: ${v.scopes.join(' ') || 'none'}${lacks})`;
  }
}
