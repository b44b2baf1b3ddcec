import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Written to the data dir: which clipbot process runs the server of this dir, and where.
 * Another clipbot process (doctor, auth, a second start) uses that server while its owner
 * lives; a server whose owner died is an orphan and is shut down, never doubled.
 */
export const LOCK_FILE = 'clipbot-redis.json';

export interface LockInfo {
  /** The clipbot process that started the server (absent in locks of older versions). */
  ownerPid?: number;
  /** The redis-server; absent while the owner is still starting it. */
  pid?: number;
  host?: string;
  port?: number;
}

/** The lock file of one data dir. Created exclusively, so two processes never both own it. */
export class DataDirLock {
  readonly path: string;

  constructor(dataDir: string) {
    this.path = path.join(dataDir, LOCK_FILE);
  }

  readRaw(): string | undefined {
    try {
      return readFileSync(this.path, 'utf8');
    } catch {
      return undefined;
    }
  }

  /** Creates the lock file; false when one exists (another process got there first). */
  claim(lock: LockInfo): boolean {
    try {
      writeFileSync(this.path, JSON.stringify(lock), { flag: 'wx' });
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
  }

  /** Overwrites the lock this process holds (once its server runs). */
  write(lock: LockInfo): void {
    writeFileSync(this.path, JSON.stringify(lock));
  }

  /** Removes the lock file when it still says what was read (nobody claimed it since). */
  removeIf(raw: string): void {
    if (this.readRaw() === raw) rmSync(this.path, { force: true });
  }

  /** Removes the lock file when it is this process's (for that server, when given). */
  release(serverPid: number | undefined): void {
    const raw = this.readRaw();
    if (raw === undefined) return;
    const lock = parseLock(raw);
    if (lock.ownerPid !== process.pid) return;
    if (serverPid !== undefined && lock.pid !== undefined && lock.pid !== serverPid) return;
    rmSync(this.path, { force: true });
  }
}

export function parseLock(raw: string): LockInfo {
  try {
    const v = JSON.parse(raw) as Record<string, unknown>;
    const num = (x: unknown): number | undefined =>
      typeof x === 'number' && Number.isInteger(x) && x > 0 ? x : undefined;
    const lock: LockInfo = {};
    const ownerPid = num(v.ownerPid);
    const pid = num(v.pid);
    const port = num(v.port);
    if (ownerPid !== undefined) lock.ownerPid = ownerPid;
    if (pid !== undefined) lock.pid = pid;
    if (port !== undefined) lock.port = port;
    if (typeof v.host === 'string') lock.host = v.host;
    return lock;
  } catch {
    return {};
  }
}
