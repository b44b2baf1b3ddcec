/**
 * Twitch's rules for what a bot account sends, enforced the way Twitch does (the message is
 * dropped) but also written down, so a test can prove the bot never breaks them.
 */

export interface ChatStandInLimits {
  /** The sliding window of the per-account message limit. */
  messageWindowMs: number;
  /** Messages per window when the bot is not moderator or broadcaster of the channel. */
  normalLimit: number;
  /** Messages per window when it is. */
  moderatorLimit: number;
  /** Where the bot is not moderator, VIP or broadcaster: a message closer than this is dropped. */
  channelSpacingMs: number;
  /** Same condition: a message identical to the previous one within this is dropped. */
  duplicateWindowMs: number;
  joinWindowMs: number;
  joinLimit: number;
  maxMessageLength: number;
}

export const TWITCH_CHAT_LIMITS: ChatStandInLimits = {
  messageWindowMs: 30_000,
  normalLimit: 20,
  moderatorLimit: 100,
  channelSpacingMs: 1_000,
  duplicateWindowMs: 30_000,
  joinWindowMs: 10_000,
  joinLimit: 20,
  maxMessageLength: 500,
};

/**
 * What Twitch chat keeps of a message the bot sends: since August 2025 it silently drops the
 * Unicode tag block (U+E0000..U+E007F), so a copy told apart only by such a character is a
 * duplicate (Chatterino/chatterino2 PR #6417: "can't be sent to TMI any longer, it just gets
 * dropped"). The duplicate rule and unique-chat mode compare what is left.
 */
export function shownText(text: string): string {
  return text.replace(/[\u{E0000}-\u{E007F}]/gu, '').trimEnd();
}

export type ViolationKind = 'rate_limit' | 'too_fast' | 'duplicate' | 'too_long' | 'join_rate';

export interface ChatViolation {
  kind: ViolationKind;
  /** The bot account. */
  login: string;
  channel: string;
  text?: string;
  /** epoch ms */
  at: number;
  detail: string;
}

/** The bot's standing in one channel, from the channel's setup. */
export interface BotStanding {
  /** Moderator or broadcaster: the higher message limit. */
  moderator: boolean;
  /** Moderator, VIP or broadcaster: exempt from the spacing and duplicate rules. */
  privileged: boolean;
}

/** Timestamps inside a sliding window; old ones fall off as new ones arrive. */
class WindowLog {
  private readonly times: number[] = [];
  constructor(private readonly windowMs: number) {}

  /** Adds `now` and returns how many entries the window holds, this one included. */
  add(now: number): number {
    this.times.push(now);
    while (this.times.length > 0 && now - this.times[0]! >= this.windowMs) this.times.shift();
    return this.times.length;
  }
}

export class ChatRules {
  private readonly sends = new Map<string, WindowLog>();
  private readonly joins = new Map<string, WindowLog>();
  private readonly lastAccepted = new Map<string, { at: number; text: string }>();

  constructor(readonly limits: ChatStandInLimits) {}

  /** Checks one message of the bot; returns the rule it breaks, if any (then it is dropped). */
  checkMessage(
    login: string,
    channel: string,
    text: string,
    standing: BotStanding,
    now: number,
  ): ChatViolation | undefined {
    const base = { login, channel, text, at: now };
    const inWindow = this.log(this.sends, login, this.limits.messageWindowMs).add(now);
    const limit = standing.moderator ? this.limits.moderatorLimit : this.limits.normalLimit;
    if (text.length > this.limits.maxMessageLength) {
      return { ...base, kind: 'too_long', detail: `${text.length} characters` };
    }
    if (inWindow > limit) {
      return {
        ...base,
        kind: 'rate_limit',
        detail: `${inWindow} messages within ${this.limits.messageWindowMs} ms (limit ${limit})`,
      };
    }
    const key = `${login}#${channel}`;
    const last = this.lastAccepted.get(key);
    if (!standing.privileged && last) {
      const gap = now - last.at;
      if (gap < this.limits.channelSpacingMs) {
        return { ...base, kind: 'too_fast', detail: `${gap} ms after the previous message` };
      }
      if (last.text === text && gap < this.limits.duplicateWindowMs) {
        return { ...base, kind: 'duplicate', detail: `identical to the message ${gap} ms before` };
      }
    }
    this.lastAccepted.set(key, { at: now, text });
    return undefined;
  }

  /** When the room last showed a message of this account (epoch ms). */
  lastAcceptedAt(login: string, channel: string): number | undefined {
    return this.lastAccepted.get(`${login}#${channel}`)?.at;
  }

  /** Counts one JOIN of the bot; returns a violation when it goes over the join rate. */
  checkJoin(login: string, channel: string, now: number): ChatViolation | undefined {
    const inWindow = this.log(this.joins, login, this.limits.joinWindowMs).add(now);
    if (inWindow <= this.limits.joinLimit) return undefined;
    return {
      kind: 'join_rate',
      login,
      channel,
      at: now,
      detail: `${inWindow} joins within ${this.limits.joinWindowMs} ms (limit ${this.limits.joinLimit})`,
    };
  }

  private log(map: Map<string, WindowLog>, login: string, windowMs: number): WindowLog {
    let log = map.get(login);
    if (!log) {
      log = new WindowLog(windowMs);
      map.set(login, log);
    }
    return log;
  }
}
