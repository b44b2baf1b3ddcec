/**
 * The pipeline's data. Everything here is JSON that goes into BullMQ jobs or Redis streams:
 * never put a token (Twitch, Discord, or a Discord interaction token) in it.
 */

export type Platform = 'twitch' | 'discord';

export interface Requester {
  platform: Platform;
  /** Twitch user id or Discord user id. */
  userId: string;
  /** What we call them in an answer (display name). */
  displayName: string;
}

/**
 * Where an answer goes. For Discord the interaction token (a 15-minute webhook credential)
 * stays out of job data: the Discord adapter stores it in Redis under the interaction id.
 */
export type ReplyTarget =
  | { platform: 'twitch'; channel: string; parentMessageId?: string }
  | { platform: 'discord'; interactionId: string; guildId: string; channelId: string };

export interface ClipRequest {
  /** Unique per request (a chat message or an interaction). */
  requestId: string;
  broadcasterId: string;
  broadcasterLogin: string;
  broadcasterName: string;
  /** Final title (template already applied); absent for Twitch's default title. */
  title?: string;
  /** 5..60 seconds; absent for Twitch's default (30). */
  duration?: number;
  /** Seconds to wait before capturing (the channel's delay setting). */
  delayS?: number;
  requester: Requester;
  replyTo: ReplyTarget;
  /** epoch ms when the chat message or interaction arrived. */
  requestedAt: number;
  /**
   * Clip the past: the clip ENDS this many seconds before requestedAt and is made from the
   * stream's VOD (Create Clip From VOD) instead of the live stream.
   */
  vod?: {
    agoS: number;
    /**
     * A live request whose job reached Create Clip too late for a live clip to hold its
     * moment: made from the VOD instead, ending at requestedAt (src/clips/moment-deadline.ts).
     * It stays the live request it was for pending clips, links and answers.
     */
    late?: boolean;
  };
  /**
   * Asked by the automatic-clip detector, not a viewer (the requester is the bot): what
   * carried the moment, and whether the answer is said in Twitch chat (`autoChat`) or only
   * posted to the linked Discord channels.
   */
  auto?: AutoClipMark;
}

/** What marks a request as the bot's own automatic clip. */
export interface AutoClipMark {
  /** Which signal carried the moment (emote, word, clip, support, rate). */
  kind: string;
  /** The emote or word that carried it. */
  token?: string;
  /** Answer in Twitch chat too (the channel's autoChat); off: only the Discord posts. */
  announce: boolean;
}

/**
 * Whether a Twitch request's answer is said in chat: a viewer's always; an automatic clip's
 * only where the channel asked for it (autoChat), and only a clip (its failures, offline
 * most of all, mean nothing to a chat that asked for nothing).
 */
export function saidInChat(req: Pick<ClipRequest, 'auto'>, outcome: ClipOutcome): boolean {
  if (!req.auto) return true;
  return req.auto.announce && (outcome.status === 'created' || outcome.status === 'not_visible');
}

/** Reasons a viewer understands. */
export type FailureReason =
  | 'offline'
  | 'clips_disabled'
  | 'clips_restricted'
  | 'banned'
  | 'not_clippable'
  | 'unknown_channel'
  | 'unauthorized'
  | 'rate_limited'
  /**
   * Create Clip's own bucket (Ratelimit-Helixclipscreation-*) is used up, and clip creation
   * stays paused longer than a clip of this moment can wait.
   */
  | 'clip_rate_limited'
  /** Twitch refused the clip in words the bot does not recognise: they are quoted. */
  | 'twitch_refused'
  | 'twitch_unavailable'
  | 'internal'
  /** Clip the past: the stream has no VOD (past broadcasts off), or none holds the moment. */
  | 'no_vod'
  /** Clip the past: the asked moment (with its duration) starts before the VOD does. */
  | 'before_stream'
  /** Clip the past: the VOD does not reach that moment yet. */
  | 'vod_not_ready'
  /** Clip the past: the bot's token lacks editor:manage:clips / channel:manage:clips. */
  | 'vod_scope_missing'
  /** Clip the past: the bot account is not one of the channel's editors. */
  | 'vod_not_editor'
  /**
   * Create Clip was sent but Twitch's answer never came back (a timeout, a dropped
   * connection, a 5xx, a 202 without an id), and Get Clips showed no clip of it: after one
   * more unconfirmed attempt (or when the bot account is unknown, so nothing can be looked
   * up), the job stops rather than risk a second clip.
   */
  | 'uncertain'
  /**
   * A live clip asked for reached Create Clip too late to hold the moment (a stall, a
   * backlog, a restart, a long 429), and it could not be clipped from the VOD instead.
   */
  | 'too_late';

