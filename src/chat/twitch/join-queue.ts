import type { Logger } from 'pino';
import { RateWindow, type TwitchChatLimits } from './limits.js';

export interface JoinQueueDeps {
  limits: TwitchChatLimits;
  join(channel: string): Promise<unknown>;
  part(channel: string): Promise<unknown>;
  log: Logger;
  /** Attempts per channel and connection before giving up until the next reconnect. */
  maxAttempts?: number;
  /** Twitch refused a JOIN for a reason retrying cannot change (see JOIN_REFUSED). */
  onRefused?(channel: string, reason: string): void;
}

/**
 * NOTICE msg-ids (tmi.js rejects the JOIN with them) meaning the bot cannot be in the
 * channel: suspended or unknown channel, the bot banned from it or from Twitch.
 */
const JOIN_REFUSED = new Set([
  'msg_channel_suspended',
  'msg_room_not_found',
  'msg_banned',
  'tos_ban',
  'invalid_user',
]);

export const JOIN_QUEUE_DEFAULTS = {
  maxAttempts: 3,
} as const satisfies Partial<JoinQueueDeps>;

/**
 * Which channels the bot should be in, which it is in, and the JOINs in between, paced to
 * Twitch's join limit. A reconnect starts every channel over.
 */
export class JoinQueue {
  private readonly wanted = new Set<string>();
  private readonly joined = new Set<string>();
  private readonly inFlight = new Set<string>();
  private readonly attempts = new Map<string, number>();
  /** Channels Twitch refused to let the bot join on this connection: channel -> msg-id. */
  private readonly refused = new Map<string, string>();
  private pending: string[] = [];
  private readonly window: RateWindow;
  private timer: NodeJS.Timeout | undefined;
  private connected = false;
  private stopped = false;

  constructor(private readonly deps: JoinQueueDeps) {
    this.window = new RateWindow(deps.limits.joinWindowMs, deps.limits.marginMs);
  }

  want(channel: string): void {
    // Added again: the refusal may be over (a suspension lifted), so try once more.
    if (this.refused.delete(channel)) this.attempts.delete(channel);
    else if (this.wanted.has(channel)) return;
    this.wanted.add(channel);
    if (this.connected && !this.joined.has(channel) && !this.inFlight.has(channel)) {
      this.pending.push(channel);
      this.pump();
    }
  }

  unwant(channel: string): void {
    this.refused.delete(channel);
    if (!this.wanted.delete(channel)) return;
    // A join still in flight is undone when it lands (see markJoined).
    if (this.joined.has(channel) && this.connected) {
      this.deps.part(channel).catch((err: unknown) => {
        this.deps.log.warn({ err: String(err), channel }, 'twitch chat part failed');
      });
    }
  }

  /** Makes the wanted set equal to `channels` (a resync: refusals stand). */
  setWanted(channels: Iterable<string>): void {
    const next = new Set(channels);
    for (const ch of [...this.wanted]) if (!next.has(ch)) this.unwant(ch);
    for (const ch of next) if (!this.wanted.has(ch)) this.want(ch);
  }

  isWanted(channel: string): boolean {
    return this.wanted.has(channel);
  }

  isJoined(channel: string): boolean {
    return this.joined.has(channel);
  }

  /** Why Twitch refused the bot this channel (until the next connection or re-add). */
  refusal(channel: string): string | undefined {
    return this.refused.get(channel);
  }

  joinedChannels(): string[] {
    return [...this.joined];
  }

  /** Channels Twitch refused on this connection, with its msg-id. */
  refusedChannels(): { channel: string; reason: string }[] {
    return [...this.refused].map(([channel, reason]) => ({ channel, reason }));
  }

  wantedChannels(): string[] {
    return [...this.wanted];
  }

  onConnected(): void {
    this.connected = true;
    this.joined.clear();
    this.inFlight.clear();
    this.attempts.clear();
    // A new connection tries every channel again: a suspension may have been lifted.
    this.refused.clear();
    this.pending = [...this.wanted];
    this.pump();
  }

  onDisconnected(): void {
    this.connected = false;
    this.joined.clear();
    this.inFlight.clear();
    this.pending = [];
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  markJoined(channel: string): void {
    if (!this.connected) return;
    this.inFlight.delete(channel);
    this.attempts.delete(channel);
    this.refused.delete(channel);
    if (this.joined.has(channel)) return;
    this.joined.add(channel);
    // Removed while the JOIN was on its way: leave again.
    if (!this.wanted.has(channel)) this.deps.part(channel).catch(() => undefined);
  }

  markParted(channel: string): void {
    this.joined.delete(channel);
    this.inFlight.delete(channel);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private pump(): void {
    if (this.stopped || !this.connected) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.pending.length > 0) {
      const channel = this.pending[0]!;
      if (!this.wanted.has(channel) || this.joined.has(channel) || this.inFlight.has(channel)) {
        this.pending.shift();
        continue;
      }
      const now = Date.now();
      const wait = this.window.waitMs(this.deps.limits.joinLimit, now);
      if (wait > 0) {
        this.timer = setTimeout(() => this.pump(), wait);
        return;
      }
      this.pending.shift();
      const counted = this.window.record(now);
      this.inFlight.add(channel);
      this.deps.join(channel).then(
        () => {
          // Twitch counted the JOIN when it arrived, no later than its answer.
          counted(Date.now());
          this.markJoined(channel);
        },
        (err: unknown) => {
          counted(Date.now());
          this.joinFailed(channel, err);
        },
      );
    }
  }

  private joinFailed(channel: string, err: unknown): void {
    this.inFlight.delete(channel);
    if (!this.connected || !this.wanted.has(channel) || this.joined.has(channel)) return;
    if (typeof err === 'string' && JOIN_REFUSED.has(err)) {
      this.refused.set(channel, err);
      this.deps.log.warn(
        { channel, reason: err },
        'twitch refused to let the bot join the channel',
      );
      this.deps.onRefused?.(channel, err);
      return;
    }
    const attempts = (this.attempts.get(channel) ?? 0) + 1;
    this.attempts.set(channel, attempts);
    if (attempts >= (this.deps.maxAttempts ?? JOIN_QUEUE_DEFAULTS.maxAttempts)) {
      this.deps.log.warn(
        { channel, err: String(err) },
        'twitch chat join failed; not retrying until reconnect',
      );
      return;
    }
    this.pending.push(channel);
    this.pump();
  }
}
