import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { HealthCheck } from '../ops/health.js';
import { OpsServer } from '../ops/http-server.js';
import type { Metrics } from '../ops/metrics.js';

/** The started /healthz and /metrics server. */
export interface OpsParts {
  readonly url: string;
  stop(): Promise<void>;
}

/** Serves /healthz (the checks given) and /metrics on OPS_HOST:HTTP_PORT. */
export async function buildOps(opts: {
  config: Config;
  metrics: Metrics;
  checks: Record<string, HealthCheck>;
  log: Logger;
}): Promise<OpsParts> {
  const server = new OpsServer({
    host: opts.config.OPS_HOST,
    port: opts.config.HTTP_PORT,
    detailsToken: opts.config.OPS_TOKEN,
    metrics: opts.metrics,
    checks: opts.checks,
    log: opts.log.child({ component: 'ops' }),
  });
  const { url } = await server.start();
  opts.log.info({ ops: url }, 'serving /healthz and /metrics');
  return { url, stop: () => server.stop() };
}
