import { STATUS_CODES } from 'node:http';
import type { Faults } from './faults.js';
import type { Params } from './http-kit.js';
import { OAUTH_MESSAGES } from './messages.js';
import type { Answer, RequestInfo } from './request.js';
import type { AccessTokenRecord, IssuedUserToken, TokenStore } from './token-store.js';
import type { World } from './world.js';

export interface OAuthRouterDeps {
  tokens: TokenStore;
  world: World;
  faults: Faults;
  clientId: string;
  clientSecret: string;
  deviceIntervalS: number;
  deviceCodeTtlS: number;
  /** the stand-in's /oauth2 base, known once it listens */
  authUrl: () => string;
}

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/**
 * id.twitch.tv's token endpoints. Parameters may come in the query string or a form (or
 * JSON) body, as Twitch accepts both. Errors are {status, message}, Twitch's OAuth shape.
 */
export class OAuthRouter {
  constructor(private readonly deps: OAuthRouterDeps) {}

  handle(info: RequestInfo): Answer {
    const injected = this.deps.faults.takeFailure({ method: info.method, path: info.path });
    if (injected !== undefined) return fail(injected, STATUS_CODES[injected] ?? 'Injected failure');
    const merged = info.query.merge(info.body);
    const route = `${info.method} ${info.path}`;
    switch (route) {
      case 'POST /oauth2/token':
        return this.token(merged);
      case 'POST /oauth2/device':
        return this.device(merged);
      case 'GET /oauth2/validate':
        return this.validate(info);
      case 'POST /oauth2/revoke':
        return this.revoke(merged);
      case 'GET /oauth2/activate':
      case 'POST /oauth2/activate':
        return this.activate(merged);
      default:
        return fail(404, 'Not Found');
    }
  }

  private token(p: Params): Answer {
    const clientError = this.checkClient(p.one('client_id'));
    if (clientError) return clientError;
    const secret = p.one('client_secret');
    switch (p.one('grant_type')) {
      case 'client_credentials': {
        if (secret !== this.deps.clientSecret) return fail(403, OAUTH_MESSAGES.invalidClientSecret);
        const app = this.deps.tokens.issueApp(this.deps.clientId);
        return json({
          access_token: app.accessToken,
          expires_in: app.expiresInS,
          token_type: 'bearer',
        });
      }
      case 'refresh_token': {
        // Public clients refresh without a secret; a confidential one must send the right one.
        if (secret !== undefined && secret !== this.deps.clientSecret)
          return fail(403, OAUTH_MESSAGES.invalidClientSecret);
        const refresh = p.one('refresh_token');
        if (!refresh) return fail(400, OAUTH_MESSAGES.missingRefreshToken);
        const issued = this.deps.tokens.useRefresh(this.deps.clientId, refresh);
        if (!issued) return fail(400, OAUTH_MESSAGES.invalidRefreshToken);
        return json(userTokenBody(issued));
      }
      case DEVICE_GRANT: {
        const code = p.one('device_code') ?? '';
        const device = this.deps.tokens.device(code);
        if (!device || device.clientId !== this.deps.clientId)
          return fail(400, OAUTH_MESSAGES.invalidDeviceCode);
        if (device.expiresAt === 0) return fail(400, OAUTH_MESSAGES.expiredDeviceCode);
        if (device.approvedUserId === undefined)
          return fail(400, OAUTH_MESSAGES.authorizationPending);
        this.deps.tokens.consumeDevice(code);
        const issued = this.deps.tokens.issueUser(
          this.deps.clientId,
          device.approvedUserId,
          device.scopes,
        );
        return json(userTokenBody(issued));
      }
      default:
        return fail(400, OAUTH_MESSAGES.unsupportedGrant);
    }
  }

  private device(p: Params): Answer {
    const clientError = this.checkClient(p.one('client_id'));
    if (clientError) return clientError;
    const scopes = splitScopes(p.one('scopes') ?? p.one('scope'));
    const device = this.deps.tokens.startDevice(this.deps.clientId, scopes);
    return json({
      device_code: device.deviceCode,
      expires_in: this.deps.deviceCodeTtlS,
      interval: this.deps.deviceIntervalS,
      user_code: device.userCode,
      verification_uri: `${this.deps.authUrl()}/activate?device-code=${device.userCode}`,
    });
  }

  private validate(info: RequestInfo): Answer {
    const header = String(info.headers.authorization ?? '');
    const token = /^(?:OAuth|Bearer)\s+(\S+)\s*$/i.exec(header)?.[1];
    if (!token) return fail(401, OAUTH_MESSAGES.missingAuthorization);
    const record = this.deps.tokens.lookup(token);
    const who = record ? this.who(record) : {};
    if (!record || !this.deps.tokens.isValid(record))
      return { ...fail(401, OAUTH_MESSAGES.invalidAccessToken), ...who };
    const user = record.userId === undefined ? undefined : this.deps.world.userById(record.userId);
    const body: Record<string, unknown> = {
      client_id: record.clientId,
      scopes: record.scopes,
      expires_in: this.deps.tokens.expiresInS(record),
    };
    if (user) Object.assign(body, { login: user.login, user_id: user.id });
    return { ...json(body), ...who };
  }

  private revoke(p: Params): Answer {
    const clientError = this.checkClient(p.one('client_id'));
    if (clientError) return clientError;
    const token = p.one('token') ?? '';
    const record = this.deps.tokens.lookup(token);
    if (!record || record.clientId !== this.deps.clientId)
      return fail(400, OAUTH_MESSAGES.invalidToken);
    this.deps.tokens.kill(token);
    return { status: 200, tokenKind: 'none' };
  }

  /** Where a person would type the user code; here ?device-code=CODE&login=name approves it. */
  private activate(p: Params): Answer {
    const code = p.one('device-code') ?? p.one('user_code') ?? '';
    const login = p.one('login');
    if (!login) return fail(400, 'missing login');
    const user = this.deps.world.ensureUser(login);
    if (!this.deps.tokens.approveDevice(code, user.id))
      return fail(400, OAUTH_MESSAGES.unknownUserCode);
    return json({ status: 200, message: 'approved' });
  }

  private checkClient(clientId: string | undefined): Answer | undefined {
    if (!clientId) return fail(400, OAUTH_MESSAGES.missingClientId);
    if (clientId !== this.deps.clientId) return fail(400, OAUTH_MESSAGES.invalidClient);
    return undefined;
  }

  private who(record: AccessTokenRecord): Pick<Answer, 'tokenKind' | 'userLogin'> {
    const login =
      record.userId === undefined ? undefined : this.deps.world.userById(record.userId)?.login;
    return { tokenKind: record.kind, ...(login ? { userLogin: login } : {}) };
  }
}

function splitScopes(raw: string | undefined): string[] {
  return (raw ?? '').split(/[\s+]+/).filter((s) => s.length > 0);
}

function userTokenBody(t: IssuedUserToken) {
  return {
    access_token: t.accessToken,
    refresh_token: t.refreshToken,
    expires_in: t.expiresInS,
    scope: t.scopes,
    token_type: 'bearer',
  };
}

function json(body: unknown): Answer {
  return { status: 200, body, tokenKind: 'none' };
}

function fail(status: number, message: string): Answer {
  return { status, body: { status, message }, tokenKind: 'none' };
}
