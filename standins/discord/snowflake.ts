import { randomBytes } from 'node:crypto';

const DISCORD_EPOCH = 1420070400000n;

/**
 * Makes Discord-shaped ids: discord.js reads an object's creation time from its id, so the
 * ids carry the current time like real snowflakes do.
 */
export class SnowflakeMaker {
  private increment = 0n;

  next(): string {
    this.increment = (this.increment + 1n) & 0xfffn;
    const ms = BigInt(Date.now()) - DISCORD_EPOCH;
    return ((ms << 22n) | (1n << 17n) | this.increment).toString();
  }
}

/** An interaction token: an opaque credential, long like Discord's. */
export function interactionToken(): string {
  return `aW50ZXJhY3Rpb246${randomBytes(48).toString('base64url')}`;
}

/** A bot token shaped like Discord's: base64(user id).timestamp.hmac. */
export function botToken(userId: string): string {
  return [
    Buffer.from(userId).toString('base64url'),
    randomBytes(4).toString('base64url'),
    randomBytes(27).toString('base64url'),
  ].join('.');
}
