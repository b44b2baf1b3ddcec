import type { ReplyEnvelope } from '../core/clip.js';
import type { Metrics } from '../ops/metrics.js';

/**
 * The one place requestToAnswer is recorded (the adapters do not): a lane calls it when
 * deliver() resolved, i.e. when the answer has left, so this is the send time, for every
 * platform alike.
 */
export function observeAnswer(metrics: Metrics | undefined, envelope: ReplyEnvelope): void {
  if (!metrics || envelope.post) return;
  const now = Date.now();
  for (const req of envelope.requests) {
    metrics.requestToAnswer.observe(
      { platform: envelope.platform },
      Math.max(0, (now - req.requestedAt) / 1000),
    );
  }
}