export interface ClipInfo {
  id: string;
  url: string;
  editUrl: string;
  title: string;
  broadcasterName: string;
  thumbnailUrl?: string;
  duration?: number;
  createdAt?: string;
  viewCount?: number;
}

/** Why a requester waits longer than usual, as the "on its way" notice says it. */
export type WaitReason = 'rate_limited' | 'twitch_slow' | 'recovering';

export type ClipOutcome =
  /** Get Clips returned it. titleDropped: AutoMod rejected the title, made without it. */
  | { status: 'created'; clip: ClipInfo; titleDropped?: boolean }
  /** Created, but not visible by the deadline: it may still appear; the edit URL is real. */
  | { status: 'not_visible'; clipId: string; editUrl: string; titleDropped?: boolean }
  | {
      status: 'failed';
      reason: FailureReason;
      detail?: string;
      /** twitch_refused: Twitch's own words, already made safe for chat. */
      twitchText?: string;
      /** clip_rate_limited: about how long clip creation stays paused. */
      retryAfterS?: number;
    }
  /**
   * Not a result: a notice, sent once per job through the reply streams, that the clip is
   * still coming and why it takes longer (wait-notice.ts). The result follows it.
   */
  | { status: 'on_its_way'; reason: WaitReason };

export interface ClipResult {
  jobId: string;
  broadcasterId: string;
  broadcasterLogin: string;
  broadcasterName: string;
  outcome: ClipOutcome;
  /** A link to this moment in the stream's VOD, when one exists (the rescue link). */
  vodLink?: string;
  /**
   * What the job asked Twitch for: the title and duration of the request that started it
   * (absent inside: Twitch's default). Lets an answer tell a requester who joined the clip
   * that their own title or duration was not used. Absent in older results.
   */
  requested?: { title?: string; duration?: number };
  /** epoch ms */
  finishedAt: number;
}

/** One item of the durable reply stream: a result and the requests it answers on one platform. */
export interface ReplyEnvelope {
  platform: Platform;
  result: ClipResult;
  requests: ClipRequest[];
  /** Set for a post to a Discord channel linked to the Twitch channel (not a reply). */
  post?: { guildId: string; channelId: string };
}

/** How the chat side asks for a clip. */
export interface ClipService {
  /**
   * Queues a clip for the channel, or joins the one already pending (or finished within
   * the coalescing window). Exactly one answer reaches the request's replyTo, later,
   * through the reply stream.
   */
  request(req: ClipRequest): Promise<{ jobId: string; joined: boolean }>;
}

/**
 * A chat adapter's side of delivery: sends one envelope's answer. The dispatcher hands it
 * envelopes for ONE reply target at a time (one Twitch channel, one Discord interaction or
 * post channel), in order per target; different targets are delivered concurrently.
 */
export interface ReplySender {
  readonly platform: Platform;
  /** False while disconnected: envelopes stay in the stream until it is back. */
  ready(): boolean;
  /**
   * Resolves once the answer has left. Throws `UndeliverableError` (delivery-errors.ts) when
   * it can never be delivered (the bot is not and will not be in that channel, the
   * interaction and its channel are gone): the envelope is then dropped and counted. Any
   * other error is transient: the envelope is retried with backoff, without holding up
   * other targets.
   */
  deliver(envelope: ReplyEnvelope): Promise<void>;
}

/** One clip the bot made, as kept in the channel's recent list (JSON in Redis). */
export interface RecentClip {
  clipId: string;
  /** The watch link; for a clip that was not visible by the deadline, its edit link. */
  url: string;
  title?: string;
  /** Visible when the job finished, or made but not visible by the deadline. */
  status: 'created' | 'not_visible';
  /** epoch ms the job finished */
  at: number;
  duration?: number;
  /** Made from the VOD (clip the past), this many seconds before it was asked. */
  agoS?: number;
  /** The automatic-clip detector asked for it (alone or joined by viewers). */
  auto?: boolean;
  /** Everyone whose request this clip answered, in order (the finalize script fills it in). */
  requesters: { platform: Platform; userId: string; displayName: string }[];
}
