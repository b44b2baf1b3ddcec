import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ClipRequest, ReplyEnvelope } from '../../core/clip.js';
import { prefixedKey } from '../../redis/connection.js';
import { resultBody } from './format.js';

export interface AnswerMarksOptions {
  redis: Redis;
  prefix: string;
  /** As long as a Twitch answer may still go out (the reply lane's Twitch age limit). */
  ttlMs?: number;
}

export const ANSWER_MARKS_DEFAULTS = {
  ttlMs: 10 * 60_000,
} as const satisfies Partial<AnswerMarksOptions>;

/**
 * "This answer has left": one key per requester and answer, written just before the line
 * carrying it is written to Twitch's socket (the send waits for it; before Twitch's verdict
 * and before the reply stream entry is acknowledged), and read before an answer is sent. A
 * process that crashes after sending but before acknowledging leaves its entry to another
 * process, which finds the mark and does not say it again. Marked after the write, a kill
 * right after it left no mark and the answer was said twice. What remains is the other way
 * round and rarer: a crash between the mark and the write (a millisecond) loses that answer.
 *
 * The key holds the answer's text (hashed): a different answer to the same request (a later
 * outcome, or the same outcome said differently after an outage) is not taken for it.
 */
export class AnswerMarks {
  private readonly ttlMs: number;

  constructor(private readonly opts: AnswerMarksOptions) {
    this.ttlMs = opts.ttlMs ?? ANSWER_MARKS_DEFAULTS.ttlMs;
  }

  /** The requests of the envelope whose answer has not left yet. */
  async unanswered(envelope: ReplyEnvelope): Promise<ClipRequest[]> {
    const keys = this.keys(envelope);
    if (keys.length === 0) return [];
    const marks = await this.opts.redis.mget(keys);
    return envelope.requests.filter((_, i) => !marks[i]);
  }

  /** Records that the envelope's answer left for its requests. */
  async mark(envelope: ReplyEnvelope): Promise<void> {
    const pipeline = this.opts.redis.pipeline();
    for (const key of this.keys(envelope)) pipeline.set(key, '1', 'PX', this.ttlMs);
    await pipeline.exec();
  }

  private keys(envelope: ReplyEnvelope): string[] {
    const digest = createHash('sha1')
      .update(`${envelope.result.jobId}\n${resultBody(envelope.result)}`)
      .digest('hex')
      .slice(0, 16);
    return envelope.requests.map((r) =>
      prefixedKey(this.opts.prefix, 'answered', r.requestId, digest),
    );
  }
}
