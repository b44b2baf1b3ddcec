import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Metrics } from '../ops/metrics.js';
import { script } from '../redis/scripts.js';
import { decodeClipRequest, replyEntryFields } from '../core/reply-envelope.js';
import { errMessage } from '../core/err-message.js';
import type { ClipKeys } from './keys.js';
import { RECENT_CLIPS_CAP, RECENT_CLIPS_TTL_S, recentClipBase } from './recent-clips.js';
import {
  saidInChat,
  type ClipOutcome,
  type ClipRequest,
  type ClipResult,
  type Platform,
  type RecentClip,
} from '../core/clip.js';

const FINALIZE = script('clip-finalize');
/** Reads of a job's requesters per finalize; each read after the first means a request joined meanwhile. */
const MAX_READS = 10;

/** Discord channels linked to a Twitch channel that want its clips (DiscordLinks.postTargets). */
export type PostTargets = (
  broadcasterId: string,
) => Promise<{ guildId: string; channelId: string }[]>;

/**
 * A link to the asked moment in the stream's VOD, for results without a visible clip
 * (rescue-link.ts builds the real one). `request` is the job's request: its time (and for
 * a clip of the past, how long ago) place the moment. Undefined: no link.
 */
export type RescueLink = (result: ClipResult, request: ClipRequest) => Promise<string | undefined>;

export interface ResultPublisherOptions {
  redis: Redis;
  keys: ClipKeys;
  log: Logger;
  metrics?: Metrics;
  /** When false, finished clips are never reused by later requests. */
  coalesce: boolean;
  coalesceWindowS: number;
  postTargets?: PostTargets;
  rescueLink?: RescueLink;
  /** How long a job's result stays readable (idempotent reruns, late lookups). Default 1 day. */
  resultTtlS?: number;
  /**
   * Approximate cap of each reply stream (XADD MAXLEN ~). Default 0: no cap. Delivered
   * entries are deleted as they are acknowledged, so the stream only ever holds answers not
   * yet delivered, and any cap would drop exactly those, silently, during a long outage of
   * a chat platform. Redis 7 cannot trim "acknowledged entries only", so the backlog is
   * bounded instead by the dispatcher's maxAnswerAgeMs (old answers are dropped, logged and
   * counted) and by Redis memory (noeviction: a full Redis fails the job, loudly).
   */
  streamMaxLen?: number;
  /** Clips kept in each channel's recent list (`/clips recent`); 0 records none. Default 20. */
  recentCap?: number;
}

export const RESULT_PUBLISHER_DEFAULTS = {
  streamMaxLen: 0,
  resultTtlS: 86_400,
} as const satisfies Partial<ResultPublisherOptions>;

/**
 * Finishes a job exactly once: stores the result, and queues one answer per platform for
 * everyone who joined it (plus the Discord posts) on the reply streams, atomically.
 */
export class ResultPublisher {
  constructor(private readonly opts: ResultPublisherOptions) {}

  /** The reply streams' cap (0: none); the join script appends with the same. */
  get streamMaxLen(): number {
    return this.opts.streamMaxLen ?? RESULT_PUBLISHER_DEFAULTS.streamMaxLen;
  }

  async storedResult(jobId: string): Promise<ClipResult | undefined> {
    const raw = await this.opts.redis.get(this.opts.keys.result(jobId));
    return raw ? (JSON.parse(raw) as ClipResult) : undefined;
  }

  /**
   * Returns the job's result: this one, or the one stored by an earlier finalize of the
   * same job (a rerun after a crash), which is then left as it was.
   */
  async finalize(jobId: string, request: ClipRequest, outcome: ClipOutcome): Promise<ClipResult> {
    const { log } = this.opts;
    const result: ClipResult = {
      jobId,
      broadcasterId: request.broadcasterId,
      broadcasterLogin: request.broadcasterLogin,
      broadcasterName: request.broadcasterName,
      outcome,
      // What the job asked for, so answers can tell joiners their own ask was not used.
      requested: {
        ...(request.title !== undefined ? { title: request.title } : {}),
        ...(request.duration !== undefined ? { duration: request.duration } : {}),
      },
      finishedAt: Date.now(),
    };
    if (outcome.status !== 'created' && this.opts.rescueLink) {
      try {
        const link = await this.opts.rescueLink(result, request);
        if (link) result.vodLink = link;
      } catch (err) {
        log.warn({ jobId, err: errMessage(err) }, 'rescue link failed; answering without it');
      }
    }
    let targets: { guildId: string; channelId: string }[] = [];
    if (outcome.status === 'created' && this.opts.postTargets) {
      try {
        targets = await this.opts.postTargets(request.broadcasterId);
      } catch (err) {
        log.warn({ jobId, err: errMessage(err) }, 'could not read Discord post targets');
      }
    }
    // Only a clip is shared with requests arriving after the job ended. A failure is not:
    // even 'offline' may be over seconds later (Get Streams lags behind a stream's start),
    // and a late request that starts its own job costs one Get Streams.
    const keep = this.opts.coalesce && outcome.status !== 'failed';
    const recentCap = this.opts.recentCap ?? RECENT_CLIPS_CAP;
    const answered = await this.store(jobId, request, result, keep, targets, recentCap);
    if (answered < 0) {
      log.info({ jobId }, 'job was already finalized; keeping the first result');
      return (await this.storedResult(jobId)) ?? result;
    }
    this.record(outcome);
    log.info(
      {
        jobId,
        broadcasterId: request.broadcasterId,
        status: outcome.status,
        reason: outcome.status === 'failed' ? outcome.reason : undefined,
        requests: answered,
        posts: targets.length,
      },
      'clip job finished',
    );
    return result;
  }

