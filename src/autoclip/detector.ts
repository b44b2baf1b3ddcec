import { SeenFifo } from './fifo.js';
import { hashString } from './hash.js';
import { MessageScan, scanMessage } from './scan.js';
import {
  AUTOCLIP_THRESHOLDS,
  DETECTOR_DEFAULTS,
  DETECTOR_SETTINGS_DEFAULTS,
  type DetectorOptions,
  type Thresholds,
} from './thresholds.js';
import type { AutoClipFire, AutoClipKind, ChatObservation, DetectorSettings } from './types.js';

/** Distinct users of one token (emote, word, "clip", bits/subs) in the window. */
interface TokenState {
  kind: Exclude<AutoClipKind, 'rate'>;
  /** The emote or word, and the map that holds it under `hash` (none for clip and support). */
  name: string;
  hash: number;
  of: Map<number, TokenState> | undefined;
  /** user (hash of the id) -> the last second they used it, for users inside the window */
  users: Map<number, number>;
  /** The token's usual count (EWMA of users.size per second), updated when touched. */
  level: number;
  levelAt: number;
  /** ms the count last rose above its usual level: where a wave of it began. */
  riseAt: number | undefined;
}

function newToken(
  kind: TokenState['kind'],
  second: number,
  name: string = kind,
  hash = 0,
  of: Map<number, TokenState> | undefined = undefined,
): TokenState {
  return { kind, name, hash, of, users: new Map(), level: 0, levelAt: second, riseAt: undefined };
}

/**
 * One line's reading, reused by every detector: observe runs to the end before the next
 * line is read, and reading a line then allocates nothing.
 */
const scan = new MessageScan();
const touched: TokenState[] = [];

/**
 * One channel's detector. Every message costs O(1) amortised work: per-second buckets for
 * the message count, user -> last-second maps with a FIFO of expiries for distinct chatters
 * and distinct users per token, and baselines updated once per second.
 */
export class ChannelDetector {
  private readonly o: DetectorOptions;
  settings: DetectorSettings;
  private readonly ring: Int32Array;
  private windowMsgs = 0;
  /** user (hash of the id) -> the last second their message counted. */
  private readonly chatters = new Map<number, number>();
  private readonly seen = new SeenFifo<TokenState>();
  /** By hash of the emote's name, or of the word's token (hash.ts). */
  private readonly emoteTokens = new Map<number, TokenState>();
  private readonly wordTokens = new Map<number, TokenState>();
  private readonly clip: TokenState;
  private readonly support: TokenState;
  /** Baselines: messages (chatter-seconds) and distinct chatters per window, EWMA per second. */
  private baseMsgs = 0;
  private baseDistinct = 0;
  private samples = 0;
  private second: number | undefined;
  private readonly bornAt: number;
  private raidUntil = -Infinity;
  private armed = true;
  private firedSecond = -Infinity;
  private cooldownUntil = -Infinity;
  private moment: TokenState | undefined;
  /** Until this second (a moment's least length after a fire) baselines hold still. */
  private frozenUntil = -Infinity;
  private readonly keepNormal: Float64Array;
  private readonly keepRaid: Float64Array;

  constructor(
    readonly channel: string,
    settings: Partial<DetectorSettings> = {},
    opts: Partial<DetectorOptions> = {},
    bornAtMs = 0,
  ) {
    this.o = { ...DETECTOR_DEFAULTS, ...opts };
    this.settings = { ...DETECTOR_SETTINGS_DEFAULTS, ...settings };
    this.ring = new Int32Array(this.o.windowS);
    this.keepNormal = keepTable(this.o.baselineTauS);
    this.keepRaid = keepTable(this.o.raidTauS);
    this.bornAt = Math.floor(bornAtMs / 1000);
    this.clip = newToken('clip', this.bornAt);
    this.support = newToken('support', this.bornAt);
  }

  private get t(): Thresholds {
    return AUTOCLIP_THRESHOLDS[this.settings.sensitivity];
  }

