import type { IncomingHttpHeaders } from 'node:http';
import type { Params, Reply } from './http-kit.js';
import type { TokenKindSeen } from './types.js';

/** One parsed request, as the routers see it. */
export interface RequestInfo {
  method: string;
  /** path without the query string and without a trailing slash */
  path: string;
  /** the query string's parameters only */
  query: Params;
  body: URLSearchParams | Record<string, unknown> | undefined;
  headers: IncomingHttpHeaders;
  /** epoch ms of arrival */
  at: number;
}

/** A reply plus what the journal records about the caller. */
export interface Answer extends Reply {
  tokenKind: TokenKindSeen;
  userLogin?: string;
}
