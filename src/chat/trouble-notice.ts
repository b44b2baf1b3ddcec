import type { IncomingCommand } from '../core/command.js';

/** What a viewer is told when their command failed only because Redis is unreachable. */
export const TROUBLE_TEXT = 'The bot is having trouble right now, try again in a moment.';

export interface TroubleNoticeOptions {
  /** A Twitch channel hears the trouble answer once in this long. */
  windowMs?: number;
  /** Channels remembered at most; older windows are forgotten first. */
  maxChannels?: number;
  now?: () => number;
}

export const TROUBLE_NOTICE_DEFAULTS = {
  windowMs: 30_000,
  maxChannels: 10_000,
} as const satisfies TroubleNoticeOptions;

/**
 * The "having trouble" answer while Redis is down, held in this process's memory (Redis,
 * where the bot keeps every other window, is what is missing). Twitch: once per channel per
 * window, so a chat repeating `!clip` through an outage hears it once, not once per line.
 * Discord: every time, since an interaction waits for its own answer. Bounded: one entry
 * per channel, at most maxChannels of them.
 */
export class TroubleNotices {
  private readonly saidAt = new Map<string, number>();
  private readonly windowMs: number;
  private readonly maxChannels: number;
  private readonly now: () => number;

  constructor(opts: TroubleNoticeOptions = {}) {
    this.windowMs = opts.windowMs ?? TROUBLE_NOTICE_DEFAULTS.windowMs;
    this.maxChannels = opts.maxChannels ?? TROUBLE_NOTICE_DEFAULTS.maxChannels;
    this.now = opts.now ?? Date.now;
  }

  /** True when this command should get the trouble answer (and counts it as given). */
  shouldAnswer(input: Pick<IncomingCommand, 'platform' | 'replyTarget'>): boolean {
    const target = input.replyTarget;
    if (target.platform !== 'twitch') return true;
    const key = target.channel;
    const now = this.now();
    const last = this.saidAt.get(key);
    if (last !== undefined && now - last < this.windowMs) return false;
    // Re-inserted so the map's order is the order of the last answers: the oldest go first.
    this.saidAt.delete(key);
    this.saidAt.set(key, now);
    for (const [old] of this.saidAt) {
      if (this.saidAt.size <= this.maxChannels) break;
      this.saidAt.delete(old);
    }
    return true;
  }
}
