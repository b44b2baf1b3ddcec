/**
 * A clip worker in its own process, for tests that kill it (`npx tsx` this file).
 * Reads its wiring from CLIPBOT_WORKER_* environment variables, prints "ready" once the
 * worker takes jobs, and closes gracefully on SIGTERM.
 */
import { buildPipeline } from '../../src/app/build-pipeline.js';
import { createLogger } from '../../src/logger.js';
import { RedisConnections } from '../../src/redis/connection.js';
import { FAST_SETTINGS, FAST_TUNING, twitchClients } from './pipeline-harness.js';

function env(name: string): string {
  const v = process.env[`CLIPBOT_WORKER_${name}`];
  if (!v) throw new Error(`CLIPBOT_WORKER_${name} is not set`);
  return v;
}

async function main(): Promise<void> {
  const log = createLogger({
    level: process.env.CLIPBOT_WORKER_LOG_LEVEL ?? 'silent',
    format: 'json',
    destination: process.stderr,
  });
  const prefix = env('PREFIX');
  const connections = new RedisConnections({ url: env('REDIS_URL'), log });
  const redis = connections.create('worker-process');
  const { tokens, helix } = await twitchClients({
    redis,
    prefix,
    apiUrl: env('API_URL'),
    authUrl: env('AUTH_URL'),
    clientId: env('CLIENT_ID'),
    clientSecret: env('CLIENT_SECRET'),
    userToken: { accessToken: env('ACCESS_TOKEN'), refreshToken: env('REFRESH_TOKEN') },
    log,
  });
  const overrides = JSON.parse(process.env.CLIPBOT_WORKER_SETTINGS ?? '{}') as object;
  const pipeline = buildPipeline({
    role: 'worker',
    connections,
    settings: { ...FAST_SETTINGS, prefix, ...overrides },
    log,
    helix,
    tuning: FAST_TUNING,
  });
  await pipeline.start();
  process.once('SIGTERM', () => {
    void pipeline.close().then(async () => {
      tokens.stop();
      await connections.closeAll();
      process.stdout.write('closed\n');
      process.exit(0);
    });
  });
  process.stdout.write('ready\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`worker-process failed: ${String(err)}\n`);
  process.exit(1);
});
