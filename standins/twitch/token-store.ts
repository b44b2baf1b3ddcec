import { randomBytes } from 'node:crypto';

export interface AccessTokenRecord {
  kind: 'app' | 'user';
  clientId: string;
  userId?: string;
  scopes: string[];
  /** epoch ms */
  expiresAt: number;
  /** expired or revoked on purpose by a scenario */
  dead: boolean;
}

interface RefreshRecord {
  clientId: string;
  userId: string;
  scopes: string[];
}

export interface DeviceRecord {
  deviceCode: string;
  userCode: string;
  clientId: string;
  scopes: string[];
  expiresAt: number;
  approvedUserId?: string;
}

export interface IssuedUserToken {
  accessToken: string;
  refreshToken: string;
  expiresInS: number;
  scopes: string[];
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
// Twitch's user codes avoid letters that read alike.
const USER_CODE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

function randomString(length: number, alphabet: string): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[bytes[i]! % alphabet.length];
  return out;
}

/** Access tokens, refresh tokens and pending device authorizations. */
export class TokenStore {
  private readonly access = new Map<string, AccessTokenRecord>();
  private readonly refresh = new Map<string, RefreshRecord>();
  private readonly devices = new Map<string, DeviceRecord>();

  constructor(
    private readonly ttl: { appS: number; userS: number; deviceS: number },
    private readonly now: () => number = Date.now,
  ) {}

  issueApp(clientId: string): { accessToken: string; expiresInS: number } {
    const accessToken = this.newAccessToken({
      kind: 'app',
      clientId,
      scopes: [],
      expiresAt: this.now() + this.ttl.appS * 1000,
      dead: false,
    });
    return { accessToken, expiresInS: this.ttl.appS };
  }

  issueUser(clientId: string, userId: string, scopes: string[], ttlS?: number): IssuedUserToken {
    const expiresInS = ttlS ?? this.ttl.userS;
    const accessToken = this.newAccessToken({
      kind: 'user',
      clientId,
      userId,
      scopes: [...scopes],
      expiresAt: this.now() + expiresInS * 1000,
      dead: false,
    });
    const refreshToken = randomString(50, ALNUM);
    this.refresh.set(refreshToken, { clientId, userId, scopes: [...scopes] });
    return { accessToken, refreshToken, expiresInS, scopes: [...scopes] };
  }

  /** The token's record whether or not it still works; undefined if never issued. */
  lookup(accessToken: string): AccessTokenRecord | undefined {
    return this.access.get(accessToken);
  }

  isValid(record: AccessTokenRecord): boolean {
    return !record.dead && record.expiresAt > this.now();
  }

  expiresInS(record: AccessTokenRecord): number {
    return Math.max(0, Math.floor((record.expiresAt - this.now()) / 1000));
  }

  kill(accessToken: string): boolean {
    const record = this.access.get(accessToken);
    if (!record) return false;
    record.dead = true;
    return true;
  }

  revokeRefresh(refreshToken: string): boolean {
    return this.refresh.delete(refreshToken);
  }

  /** Twitch rotates refresh tokens for public clients; the stand-in always rotates. */
  useRefresh(clientId: string, refreshToken: string): IssuedUserToken | undefined {
    const record = this.refresh.get(refreshToken);
    if (!record || record.clientId !== clientId) return undefined;
    this.refresh.delete(refreshToken);
    return this.issueUser(clientId, record.userId, record.scopes);
  }

  startDevice(clientId: string, scopes: string[]): DeviceRecord {
    const device: DeviceRecord = {
      deviceCode: randomString(40, ALNUM),
      userCode: randomString(8, USER_CODE_LETTERS),
      clientId,
      scopes,
      expiresAt: this.now() + this.ttl.deviceS * 1000,
    };
    this.devices.set(device.deviceCode, device);
    return device;
  }

  device(deviceCode: string): DeviceRecord | undefined {
    const device = this.devices.get(deviceCode);
    if (device && device.expiresAt <= this.now()) {
      this.devices.delete(deviceCode);
      return { ...device, expiresAt: 0 };
    }
    return device;
  }

  consumeDevice(deviceCode: string): void {
    this.devices.delete(deviceCode);
  }

  approveDevice(userCode: string, userId: string): boolean {
    const code = userCode.trim().toUpperCase();
    for (const device of this.devices.values()) {
      if (device.userCode === code && device.expiresAt > this.now()) {
        device.approvedUserId = userId;
        return true;
      }
    }
    return false;
  }

  private newAccessToken(record: AccessTokenRecord): string {
    if (this.access.size > 10_000) this.prune();
    const token = randomString(30, ALNUM);
    this.access.set(token, record);
    return token;
  }

  /** Forgets long-expired tokens so a long benchmark's refreshes do not pile up. */
  private prune(): void {
    const cutoff = this.now() - 3_600_000;
    for (const [token, record] of this.access)
      if (record.expiresAt < cutoff) this.access.delete(token);
  }
}