  /**
   * Runs the finalize script with every answer encoded here, from the requester list as
   * read just before; a request that joins in between makes the script refuse, and the
   * list is read again. Returns the requests answered, or -1 when already finalized.
   */
  private async store(
    jobId: string,
    request: ClipRequest,
    result: ClipResult,
    keep: boolean,
    targets: { guildId: string; channelId: string }[],
    recentCap: number,
  ): Promise<number> {
    const { keys, redis, log } = this.opts;
    const resultJson = JSON.stringify(result);
    const base =
      recentCap > 0 ? recentClipBase(request, result.outcome, result.finishedAt) : undefined;
    for (let read = 1; ; read++) {
      const raws = await redis.lrange(keys.requesters(jobId), 0, -1);
      const twitch: string[] = [];
      const chat: string[] = [];
      const entries: string[][] = [];
      const requesters: RecentClip['requesters'] = [];
      let auto = false;
      for (const raw of raws) {
        const req = decodeClipRequest(raw);
        if (!req) {
          log.warn({ jobId }, 'dropping an unreadable stored clip request');
          continue;
        }
        const { platform, userId, displayName } = req.requester;
        requesters.push({ platform, userId, displayName });
        if (req.auto) auto = true;
        if (req.replyTo.platform === 'discord') {
          entries.push(this.entry('discord', resultJson, [raw]));
        } else {
          twitch.push(raw);
          if (saidInChat(req, result.outcome)) chat.push(raw);
        }
      }
      // One entry for all Twitch requesters: the chat side sends one message naming them.
      if (chat.length > 0) entries.push(this.entry('twitch', resultJson, chat));
      if (twitch.length > 0) {
        for (const t of targets) {
          const post = JSON.stringify({ guildId: t.guildId, channelId: t.channelId });
          entries.push(this.entry('discord', resultJson, twitch, post));
        }
      }
      const recent = base
        ? JSON.stringify({ requesters, ...base, ...(auto ? { auto: true } : {}) })
        : '';
      const answered = Number(
        await FINALIZE.run(
          redis,
          [
            keys.pendingFor(request),
            keys.requesters(jobId),
            keys.result(jobId),
            keys.recent(request.broadcasterId),
          ],
          [
            jobId,
            resultJson,
            keep ? Math.round(this.opts.coalesceWindowS * 1000) : 0,
            (this.opts.resultTtlS ?? RESULT_PUBLISHER_DEFAULTS.resultTtlS) * 1000,
            raws.length,
            this.streamMaxLen,
            recent,
            recentCap,
            RECENT_CLIPS_TTL_S * 1000,
            ...entries.flat(),
          ],
        ),
      );
      if (answered !== -2) return answered;
      if (read >= MAX_READS) throw new Error("the clip job's requester list kept changing");
    }
  }

  /** One reply stream entry: its stream, field count, then the fields FINALIZE appends. */
  private entry(platform: Platform, result: string, requests: string[], post?: string): string[] {
    const fields = replyEntryFields({ platform, result, requests, ...(post ? { post } : {}) });
    return [this.opts.keys.replies(platform), String(fields.length), ...fields];
  }

  private record(outcome: ClipOutcome): void {
    const m = this.opts.metrics;
    if (!m) return;
    if (outcome.status === 'created') m.clipsCreated.inc();
    else if (outcome.status === 'not_visible') m.clipFailures.inc({ reason: 'not_visible' });
    else m.clipFailures.inc({ reason: outcome.reason });
  }
}
