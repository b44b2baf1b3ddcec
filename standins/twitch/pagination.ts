import { HELIX_MESSAGES } from './messages.js';
import { StandInHttpError, type Params } from './http-kit.js';

export interface PageOut<T> {
  data: T[];
  pagination: { cursor?: string };
}

interface Position {
  /** where the page that produced the cursor started (for before=) */
  b: number;
  /** where it ended (for after=) */
  a: number;
}

/**
 * The cursor real Twitch may still put on a last page: base64 of {"b":null,"a":""}, an
 * empty "after" position. Asked with it, there is nothing more.
 */
export const LAST_PAGE_CURSOR = 'eyJiIjpudWxsLCJhIjoiIn0';

/**
 * Opaque base64 cursors over a sorted list. Like Twitch's, one cursor serves both after=
 * (next page) and before= (previous page). As real Twitch does, a last page with clips on
 * it still carries a cursor (LAST_PAGE_CURSOR); a client that asks again gets an empty page.
 */
export function paginate<T>(items: readonly T[], params: Params, defaultFirst = 20): PageOut<T> {
  const first = parseFirst(params, defaultFirst);
  const after = params.one('after');
  const before = params.one('before');
  let start = 0;
  if (after === LAST_PAGE_CURSOR) return { data: [], pagination: {} };
  if (after) start = decode(after).a;
  else if (before) start = Math.max(0, decode(before).b - first);
  const end = Math.min(items.length, start + first);
  const data = items.slice(start, end);
  return {
    data,
    pagination:
      end < items.length
        ? { cursor: encode({ b: start, a: end }) }
        : data.length > 0
          ? { cursor: LAST_PAGE_CURSOR }
          : {},
  };
}

export function parseFirst(params: Params, defaultFirst = 20): number {
  const raw = params.one('first');
  if (raw === undefined) return defaultFirst;
  if (!/^\d+$/.test(raw)) throw new StandInHttpError(400, HELIX_MESSAGES.badFirst);
  const n = Number(raw);
  if (n < 1 || n > 100) throw new StandInHttpError(400, HELIX_MESSAGES.badFirst);
  return n;
}

function encode(pos: Position): string {
  const inner = (n: number) => Buffer.from(String(n)).toString('base64url');
  return Buffer.from(JSON.stringify({ b: inner(pos.b), a: { Cursor: inner(pos.a) } })).toString(
    'base64url',
  );
}

function decode(cursor: string): Position {
  try {
    const outer = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      b?: unknown;
      a?: { Cursor?: unknown };
    };
    const num = (v: unknown) => {
      if (typeof v !== 'string') throw new Error('bad');
      const n = Number(Buffer.from(v, 'base64url').toString('utf8'));
      if (!Number.isInteger(n) || n < 0) throw new Error('bad');
      return n;
    };
    return { b: num(outer.b), a: num(outer.a?.Cursor) };
  } catch {
    throw new StandInHttpError(400, HELIX_MESSAGES.badCursor);
  }
}
