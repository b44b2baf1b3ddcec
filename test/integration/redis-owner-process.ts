/**
 * A clipbot-like process that owns an embedded Redis, for tests of what other processes do
 * with it (`node --import tsx` this file <dataDir>). Prints {"url","pid","ownerPid"} once
 * the server is up; on SIGTERM stops it and exits. SIGKILL leaves the server orphaned,
 * as a crashed bot does.
 */
import { EmbeddedRedis } from '../../src/redis/embedded-redis.js';
import { silentLogger } from '../../src/logger.js';

async function main(): Promise<void> {
  const dataDir = process.argv[2];
  if (!dataDir) throw new Error('usage: redis-owner-process.ts <dataDir>');
  const redis = new EmbeddedRedis({ dataDir, log: silentLogger() });
  const url = await redis.start();
  process.once('SIGTERM', () => {
    void redis.stop().then(() => process.exit(0));
  });
  process.stdout.write(`${JSON.stringify({ url, pid: redis.pid, ownerPid: process.pid })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`redis-owner-process failed: ${String(err)}\n`);
  process.exit(1);
});
