import type { EventEmitter } from 'node:events';
import { HELIX_MESSAGES } from './messages.js';
import { StandInHttpError, type Params, type Reply } from './http-kit.js';
import type { StandInEvents, UserRecord } from './types.js';
import type { World } from './world.js';

/** Who made a Helix call, once the token checked out. */
export interface Caller {
  kind: 'app' | 'user';
  clientId: string;
  userId?: string;
  scopes: readonly string[];
}

export interface HelixContext {
  params: Params;
  body: URLSearchParams | Record<string, unknown> | undefined;
  caller: Caller;
  now: number;
  world: World;
  events: EventEmitter<StandInEvents>;
}

export type HelixHandler = (ctx: HelixContext) => Reply;

export function fail(status: number, message: string): never {
  throw new StandInHttpError(status, message);
}

export function required(ctx: HelixContext, name: string): string {
  const v = ctx.params.one(name);
  if (v === undefined || v === '') fail(400, HELIX_MESSAGES.missingParam(name));
  return v;
}

/** A user token holding one of the scopes; 401 otherwise, as Twitch answers. */
export function requireUserScope(ctx: HelixContext, anyOf: readonly string[]): UserRecord {
  const { caller } = ctx;
  const scopeText = anyOf.join(' or ');
  if (caller.kind !== 'user' || caller.userId === undefined)
    fail(401, HELIX_MESSAGES.missingScope(scopeText));
  if (!anyOf.some((s) => caller.scopes.includes(s)))
    fail(401, HELIX_MESSAGES.missingScope(scopeText));
  const user = ctx.world.userById(caller.userId);
  if (!user) fail(401, HELIX_MESSAGES.invalidToken);
  return user;
}

/** 5..60 s with a precision of 0.1 s, default 30. */
export function clipDuration(ctx: HelixContext): number {
  const raw = ctx.params.one('duration');
  if (raw === undefined || raw === '') return 30;
  if (!/^\d+(\.\d+)?$/.test(raw.trim())) fail(400, HELIX_MESSAGES.badDuration);
  const d = Number(raw);
  const tenths = d * 10;
  if (d < 5 || d > 60 || Math.abs(tenths - Math.round(tenths)) > 1e-9)
    fail(400, HELIX_MESSAGES.badDuration);
  return Math.round(tenths) / 10;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

export function dateParam(ctx: HelixContext, name: string): number | undefined {
  const raw = ctx.params.one(name);
  if (raw === undefined) return undefined;
  const ms = Date.parse(raw);
  if (!RFC3339.test(raw) || Number.isNaN(ms)) fail(400, HELIX_MESSAGES.malformedParam(name));
  return ms;
}

export function boolParam(ctx: HelixContext, name: string): boolean | undefined {
  const raw = ctx.params.one(name);
  if (raw === undefined) return undefined;
  if (raw !== 'true' && raw !== 'false') fail(400, HELIX_MESSAGES.malformedParam(name));
  return raw === 'true';
}

export function enumParam<T extends string>(
  ctx: HelixContext,
  name: string,
  allowed: readonly T[],
  fallback: T,
  message: string,
): T {
  const raw = ctx.params.one(name);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) fail(400, message);
  return raw as T;
}

/** Repeated values without duplicates, in the order given. */
export function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

export function ok(body: unknown, status = 200): Reply {
  return { status, body };
}
