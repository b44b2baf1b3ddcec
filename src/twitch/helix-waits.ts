import { AsyncLocalStorage } from 'node:async_hooks';
import type { HelixErrorKind } from './errors.js';

/** A Helix call about to wait before trying again (a 429's reset, a 5xx's backoff). */
export interface HelixWait {
  endpoint: string;
  kind: HelixErrorKind;
  /** How long it waits now. */
  delayMs: number;
}

/**
 * Who wants to hear of the waits of the Helix calls made on their behalf: the clip worker,
 * to tell requesters why their clip takes longer. Carried with the async context, so the
 * transport needs no knowledge of jobs; a call batched for several jobs reports to the one
 * whose context made it.
 */
const listeners = new AsyncLocalStorage<(wait: HelixWait) => void>();

export function withHelixWaits<T>(listener: (wait: HelixWait) => void, run: () => T): T {
  return listeners.run(listener, run);
}

/** Tells the current context's listener, if any; a listener's error never fails the call. */
export function reportHelixWait(wait: HelixWait): void {
  try {
    listeners.getStore()?.(wait);
  } catch {
    // The listener is best effort (a notice to viewers), never part of the call.
  }
}
