import { createRequire } from 'node:module';
import pino, { type Logger } from 'pino';
import type PinoPretty from 'pino-pretty';

/**
 * pino-pretty (about 10 MB resident) only when logs are pretty: a terminal or
 * LOG_FORMAT=pretty, never in production's JSON. It is CommonJS, so a synchronous require.
 */
function loadPinoPretty(): typeof PinoPretty {
  return createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
}

/** Paths pino replaces with [redacted] wherever they occur in a log object. */
export const REDACT_PATHS = [
  'token',
  'accessToken',
  'refreshToken',
  'access_token',
  'refresh_token',
  'clientSecret',
  'client_secret',
  'password',
  'authorization',
  'Authorization',
  'interactionToken',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.access_token',
  '*.refresh_token',
  '*.clientSecret',
  '*.client_secret',
  '*.authorization',
  '*.Authorization',
  '*.interactionToken',
  'headers.authorization',
  'headers.Authorization',
  'config.headers.Authorization',
  'config.headers.authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
  '*.config.headers.authorization',
  '*.config.headers.Authorization',
  '*.config.data',
  '*.config.params',
];

/**
 * Errors from HTTP clients carry the request (headers with tokens, URLs with interaction
 * tokens, form bodies with secrets) in nested fields that path redaction cannot reach in
 * general. Log only what helps: name, message, code, status and stack.
 */
export function safeErrorSerializer(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const e = err as Error & { code?: unknown; status?: unknown; response?: { status?: unknown } };
  const out: Record<string, unknown> = {
    type: e.name,
    message: e.message,
    stack: e.stack,
  };
  if (e.code !== undefined) out.code = e.code;
  const status = e.status ?? e.response?.status;
  if (status !== undefined) out.status = status;
  // Our own typed errors keep their safe, documented fields.
  for (const key of ['kind', 'endpoint', 'twitchMessage', 'resetAt', 'action', 'tokenKind']) {
    const value = (err as unknown as Record<string, unknown>)[key];
    if (value !== undefined) out[key] = value;
  }
  if (e.cause instanceof Error) out.cause = safeErrorSerializer(e.cause);
  return out;
}

export interface LoggerOptions {
  level: string;
  format: 'auto' | 'json' | 'pretty';
  /** Defaults to stdout. Tests pass a stream to assert on what was logged. */
  destination?: NodeJS.WritableStream;
}

/**
 * pino appends a child's bindings to its parent's as text, so a key bound twice (a module
 * given `log.child({ component })` that binds `component` again) appears twice in one JSON
 * line, which log parsers reject. Every child of our loggers is rebuilt from the root's
 * bindings plus the merged ones, the innermost value winning.
 */
function bindEachKeyOnce(root: () => Logger): (child: Logger) => void {
  const chindings = pino.symbols.chindingsSym;
  return (child) => {
    const top = root() as Logger & Record<symbol, string>;
    const rootBindings = top.bindings();
    const merged = child.bindings();
    for (const [key, value] of Object.entries(rootBindings)) {
      if (merged[key] === value) delete merged[key];
    }
    (child as Logger & Record<symbol, string>)[chindings] = top[chindings] ?? '';
    child.setBindings(merged);
  };
}

export function createLogger(opts: LoggerOptions): Logger {
  const wantPretty = opts.format === 'pretty' || (opts.format === 'auto' && process.stdout.isTTY);
  let root: Logger | undefined;
  const base = {
    level: opts.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { err: safeErrorSerializer, error: safeErrorSerializer },
    base: { service: 'clipbot' },
    onChild: bindEachKeyOnce(() => root as Logger),
  };
  if (wantPretty) {
    // In-process and synchronous: no worker thread, nothing lost when the process exits.
    const stream = loadPinoPretty()({
      colorize: opts.destination === undefined && process.stdout.isTTY,
      translateTime: 'SYS:HH:MM:ss',
      ignore: 'pid,hostname,service',
      sync: true,
      destination: (opts.destination as NodeJS.WritableStream | undefined) ?? 1,
    });
    root = pino(base, stream);
  } else if (opts.destination) {
    root = pino(base, opts.destination as pino.DestinationStream);
  } else {
    root = pino(base);
  }
  return root;
}

/** A logger that drops everything, for tests that do not look at logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