  private tau(second: number): number {
    return second < this.raidUntil ? this.o.raidTauS : this.o.baselineTauS;
  }

  /** A raid arrived: its greetings are not a moment, and the baseline follows the raiders. */
  raidArrived(atMs: number): void {
    this.raidUntil = Math.floor(atMs / 1000) + this.o.raidWindowS;
  }

  /** Token states held (for the memory bound's tests and the bench). */
  get tokenCount(): number {
    return this.emoteTokens.size + this.wordTokens.size;
  }

  observe(m: ChatObservation): AutoClipFire | undefined {
    const fromBot = m.fromBot === true;
    const read = !fromBot && (m.text !== '' || (m.emotes?.length ?? 0) > 0);
    if (read) scanMessage(m.text, m.emotes, this.o.tokensPerMessage, scan);
    const support = m.support !== undefined || (m.bits ?? 0) > 0;
    return this.observeRead(m.at, hashString(m.userId), fromBot, support, read ? scan : undefined);
  }

  /**
   * A line already read: sent at `at`, by the user whose id hashes to `user` (hash.ts),
   * carrying bits or a sub (`support`), its words in `read` (none for a bare sub or cheer).
   */
  observeRead(
    at: number,
    user: number,
    fromBot: boolean,
    support: boolean,
    read: MessageScan | undefined,
  ): AutoClipFire | undefined {
    const s = Math.floor(at / 1000);
    this.advance(s);
    if (fromBot) return undefined;
    // A command or vote is not chat: nothing of it is counted unless it carried support.
    if (read?.command && !support) return undefined;
    touched.length = 0;
    if (support) touched.push(this.touch(this.support, user, s, at));
    if (read) {
      if (read.command) return this.evaluate(at, s, touched, false);
      // The rate counts each chatter at most once a second: a flooder is one voice.
      if (this.chatters.get(user) !== s) {
        const slot = s % this.o.windowS;
        this.ring[slot] = (this.ring[slot] ?? 0) + 1;
        this.windowMsgs += 1;
        this.chatters.set(user, s);
        this.seen.push(undefined, user, s);
      }
      if (read.clipMention) touched.push(this.touch(this.clip, user, s, at));
      for (let i = 0; i < read.emoteCount; i++)
        touched.push(this.touch(this.emoteToken(read, i, s), user, s, at));
      for (let i = 0; i < read.wordCount; i++)
        touched.push(this.touch(this.wordToken(read, i, s), user, s, at));
    }
    return this.evaluate(at, s, touched, true);
  }

  private emoteToken(read: MessageScan, i: number, s: number): TokenState {
    const hash = read.emoteHashes[i] ?? 0;
    return (
      this.emoteTokens.get(hash) ??
      this.newToken(this.emoteTokens, 'emote', hash, s, read.emoteName(i))
    );
  }

  private wordToken(read: MessageScan, i: number, s: number): TokenState {
    const hash = read.wordHashes[i] ?? 0;
    return (
      this.wordTokens.get(hash) ?? this.newToken(this.wordTokens, 'word', hash, s, read.wordName(i))
    );
  }

  /** A token first seen (or seen again after it was forgotten): its name is read only now. */
  private newToken(
    of: Map<number, TokenState>,
    kind: 'emote' | 'word',
    hash: number,
    s: number,
    name: string,
  ): TokenState {
    const state = newToken(kind, s, name, hash, of);
    of.set(hash, state);
    if (this.tokenCount > this.o.maxTokens) this.sweepTokens();
    return state;
  }

  private touch(state: TokenState, user: number, s: number, at: number): TokenState {
    this.updateLevel(state, s);
    if (state.users.size <= Math.ceil(state.level)) state.riseAt = undefined;
    if (state.users.get(user) !== s) {
      state.users.set(user, s);
      this.seen.push(state, user, s);
    }
    if (state.riseAt === undefined) state.riseAt = at;
    return state;
  }

