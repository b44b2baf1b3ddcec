import axios, { type AxiosInstance, isAxiosError } from 'axios';

/** Twitch's answer to POST /oauth2/token (refresh, client credentials, device code). */
export interface OAuthTokenResponse {
  accessToken: string;
  refreshToken?: string;
  scopes: string[];
  /** Seconds; absent for tokens that do not expire. */
  expiresIn?: number;
}

/** Twitch's answer to GET /oauth2/validate. */
export interface TokenValidation {
  clientId: string;
  /** Absent for app tokens. */
  login?: string;
  userId?: string;
  scopes: string[];
  /** Seconds; 0 for tokens that do not expire. */
  expiresIn: number;
}

export interface DeviceCodeResponse {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  expiresIn: number;
  interval: number;
}

/**
 * A failed OAuth call. The message holds the endpoint and Twitch's text only, never a
 * token, a secret or a form field.
 */
export class OAuthError extends Error {
  override readonly name = 'OAuthError';
  constructor(
    /** HTTP status; 0 when no answer came. */
    readonly status: number,
    /** "POST /oauth2/token" */
    readonly endpoint: string,
    /** Twitch's `message` (or the transport error's message). */
    readonly twitchMessage: string,
  ) {
    super(`${endpoint} failed (${status}) ${twitchMessage}`.trim());
  }

  /** No answer, 5xx or 429: trying again later may work. */
  get transient(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

export interface TwitchOAuthClientOptions {
  /** Such as https://id.twitch.tv/oauth2 */
  authUrl: string;
  clientId: string;
  clientSecret?: string;
  timeoutMs?: number;
}

interface RawToken {
  access_token?: unknown;
  refresh_token?: unknown;
  scope?: unknown;
  expires_in?: unknown;
}

function scopesOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((s): s is string => typeof s === 'string');
  if (typeof value === 'string') return value.split(' ').filter((s) => s.length > 0);
  return [];
}

function messageOf(body: unknown): string {
  if (body && typeof body === 'object') {
    const b = body as { message?: unknown; error?: unknown; error_description?: unknown };
    for (const v of [b.message, b.error_description, b.error]) {
      if (typeof v === 'string' && v.length > 0) return v;
    }
  }
  return '';
}

export const OAUTH_CLIENT_DEFAULTS = {
  timeoutMs: 10_000,
} as const satisfies Partial<TwitchOAuthClientOptions>;

/**
 * The few calls to Twitch's OAuth server (id.twitch.tv/oauth2) the bot makes. Stateless:
 * storing and sharing tokens is TokenManager's job.
 */
export class TwitchOAuthClient {
  private readonly http: AxiosInstance;

  constructor(private readonly opts: TwitchOAuthClientOptions) {
    this.http = axios.create({
      baseURL: opts.authUrl.replace(/\/+$/, ''),
      timeout: opts.timeoutMs ?? OAUTH_CLIENT_DEFAULTS.timeoutMs,
      validateStatus: () => true,
      transitional: { clarifyTimeoutError: true },
    });
  }

  get clientId(): string {
    return this.opts.clientId;
  }

  hasClientSecret(): boolean {
    return this.opts.clientSecret !== undefined;
  }

  /** grant_type=refresh_token. Public clients (no secret) may refresh without one. */
  async refresh(refreshToken: string): Promise<OAuthTokenResponse> {
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: this.opts.clientId,
    });
    if (this.opts.clientSecret) form.set('client_secret', this.opts.clientSecret);
    return this.token(form);
  }

  async clientCredentials(): Promise<OAuthTokenResponse> {
    if (!this.opts.clientSecret) {
      throw new OAuthError(0, 'POST /oauth2/token', 'no client secret configured');
    }
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.opts.clientId,
      client_secret: this.opts.clientSecret,
    });
    return this.token(form);
  }

  /** GET /oauth2/validate. Returns null when Twitch says the token is invalid (401). */
  async validate(accessToken: string): Promise<TokenValidation | null> {
    const endpoint = 'GET /oauth2/validate';
    const res = await this.send(endpoint, () =>
      this.http.get('/validate', { headers: { Authorization: `OAuth ${accessToken}` } }),
    );
    if (res.status === 401) return null;
    if (res.status !== 200) throw new OAuthError(res.status, endpoint, messageOf(res.data));
    const b = (res.data ?? {}) as Record<string, unknown>;
    return {
      clientId: typeof b.client_id === 'string' ? b.client_id : '',
      login: typeof b.login === 'string' ? b.login : undefined,
      userId: typeof b.user_id === 'string' ? b.user_id : undefined,
      scopes: scopesOf(b.scopes),
      expiresIn: typeof b.expires_in === 'number' ? b.expires_in : 0,
    };
  }

  /** POST /oauth2/device: starts the device code flow. */
  async deviceCode(scopes: string[]): Promise<DeviceCodeResponse> {
    const endpoint = 'POST /oauth2/device';
    const form = new URLSearchParams({ client_id: this.opts.clientId, scopes: scopes.join(' ') });
    const res = await this.send(endpoint, () => this.http.post('/device', form));
    if (res.status !== 200) throw new OAuthError(res.status, endpoint, messageOf(res.data));
    const b = (res.data ?? {}) as Record<string, unknown>;
    if (typeof b.device_code !== 'string' || typeof b.user_code !== 'string') {
      throw new OAuthError(res.status, endpoint, 'answer without device_code');
    }
    return {
      deviceCode: b.device_code,
      userCode: b.user_code,
      verificationUri: typeof b.verification_uri === 'string' ? b.verification_uri : '',
      expiresIn: typeof b.expires_in === 'number' ? b.expires_in : 1800,
      interval: typeof b.interval === 'number' ? b.interval : 5,
    };
  }

  /** One poll of the device code grant; OAuthError carries "authorization_pending" etc. */
  async deviceToken(deviceCode: string, scopes: string[]): Promise<OAuthTokenResponse> {
    const form = new URLSearchParams({
      client_id: this.opts.clientId,
      scopes: scopes.join(' '),
      device_code: deviceCode,
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
    });
    return this.token(form);
  }

  private async token(form: URLSearchParams): Promise<OAuthTokenResponse> {
    const endpoint = 'POST /oauth2/token';
    const res = await this.send(endpoint, () => this.http.post('/token', form));
    if (res.status !== 200) throw new OAuthError(res.status, endpoint, messageOf(res.data));
    const b = (res.data ?? {}) as RawToken;
    if (typeof b.access_token !== 'string' || b.access_token.length === 0) {
      throw new OAuthError(res.status, endpoint, 'answer without access_token');
    }
    return {
      accessToken: b.access_token,
      refreshToken: typeof b.refresh_token === 'string' ? b.refresh_token : undefined,
      scopes: scopesOf(b.scope),
      expiresIn: typeof b.expires_in === 'number' && b.expires_in > 0 ? b.expires_in : undefined,
    };
  }

  /** Runs one request; a transport failure becomes OAuthError(0) with no request details. */
  private async send<T>(
    endpoint: string,
    call: () => Promise<{ status: number; data: T }>,
  ): Promise<{ status: number; data: T }> {
    try {
      return await call();
    } catch (err) {
      const why = isAxiosError(err) ? (err.code ?? 'network error') : 'request failed';
      throw new OAuthError(0, endpoint, why);
    }
  }
}
