import { App } from '../../src/app/app.js';
import { silentLogger } from '../../src/logger.js';
import { Metrics } from '../../src/ops/metrics.js';
import { E2E_TUNING, type E2E } from './e2e-harness.js';

/**
 * One more bot process on a scene's Redis prefix and world: an App built like main.ts
 * builds one (own Redis connections, own tmi.js and discord.js connections), from the
 * scene's config with `env` changes. The caller stops it.
 */
export async function anotherApp(s: E2E, env: Record<string, string | number> = {}): Promise<App> {
  const config = { ...s.config, ...env } as typeof s.config;
  const app = new App({
    config,
    role: 'all',
    log: silentLogger(),
    metrics: new Metrics(),
    opsServer: false,
    tuning: E2E_TUNING,
  });
  await app.start();
  return app;
}