  private updateLevel(state: TokenState, s: number): void {
    const dt = s - state.levelAt;
    if (dt <= 0) return;
    // A moment is not the chat's usual: levels and baselines hold still while it lasts.
    if (s < this.frozenUntil) {
      state.levelAt = s;
      return;
    }
    const keep = this.keep(dt, s);
    state.level = state.level * keep + (1 - keep) * state.users.size;
    state.levelAt = s;
  }

  /** Moves the window to second `s`: baselines sampled, old buckets and users dropped. */
  private advance(s: number): void {
    if (this.second === undefined) {
      this.second = s;
      return;
    }
    const from: number = this.second;
    const gap = s - from;
    if (gap <= 0) return;
    const W = this.o.windowS;
    const steps = Math.min(gap, W + 1);
    let i = 1;
    for (; i <= steps; i++) {
      // Nothing left in the window: the remaining seconds only decay the baselines.
      if (this.windowMsgs === 0 && this.seen.size === 0) break;
      const cur = from + i;
      this.sample(cur);
      const slot = cur % W;
      this.windowMsgs -= this.ring[slot] ?? 0;
      this.ring[slot] = 0;
      this.expire(cur - W);
    }
    // A silence longer than the window: the window is empty, the baselines only decay.
    for (let left = gap - steps; left > 0;) {
      const chunk = Math.min(left, 3600);
      const keep = Math.exp(-chunk / this.o.baselineTauS);
      this.baseMsgs *= keep;
      this.baseDistinct *= keep;
      this.samples += chunk;
      left -= chunk;
    }
    this.second = s;
    if (!this.armed) this.maybeRearm(s);
  }

  /** exp(-dt / tau), from a table for the short gaps that are nearly all of them. */
  private keep(dt: number, s: number): number {
    const raid = s < this.raidUntil;
    const table = raid ? this.keepRaid : this.keepNormal;
    return dt < table.length ? (table[dt] ?? 1) : Math.exp(-dt / this.tau(s));
  }

  private sample(second: number): void {
    // The window fills during a new detector's first seconds: those are not the chat's pace.
    if (second - this.bornAt <= this.o.windowS || second < this.frozenUntil) return;
    // A running mean until there are tau samples: a new detector learns a busy chat fast.
    this.samples += 1;
    const tau = this.tau(second);
    const up = Math.max(1 / tau, 1 / this.samples);
    const down = Math.max(1 / (tau * this.o.baselineFallSlower), 1 / this.samples);
    const dm = this.windowMsgs - this.baseMsgs;
    this.baseMsgs += (dm > 0 ? up : down) * dm;
    const dd = this.chatters.size - this.baseDistinct;
    this.baseDistinct += (dd > 0 ? up : down) * dd;
  }

  /** Drops users last seen at or before `second`. */
  private expire(second: number): void {
    while (this.seen.firstSecond() <= second) {
      const at = this.seen.firstSecond();
      const st = this.seen.firstHolder();
      const user = this.seen.firstUser();
      this.seen.shift();
      if (!st) {
        if (this.chatters.get(user) === at) this.chatters.delete(user);
        continue;
      }
      if (st.users.get(user) !== at) continue;
      st.users.delete(user);
      if (st.users.size <= Math.ceil(st.level)) st.riseAt = undefined;
      if (st.users.size === 0 && st.level < 0.5 && st !== this.clip && st !== this.support) {
        this.updateLevel(st, second);
        if (st.level < 0.5 && st.of?.get(st.hash) === st) st.of.delete(st.hash);
      }
    }
  }

  /** Too many tokens: forget those nobody used within the window (their usual level too). */
  private sweepTokens(): void {
    for (const of of [this.emoteTokens, this.wordTokens])
      for (const [hash, st] of of) if (st.users.size === 0) of.delete(hash);
  }

