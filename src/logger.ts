import pino, { type Logger } from 'pino';
import pinoPretty from 'pino-pretty';

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
];

export interface LoggerOptions {
  level: string;
  format: 'auto' | 'json' | 'pretty';
  /** Defaults to stdout. Tests pass a stream to assert on what was logged. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(opts: LoggerOptions): Logger {
  const wantPretty = opts.format === 'pretty' || (opts.format === 'auto' && process.stdout.isTTY);
  const base = {
    level: opts.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { service: 'clipbot' },
  };
  if (wantPretty) {
    // In-process and synchronous: no worker thread, nothing lost when the process exits.
    const stream = pinoPretty({
      colorize: opts.destination === undefined && process.stdout.isTTY,
      translateTime: 'SYS:HH:MM:ss',
      ignore: 'pid,hostname,service',
      sync: true,
      destination: (opts.destination as NodeJS.WritableStream | undefined) ?? 1,
    });
    return pino(base, stream);
  }
  if (opts.destination) return pino(base, opts.destination as pino.DestinationStream);
  return pino(base);
}

/** A logger that drops everything, for tests that do not look at logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
