import { networkCause } from '../ops/network-cause.js';

/** One row of `clipbot doctor`: what was tried, what happened, and the one fix that applies. */
export interface DoctorFinding {
  ok: boolean;
  /** Warnings do not fail the run: things work, but not as well as they could. */
  warning?: boolean;
  /** Not checked, because something it depends on failed (that row fails the run). */
  skipped?: boolean;
  check: string;
  /** The request or look made, such as "POST http://.../oauth2/token (client credentials)". */
  tried?: string;
  detail: string;
  fix?: string;
}

export function formatFindings(findings: DoctorFinding[]): string {
  return findings
    .map((f) => {
      const mark = f.skipped
        ? 'skip'
        : f.ok && !f.warning
          ? 'ok  '
          : f.ok || f.warning
            ? 'warn'
            : 'FAIL';
      return (
        `[${mark}] ${f.check}: ${f.detail}` +
        (f.tried ? `\n       tried: ${f.tried}` : '') +
        (f.fix ? `\n       fix: ${f.fix}` : '')
      );
    })
    .join('\n');
}

/**
 * The network cause of a failed request (refused, DNS, timeout...), looking through the
 * error's code and its cause as HTTP clients nest them; undefined when it was no network
 * failure.
 */
export function networkFailureOf(err: unknown): string | undefined {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e instanceof Error && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    parts.push(`${typeof code === 'string' ? code : ''} ${e.message}`);
    e = e.cause;
  }
  return networkCause(parts.join(' '));
}
