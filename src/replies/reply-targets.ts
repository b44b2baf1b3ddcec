import type { ClipRequest, ReplyEnvelope } from '../core/clip.js';

/** One envelope's answer for one reply target: the unit the dispatcher orders and retries. */
export interface TargetEnvelope {
  /** Ordering key: 'twitch:<channel>', 'discord:interaction:<id>', 'discord:post:<channelId>'. */
  key: string;
  envelope: ReplyEnvelope;
}

/**
 * Splits an envelope by where its answers go, so that one target that cannot be reached
 * (a channel the bot left, a deleted interaction) holds up nothing but itself. A Twitch
 * envelope names every requester of a clip; they may have asked in different channels.
 * A Discord reply answers each interaction on its own; a post goes to one channel. Pure.
 */
export function splitByTarget(envelope: ReplyEnvelope): TargetEnvelope[] {
  if (envelope.post) {
    return [{ key: `discord:post:${envelope.post.channelId}`, envelope }];
  }
  const groups = new Map<string, ClipRequest[]>();
  for (const req of envelope.requests) {
    const key = targetKey(envelope.platform, req);
    const list = groups.get(key);
    if (list) list.push(req);
    else groups.set(key, [req]);
  }
  if (groups.size === 0) return [{ key: `${envelope.platform}:none`, envelope }];
  if (groups.size === 1) {
    const [key] = groups.keys();
    return [{ key: key!, envelope }];
  }
  return [...groups].map(([key, requests]) => ({ key, envelope: { ...envelope, requests } }));
}

function targetKey(platform: ReplyEnvelope['platform'], req: ClipRequest): string {
  const to = req.replyTo;
  if (platform === 'twitch') {
    return to.platform === 'twitch'
      ? `twitch:${to.channel.replace(/^#/, '').toLowerCase()}`
      : 'twitch:other';
  }
  return to.platform === 'discord' ? `discord:interaction:${to.interactionId}` : 'discord:other';
}

/**
 * Answers that may share one delivery when both are waiting for the same target: Twitch
 * answers of the same clip (one chat message naming everyone, not a reply storm). Discord
 * answers each interaction separately. Undefined: never merged.
 */
export function mergeKey(envelope: ReplyEnvelope): string | undefined {
  if (envelope.platform !== 'twitch' || envelope.post) return undefined;
  // A notice that the clip is on its way is said on its own, never merged into the result.
  return envelope.result.outcome.status === 'on_its_way' ? undefined : envelope.result.jobId;
}

/** The requests of several envelopes of one clip, each request once, in order. */
export function mergeRequests(lists: readonly ClipRequest[][]): ClipRequest[] {
  const seen = new Set<string>();
  const out: ClipRequest[] = [];
  for (const list of lists) {
    for (const r of list) {
      if (seen.has(r.requestId)) continue;
      seen.add(r.requestId);
      out.push(r);
    }
  }
  return out;
}
