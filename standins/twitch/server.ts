import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Faults } from './faults.js';
import {
  Params,
  StandInHttpError,
  helixErrorBody,
  parseBody,
  readBody,
  sendJson,
} from './http-kit.js';
import type { Answer, RequestInfo } from './request.js';
import type { JournalEntry } from './types.js';

export interface Routes {
  helix: (info: RequestInfo) => Answer;
  oauth: (info: RequestInfo) => Answer;
}

/**
 * The node:http side: parse, apply latency, dispatch to /helix or /oauth2, answer, and
 * hand each exchange to the journal. stop() cuts keep-alive sockets so tests end promptly.
 */
export class StandInServer {
  private server: Server | undefined;
  private readonly pending = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly routes: Routes,
    private readonly faults: Faults,
    private readonly record: (entry: JournalEntry) => void,
  ) {}

  async listen(host: string, port: number): Promise<number> {
    if (this.server) throw new Error('the Twitch stand-in is already started');
    this.stopped = false;
    const server = createServer((req, res) => void this.serve(req, res));
    server.keepAliveTimeout = 5_000;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.stopped = true;
    for (const t of this.pending) clearTimeout(t);
    this.pending.clear();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const query = Params.from(url.searchParams);
    const isHelix = path === '/helix' || path.startsWith('/helix/');
    let answer: Answer;
    try {
      const body = parseBody(req.headers['content-type'], await readBody(req));
      const latency = this.faults.latencyFor({ method, path });
      if (latency > 0) await this.delay(latency);
      if (this.stopped) return;
      const info: RequestInfo = { method, path, query, body, headers: req.headers, at };
      if (isHelix) answer = this.routes.helix(info);
      else if (path === '/oauth2' || path.startsWith('/oauth2/')) answer = this.routes.oauth(info);
      else answer = { status: 404, body: helixErrorBody(404, 'Not Found'), tokenKind: 'none' };
    } catch (err) {
      const status = err instanceof StandInHttpError ? err.status : 500;
      const message = err instanceof Error ? err.message : String(err);
      if (status === 500) console.error('[twitch stand-in] handler failed:', err);
      answer = {
        status,
        body: isHelix ? helixErrorBody(status, message) : { status, message },
        tokenKind: 'none',
      };
    }
    const entry: JournalEntry = {
      method,
      path,
      query: query.values,
      status: answer.status,
      tokenKind: answer.tokenKind,
      ...(answer.userLogin ? { userLogin: answer.userLogin } : {}),
      at,
    };
    this.record(entry);
    sendJson(res, answer.status, answer.body, answer.headers);
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.pending.delete(t);
        resolve();
      }, ms);
      this.pending.add(t);
    });
  }
}
