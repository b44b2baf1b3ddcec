import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Every metric the bot exports on /metrics. One instance per process, passed to whoever
 * records; each test makes its own so counts never leak between tests.
 */
export class Metrics {
  readonly registry = new Registry();

  /** Chat commands received, by platform and command. */
  readonly commands = new Counter({
    name: 'clipbot_commands_total',
    help: 'Commands received',
    labelNames: ['platform', 'command'] as const,
    registers: [this.registry],
  });
  /** Clip requests, by how they were handled: queued (new job) or coalesced (joined). */
  readonly clipRequests = new Counter({
    name: 'clipbot_clip_requests_total',
    help: 'Clip requests by outcome of queueing (queued or coalesced)',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  /** Automatic clips asked for (the channel live, the detector fired), by what carried the moment. */
  readonly autoClips = new Counter({
    name: 'clipbot_auto_clips_total',
    help: 'Automatic clips requested when chat erupted, by the signal that carried the moment',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly clipsCreated = new Counter({
    name: 'clipbot_clips_created_total',
    help: 'Clips that Twitch created and that became visible',
    registers: [this.registry],
  });
  readonly clipFailures = new Counter({
    name: 'clipbot_clip_failures_total',
    help: 'Clip jobs that ended without a visible clip, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly requestToAnswer = new Histogram({
    name: 'clipbot_request_to_answer_seconds',
    help: 'Time from the chat message or interaction to the answer leaving the bot',
    labelNames: ['platform'] as const,
    buckets: [0.5, 1, 2, 3, 5, 8, 13, 21, 34, 60, 90],
    registers: [this.registry],
  });
  readonly helixCalls = new Counter({
    name: 'clipbot_helix_calls_total',
    help: 'Helix HTTP requests, by endpoint and status (0 for network errors)',
    labelNames: ['endpoint', 'status'] as const,
    registers: [this.registry],
  });
  readonly helixRateLimitRemaining = new Gauge({
    name: 'clipbot_helix_ratelimit_remaining',
    help: 'Ratelimit-Remaining of the latest Helix response, by token kind',
    labelNames: ['token'] as const,
    registers: [this.registry],
  });
  /**
   * Refusals of a clip-creating call whose text the bot does not recognise (the viewer is
   * told Twitch's words). Each distinct text is also logged once per process, to report it.
   */
  readonly helixUnknownRefusals = new Counter({
    name: 'clipbot_helix_unknown_refusals_total',
    help: 'Create Clip refusals with a text the bot does not recognise, by endpoint and status',
    labelNames: ['endpoint', 'status'] as const,
    registers: [this.registry],
  });
  readonly helixClipCreationRemaining = new Gauge({
    name: 'clipbot_helix_clip_creation_remaining',
    help: "Ratelimit-Helixclipscreation-Remaining of the latest Create Clip answer (Create Clip's own bucket)",
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: 'clipbot_queue_jobs',
    help: 'Clip jobs in the queue, by state',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });
  /**
   * Reply envelopes (one per reply target) the dispatcher settled or retried, by platform
   * and result: delivered, retried (a transient failure), undeliverable (the sender said
   * it never can be), expired (older than the dispatcher's maxAnswerAgeMs), unreadable.
   */
  readonly replyDeliveries = new Counter({
    name: 'clipbot_reply_deliveries_total',
    help: 'Reply deliveries by platform and result (delivered, retried, undeliverable, expired, unreadable)',
    labelNames: ['platform', 'result'] as const,
    registers: [this.registry],
  });
  readonly chatMessagesSent = new Counter({
    name: 'clipbot_chat_messages_sent_total',
    help: 'Messages the bot sent, by platform',
    labelNames: ['platform'] as const,
    registers: [this.registry],
  });

  /** JOINs Twitch refused (msg_channel_suspended, msg_banned, ...), by msg-id. */
  readonly chatJoinsRefused = new Counter({
    name: 'clipbot_chat_joins_refused_total',
    help: 'Chat channels Twitch would not let the bot join, by platform and NOTICE msg-id',
    labelNames: ['platform', 'reason'] as const,
    registers: [this.registry],
  });

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    if (opts.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'clipbot_' });
  }
}
