import { TokenError } from './errors.js';
import type { TokenKind } from './helix-api.js';

/**
 * What the Helix transport needs from the token layer. TokenManager implements it; the
 * transport depends on this interface only, so auth and transport stay separate layers.
 */
export interface HelixTokenSource {
  readonly clientId: string;
  /** The current access token; throws TokenError when there is none that can be used. */
  getToken(kind: TokenKind, broadcasterId?: string): Promise<string>;
  /**
   * Called when Twitch rejected `rejectedToken` with 401. Returns a token worth one more
   * try (a newer stored one, or a refreshed one); throws TokenError when there is none.
   */
  refreshAfter401(kind: TokenKind, rejectedToken: string, broadcasterId?: string): Promise<string>;
  /** True when an app token can be had (a client secret is configured). */
  appTokenAvailable(): boolean;
}

/**
 * The token could not be refreshed for a reason that may pass (Twitch's OAuth server did
 * not answer or answered 5xx). The Helix call fails as retryable, not as unauthorized.
 */
export class TokenUnavailableError extends TokenError {
  readonly transient = true;
}
