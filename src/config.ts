import { z } from 'zod';

/**
 * Every setting the bot reads, with its default. The environment is the only source
 * (a .env file is loaded into it by main.ts). Names are part of the operator contract:
 * keep them stable.
 */

const bool = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'].includes(v), {
    message: 'must be true or false',
  })
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const inRange = (min: number, max: number) => ({ message: `must be from ${min} to ${max}` });

const oneOf = <T extends string>(values: readonly [T, ...T[]]) =>
  z.enum(values, { message: `must be one of ${values.join(', ')}` });

const int = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+$/, { message: 'must be a whole number' })
    .transform(Number)
    .pipe(z.number().int().min(min, inRange(min, max)).max(max, inRange(min, max)));

const num = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/, { message: 'must be a number' })
    .transform(Number)
    .pipe(z.number().min(min, inRange(min, max)).max(max, inRange(min, max)));

const url = (protocols: string[]) =>
  z
    .string()
    .trim()
    .refine(
      (v) => {
        try {
          return protocols.includes(new URL(v).protocol);
        } catch {
          return false;
        }
      },
      { message: `must be a URL (${protocols.join(' or ')})` },
    )
    .transform((v) => v.replace(/\/+$/, ''));

const login = /^[a-z0-9_]{1,25}$/;

/** Why one TWITCH_CHANNELS entry is not a login, naming it (a login is no secret). */
function channelEntryProblem(entry: string): string | undefined {
  if (login.test(entry)) return undefined;
  const shown = JSON.stringify(entry.length > 40 ? `${entry.slice(0, 40)}…` : entry);
  const url = /twitch\.tv\/([a-z0-9_]{1,25})\/?$/.exec(entry);
  if (url) return `entry ${shown} is an address: write the login only (${url[1] ?? ''})`;
  if (entry.length > 25)
    return `entry ${shown} is longer than a Twitch login (at most 25 characters)`;
  return `entry ${shown} is not a Twitch login (letters, digits and underscore only; separate entries with commas)`;
}

const channelList = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim().toLowerCase().replace(/^#/, ''))
      .filter((s) => s.length > 0),
  )
  .superRefine((list, ctx) => {
    for (const entry of list) {
      const problem = channelEntryProblem(entry);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }
  });

const secret = z.string().trim().min(1, { message: 'must not be empty' });

export const DEFAULTS = {
  TWITCH_API_URL: 'https://api.twitch.tv/helix',
  TWITCH_AUTH_URL: 'https://id.twitch.tv/oauth2',
  TWITCH_CHAT_URL: 'wss://irc-ws.chat.twitch.tv:443',
  DISCORD_API_URL: 'https://discord.com/api',
  REDIS_DATA_DIR: './data',
  REDIS_KEY_PREFIX: 'clipbot',
  LOG_LEVEL: 'info',
  LOG_FORMAT: 'auto',
  OPS_HOST: '127.0.0.1',
  HTTP_PORT: '9464',
  CLIP_QUEUE_NAME: 'clips',
  CLIP_DEFAULT_DURATION: '30',
  CLIP_VISIBLE_DEADLINE_S: '60',
  CLIP_FIRST_POLL_MS: '1000',
  CLIP_POLL_INTERVAL_MS: '1500',
  CLIP_FAST_POLL_MS: '350',
  COALESCE_WINDOW_S: '10',
  WORKER_CONCURRENCY: '500',
  SHUTDOWN_GRACE_S: '25',
  HELIX_TIMEOUT_MS: '10000',
  HELIX_MAX_RETRIES: '3',
  HELIX_RETRY_BASE_MS: '500',
  HELIX_MAX_RATE_LIMIT_WAIT_S: '60',
  BATCHING: 'true',
  LIVE_CACHE_S: '5',
  LIVE_STATUS_CALLS_PER_MIN: '1',
  LIVE_STATUS_MIN_PERIOD_S: '15',
  TOKEN_VALIDATE_INTERVAL_S: '3600',
  CHAT_COMMAND_PREFIX: '!',
  TWITCH_BOT_VERIFIED: 'false',
} as const;

