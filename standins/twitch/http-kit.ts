import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';

/** A handler's way to answer with an error; the router renders it in Helix or OAuth shape. */
export class StandInHttpError extends Error {
  override readonly name = 'StandInHttpError';
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Repeated query (or form) parameters, as Twitch reads them: `id=a&id=b`. */
export class Params {
  constructor(readonly values: Record<string, string[]>) {}

  static from(search: URLSearchParams, extra?: URLSearchParams | Record<string, unknown>): Params {
    const map = new Map<string, string[]>();
    const add = (k: string, v: string) => {
      const list = map.get(k);
      if (list) list.push(v);
      else map.set(k, [v]);
    };
    for (const [k, v] of search) add(k, v);
    if (extra instanceof URLSearchParams) for (const [k, v] of extra) add(k, v);
    else if (extra)
      for (const [k, v] of Object.entries(extra)) {
        if (Array.isArray(v)) v.forEach((x) => add(k, String(x)));
        else if (v !== undefined && v !== null) add(k, typeof v === 'string' ? v : String(v));
      }
    // fromEntries defines own properties, so a parameter named __proto__ stays harmless.
    return new Params(Object.fromEntries(map));
  }

  /** These parameters followed by a body's (OAuth accepts either place). */
  merge(extra: URLSearchParams | Record<string, unknown> | undefined): Params {
    const search = new URLSearchParams();
    for (const [k, list] of Object.entries(this.values)) for (const v of list) search.append(k, v);
    return Params.from(search, extra);
  }

  names(): string[] {
    return Object.keys(this.values);
  }

  has(name: string): boolean {
    return Object.hasOwn(this.values, name);
  }

  /** The first value: Twitch ignores repeats of single-valued parameters. */
  one(name: string): string | undefined {
    return this.has(name) ? this.values[name]?.[0] : undefined;
  }

  all(name: string): string[] {
    return this.has(name) ? (this.values[name] ?? []) : [];
  }
}

const MAX_BODY = 1 << 20;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY) throw new StandInHttpError(413, 'Request body too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Form or JSON body; anything else is ignored, as Twitch's servers do. */
export function parseBody(
  contentType: string | undefined,
  raw: string,
): URLSearchParams | Record<string, unknown> | undefined {
  if (raw.length === 0) return undefined;
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new StandInHttpError(400, 'Malformed JSON body');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new StandInHttpError(400, 'The JSON body must be an object');
    return parsed as Record<string, unknown>;
  }
  if (type === 'application/x-www-form-urlencoded' || type === '' || type === 'text/plain')
    return new URLSearchParams(raw);
  return undefined;
}

export function helixErrorBody(status: number, message: string) {
  return { error: STATUS_CODES[status] ?? 'Error', status, message };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const payload = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    ...(body === undefined ? {} : { 'Content-Type': 'application/json; charset=utf-8' }),
    'Content-Length': Buffer.byteLength(payload),
  });
  res.end(payload);
}
