import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Metrics } from './metrics.js';
import { runHealthChecks, type HealthCheck } from './health.js';

export interface OpsServerOptions {
  host: string;
  port: number;
  metrics: Metrics;
  checks: Record<string, HealthCheck>;
  log: Logger;
  /** Called before /metrics renders, to refresh gauges such as queue depth. */
  beforeMetrics?: () => Promise<void>;
  /**
   * OPS_TOKEN: a request with `Authorization: Bearer <it>` sees every check's detail on
   * /healthz. Everyone else (and everyone, when it is unset) sees only the overall status:
   * the details name the bot account, its token scopes and expiry, Redis and the queues.
   */
  detailsToken?: string;
}

/**
 * /healthz (JSON; 200 when ok or degraded, 503 when something is down) and /metrics
 * (Prometheus text). Nothing else: it may be exposed to a cluster's probes. /healthz gives
 * `{status}` only, unless the request carries the configured details token.
 */
export class OpsServer {
  private server?: http.Server;

  constructor(private readonly opts: OpsServerOptions) {}

  async start(): Promise<{ port: number; url: string }> {
    const server = http.createServer((req, res) => {
      void this.handle(req, res).catch((err: unknown) => {
        this.opts.log.error({ err }, 'ops endpoint failed');
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port, this.opts.host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const host = this.opts.host === '0.0.0.0' ? '127.0.0.1' : this.opts.host;
    return { port, url: `http://${host}:${port}` };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/healthz') {
      const report = await runHealthChecks(this.opts.checks);
      const body = this.mayReadDetails(req) ? report : { status: report.status };
      res
        .writeHead(report.status === 'down' ? 503 : 200, {
          'content-type': 'application/json',
          'cache-control': 'no-store',
        })
        .end(JSON.stringify(body));
      return;
    }
    if (path === '/metrics') {
      await this.opts.beforeMetrics?.();
      const body = await this.opts.metrics.registry.metrics();
      res.writeHead(200, { 'content-type': this.opts.metrics.registry.contentType }).end(body);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  }

  /** Constant-time comparison, so the token cannot be guessed from response times. */
  private mayReadDetails(req: http.IncomingMessage): boolean {
    const token = this.opts.detailsToken;
    if (!token) return false;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!match?.[1]) return false;
    const given = Buffer.from(match[1]);
    const wanted = Buffer.from(token);
    return given.length === wanted.length && timingSafeEqual(given, wanted);
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