const schema = z.object({
  TWITCH_API_URL: url(['https:', 'http:']).default(DEFAULTS.TWITCH_API_URL),
  TWITCH_AUTH_URL: url(['https:', 'http:']).default(DEFAULTS.TWITCH_AUTH_URL),
  TWITCH_CHAT_URL: url(['wss:', 'ws:']).default(DEFAULTS.TWITCH_CHAT_URL),
  DISCORD_API_URL: url(['https:', 'http:']).default(DEFAULTS.DISCORD_API_URL),

  TWITCH_CLIENT_ID: secret.optional(),
  TWITCH_CLIENT_SECRET: secret.optional(),
  TWITCH_ACCESS_TOKEN: secret.transform((v) => v.replace(/^oauth:/, '')).optional(),
  TWITCH_REFRESH_TOKEN: secret.optional(),
  TWITCH_CHANNELS: channelList.default([]),
  DISCORD_TOKEN: secret.optional(),
  DISCORD_APPLICATION_ID: z
    .string()
    .trim()
    .regex(/^\d{15,22}$/, { message: 'must be a Discord application ID (digits)' })
    .optional(),

  REDIS_URL: url(['redis:', 'rediss:']).optional(),
  REDIS_DATA_DIR: z
    .string()
    .trim()
    .min(1, { message: 'must not be empty' })
    .default(DEFAULTS.REDIS_DATA_DIR),
  REDIS_KEY_PREFIX: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, { message: 'must be 1-64 of A-Z a-z 0-9 _ . : -' })
    .default(DEFAULTS.REDIS_KEY_PREFIX),

  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default(
    DEFAULTS.LOG_LEVEL,
  ),
  LOG_FORMAT: oneOf(['auto', 'json', 'pretty']).default(DEFAULTS.LOG_FORMAT),
  OPS_HOST: z.string().trim().min(1, { message: 'must not be empty' }).default(DEFAULTS.OPS_HOST),
  HTTP_PORT: int(0, 65535).default(Number(DEFAULTS.HTTP_PORT)),
  /** Bearer token that unlocks /healthz details; without it /healthz shows only its status. */
  OPS_TOKEN: secret
    .min(16, { message: 'must be at least 16 characters (e.g. `openssl rand -hex 24`)' })
    .optional(),

  CLIP_QUEUE_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'must be 1-64 of A-Z a-z 0-9 _ -' })
    .default(DEFAULTS.CLIP_QUEUE_NAME),
  CLIP_DEFAULT_DURATION: int(5, 60).default(Number(DEFAULTS.CLIP_DEFAULT_DURATION)),
  CLIP_VISIBLE_DEADLINE_S: num(1, 600).default(Number(DEFAULTS.CLIP_VISIBLE_DEADLINE_S)),
  CLIP_FIRST_POLL_MS: int(0, 60_000).default(Number(DEFAULTS.CLIP_FIRST_POLL_MS)),
  CLIP_POLL_INTERVAL_MS: int(50, 60_000).default(Number(DEFAULTS.CLIP_POLL_INTERVAL_MS)),
  CLIP_FAST_POLL_MS: int(50, 60_000).default(Number(DEFAULTS.CLIP_FAST_POLL_MS)),
  COALESCE_WINDOW_S: num(0, 600).default(Number(DEFAULTS.COALESCE_WINDOW_S)),
  WORKER_CONCURRENCY: int(1, 1000).default(Number(DEFAULTS.WORKER_CONCURRENCY)),
  SHUTDOWN_GRACE_S: num(0, 600).default(Number(DEFAULTS.SHUTDOWN_GRACE_S)),

  HELIX_TIMEOUT_MS: int(100, 120_000).default(Number(DEFAULTS.HELIX_TIMEOUT_MS)),
  HELIX_MAX_RETRIES: int(0, 10).default(Number(DEFAULTS.HELIX_MAX_RETRIES)),
  HELIX_RETRY_BASE_MS: int(1, 60_000).default(Number(DEFAULTS.HELIX_RETRY_BASE_MS)),
  HELIX_MAX_RATE_LIMIT_WAIT_S: num(0, 3600).default(Number(DEFAULTS.HELIX_MAX_RATE_LIMIT_WAIT_S)),
  BATCHING: bool.default(true),
  LIVE_CACHE_S: num(0, 300).default(Number(DEFAULTS.LIVE_CACHE_S)),
  LIVE_STATUS_CALLS_PER_MIN: num(0, 400).default(Number(DEFAULTS.LIVE_STATUS_CALLS_PER_MIN)),
  LIVE_STATUS_MIN_PERIOD_S: num(1, 3600).default(Number(DEFAULTS.LIVE_STATUS_MIN_PERIOD_S)),
  TOKEN_VALIDATE_INTERVAL_S: num(1, 86_400).default(Number(DEFAULTS.TOKEN_VALIDATE_INTERVAL_S)),
  TWITCH_BOT_VERIFIED: bool.default(false),
  CHAT_COMMAND_PREFIX: z
    .string()
    .regex(/^[!#$%&*+.?~]$/, { message: 'must be one punctuation character such as !' })
    .default(DEFAULTS.CHAT_COMMAND_PREFIX),
});