  private threshold(st: TokenState): number {
    const t = this.t;
    // Plus noiseSd standard deviations of a Poisson count at the token's usual level.
    const noise = t.noiseSd * Math.sqrt(st.level);
    if (st === this.clip)
      return t.clipMin + t.clipShare * this.baseDistinct + t.clipOverOwn * st.level + noise;
    if (st === this.support)
      return (
        t.supportMin + t.supportShare * this.baseDistinct + t.supportOverOwn * st.level + noise
      );
    return t.tokenMin + t.tokenShare * this.baseDistinct + t.tokenOverOwn * st.level + noise;
  }

  private rateMsgThreshold(): number {
    const t = this.t;
    return Math.max(t.rateMin, t.rateMult * this.baseMsgs);
  }

  private rateDistinctThreshold(): number {
    const t = this.t;
    return Math.max(t.distinctMin, t.distinctMult * this.baseDistinct);
  }

  private maybeRearm(s: number): void {
    const since = s - this.firedSecond;
    if (since >= this.o.momentMaxS) {
      this.armed = true;
      return;
    }
    if (since < this.o.momentMinS) return;
    const quietToken = !this.moment || this.moment.users.size < 0.5 * this.threshold(this.moment);
    if (quietToken && this.windowMsgs < 0.6 * this.rateMsgThreshold()) this.armed = true;
  }

  private evaluate(
    at: number,
    s: number,
    touched: TokenState[],
    counted: boolean,
  ): AutoClipFire | undefined {
    if (!this.armed || at < this.cooldownUntil || s - this.bornAt < this.o.warmupS)
      return undefined;
    if (s < this.raidUntil && !this.settings.raids) return undefined;
    let lead: TokenState | undefined;
    for (const st of touched) {
      if (reaches(st.users.size, this.threshold(st))) return this.fire(at, s, st, st.kind, st);
      if (st !== this.clip && st !== this.support && (!lead || st.users.size > lead.users.size))
        lead = st;
    }
    if (!counted) return undefined;
    if (
      reaches(this.windowMsgs, this.rateMsgThreshold()) &&
      reaches(this.chatters.size, this.rateDistinctThreshold())
    )
      return this.fire(at, s, undefined, 'rate', lead);
    return undefined;
  }

  private fire(
    at: number,
    s: number,
    carrier: TokenState | undefined,
    kind: AutoClipKind,
    named: TokenState | undefined,
  ): AutoClipFire {
    this.armed = false;
    this.firedSecond = s;
    this.frozenUntil = s + this.o.momentMinS;
    this.moment = carrier;
    this.cooldownUntil = at + this.settings.cooldownS * 1000;
    const earliest = at - this.o.windowS * 1000;
    const started = carrier?.riseAt ?? this.rateRiseAt(s);
    const fire: AutoClipFire = {
      channel: this.channel,
      startedAt: Math.min(at, Math.max(earliest, started)),
      firedAt: at,
      kind,
    };
    const token = named && named !== this.support ? named.name : undefined;
    if (token !== undefined) fire.token = token;
    return fire;
  }

  /** The first second in the window busier than usual: where a jump in rate began. */
  private rateRiseAt(s: number): number {
    const W = this.o.windowS;
    const usual = Math.max(1, (1.5 * this.baseMsgs) / W);
    for (let back = W - 1; back >= 0; back--) {
      const sec = s - back;
      if ((this.ring[((sec % W) + W) % W] ?? 0) > usual) return sec * 1000;
    }
    return s * 1000;
  }
}

/** Counts are whole: a threshold of 3.02 asks for 3, not 4. */
function reaches(count: number, threshold: number): boolean {
  return count + 0.5 >= threshold;
}

const KEEP_TABLE = 64;
/** One table per time constant, shared by every detector (a thousand channels, two taus). */
const keepTables = new Map<number, Float64Array>();
function keepTable(tauS: number): Float64Array {
  let table = keepTables.get(tauS);
  if (!table) {
    table = Float64Array.from({ length: KEEP_TABLE }, (_, dt) => Math.exp(-dt / tauS));
    keepTables.set(tauS, table);
  }
  return table;
}
