/**
 * What a failed connection means, in the words an operator acts on, from the error code or
 * message a client library reports (Node's ECONNREFUSED, ENOTFOUND...; axios's
 * ECONNABORTED; ioredis's own texts). Undefined when the text names no network failure.
 */
export function networkCause(text: string): string | undefined {
  if (/ECONNREFUSED/.test(text)) return 'connection refused: nothing listens there';
  if (/ENOTFOUND|EAI_AGAIN|EAI_NONAME/.test(text)) return 'host name not resolved (DNS)';
  if (/ETIMEDOUT|ECONNABORTED|timed? ?out/i.test(text)) return 'timed out: no answer';
  if (/EHOSTUNREACH|ENETUNREACH|ENETDOWN/.test(text)) return 'host unreachable';
  if (/ECONNRESET|EPIPE|socket hang up/i.test(text)) return 'connection reset';
  if (/CERT|SSL|TLS|self.signed/i.test(text)) return 'TLS certificate problem';
  if (/ERR_NETWORK/.test(text)) return 'network error';
  return undefined;
}