export type Config = z.infer<typeof schema>;

/** Every variable the bot reads (documented one by one in .env.example). */
export const CONFIG_KEYS = Object.keys(schema.shape) as (keyof Config)[];

/** Variables an earlier version read, and the name that replaced each. */
const RENAMED: Record<string, keyof Config> = { HTTP_HOST: 'OPS_HOST' };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p}`).join('\n') +
        '\nSee .env.example for every setting and its meaning.',
    );
    this.name = 'ConfigError';
  }
}

/**
 * Reads the environment into a typed config. Every problem is reported at once, and a
 * message never contains a value (a malformed secret must not leak through its error).
 */
export interface LoadConfigOptions {
  /** Settings this command cannot run without; a missing one joins the same report. */
  required?: { key: keyof Config; why: string }[];
}

export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  opts: LoadConfigOptions = {},
): Config {
  // An empty variable means "not set": .env files often carry `NAME=` lines.
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') input[key] = value;
  }
  const problems: string[] = [];
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path.join('.') || '(environment)';
      problems.push(`${key} ${issue.message.replace(/^Invalid input: /, '')}`);
    }
  }
  for (const { key, why } of opts.required ?? []) {
    if (input[key] === undefined) problems.push(`${key} is missing: ${why}`);
  }
  // Pairs that only make sense together, checked on presence so they join the same report.
  // (A refresh token needs no client secret: Twitch's public clients refresh without one.)
  const needs: [string, string, string][] = [
    ['TWITCH_ACCESS_TOKEN', 'TWITCH_CLIENT_ID', 'to call Twitch with it'],
    ['DISCORD_TOKEN', 'DISCORD_APPLICATION_ID', 'to answer slash commands'],
  ];
  for (const [has, need, why] of needs) {
    if (input[has] !== undefined && input[need] === undefined) {
      problems.push(`${need} is missing: it is needed with ${has} ${why}`);
    }
  }
  // A renamed variable is an error, not silence: an operator's HTTP_HOST=0.0.0.0 quietly
  // ignored would leave /healthz on 127.0.0.1, unreachable from the container's outside.
  for (const [old, now] of Object.entries(RENAMED)) {
    const value = env[old];
    if (value !== undefined && value.trim() !== '') {
      problems.push(`${old} was renamed ${now}: set ${now} instead`);
    }
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const config = parsed.data;
  return config;
}

/** Config with every default, for tests and the demo to override field by field. */
export function defaultConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({}), ...overrides };
}
