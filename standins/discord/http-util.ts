import type { IncomingMessage, ServerResponse } from 'node:http';

/** A Discord API error body: what discord.js turns into a DiscordAPIError. */
export interface ApiErrorBody {
  message: string;
  code: number;
  errors?: unknown;
  retry_after?: number;
  global?: boolean;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
    /** Extra response headers (a 429's Retry-After). */
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
    this.name = 'ApiError';
  }
}

export const errors = {
  unauthorized: () => new ApiError(401, { message: '401: Unauthorized', code: 0 }),
  notFound: () => new ApiError(404, { message: '404: Not Found', code: 0 }),
  unknownChannel: () => new ApiError(404, { message: 'Unknown Channel', code: 10003 }),
  unknownMessage: () => new ApiError(404, { message: 'Unknown Message', code: 10008 }),
  unknownWebhook: () => new ApiError(404, { message: 'Unknown Webhook', code: 10015 }),
  unknownInteraction: () => new ApiError(404, { message: 'Unknown interaction', code: 10062 }),
  missingAccess: () => new ApiError(403, { message: 'Missing Access', code: 50001 }),
  emptyMessage: () => new ApiError(400, { message: 'Cannot send an empty message', code: 50006 }),
  invalidWebhookToken: () => new ApiError(401, { message: 'Invalid Webhook Token', code: 50027 }),
  alreadyAcknowledged: () =>
    new ApiError(400, { message: 'Interaction has already been acknowledged.', code: 40060 }),
  /**
   * A per-route 429 as Discord sends it: Retry-After in whole seconds, the body's
   * retry_after in seconds with a fraction, global false, X-RateLimit-Scope (Discord's
   * "Rate Limits" page, "Exceeding A Rate Limit"). Interaction callbacks get them in the
   * wild: discord/discord-api-docs#6407 (an HTTP bot's deferred replies answered 429).
   */
  rateLimited: (retryAfterMs: number) =>
    new ApiError(
      429,
      {
        message: 'You are being rate limited.',
        code: 0,
        retry_after: Math.round(retryAfterMs) / 1000,
        global: false,
      } as ApiErrorBody,
      {
        'Retry-After': String(Math.ceil(retryAfterMs / 1000)),
        'X-RateLimit-Scope': 'user',
      },
    ),
  invalidForm: (problems: Record<string, string>) =>
    new ApiError(400, {
      message: 'Invalid Form Body',
      code: 50035,
      errors: Object.fromEntries(
        Object.entries(problems).map(([path, message]) => [
          path,
          { _errors: [{ code: 'BASE_TYPE_INVALID', message }] },
        ]),
      ),
    }),
};

export async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if (raw.length === 0) return undefined;
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('multipart/form-data')) {
    // discord.js only sends multipart with files; the JSON part is what we look at.
    const match = /name="payload_json"[^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n([\s\S]*?)\r\n--/.exec(raw);
    if (!match?.[1]) throw errors.invalidForm({ payload_json: 'missing' });
    return parseJson(match[1]);
  }
  return parseJson(raw);
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new ApiError(400, { message: '400: Bad Request', code: 50109 });
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendEmpty(res: ServerResponse): void {
  res.writeHead(204);
  res.end();
}

/** discord.js sends '@me' as '%40me'; a malformed escape is kept as it is. */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Route matching on path segments: ':name' captures one segment. */
export function matchRoute(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? '';
    const g = safeDecode(got[i] ?? '');
    if (w.startsWith(':')) {
      if (g.length === 0) return undefined;
      params[w.slice(1)] = g;
    } else if (w !== g) return undefined;
  }
  return params;
}
