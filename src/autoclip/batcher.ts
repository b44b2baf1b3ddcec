import { hashString } from './hash.js';
import { LineBatch } from './line-batch.js';
import type { AutoClipManager } from './manager.js';
import { MessageScan, scanMessage } from './scan.js';
import type { ChannelSettings } from '../core/channel-settings.js';
import type { AutoClipFire, ChatObservation } from './types.js';

export interface ObservationBatcherOptions {
  /**
   * How long a line waits to be taken by its detector with the others of its channel. One
   * by one, a thousand busy channels' lines each meet their detector's state cold (cache
   * misses: most of what automatic clips cost a line); together, a channel's lines find it
   * warm. A moment's clip is asked for at most this much later; its window follows the
   * lines' own send times, so what it covers does not change. 0 takes each line at once.
   */
  batchMs?: number;
  /** Lines held at most: past this a flood is taken at once rather than held. */
  maxLines?: number;
}

export const OBSERVATION_BATCH_DEFAULTS = {
  batchMs: 200,
  maxLines: 20_000,
} as const satisfies ObservationBatcherOptions;

/**
 * Reads each chat line as it comes (its text is still in the cache then) and keeps what the
 * detector needs as numbers (LineBatch); every `batchMs` the detectors take the lines,
 * grouped by channel and in order within each. A line that fails is reported and the
 * others are still taken. A raid's arrival and a change of a channel's settings go through
 * here too: the waiting lines are taken first, so each is judged as its channel was when it
 * came.
 */
export class ObservationBatcher {
  private batch: LineBatch;
  private spare: LineBatch;
  private readonly scan = new MessageScan();
  private readonly replayed = new MessageScan();
  private timer: NodeJS.Timeout | undefined;
  private readonly batchMs: number;
  private readonly maxLines: number;
  private readonly tokensPerMessage: number;

  constructor(
    private readonly manager: AutoClipManager,
    private readonly fired: (fire: AutoClipFire) => void,
    private readonly failed: (err: unknown) => void,
    opts: ObservationBatcherOptions = {},
  ) {
    this.batchMs = opts.batchMs ?? OBSERVATION_BATCH_DEFAULTS.batchMs;
    this.maxLines = opts.maxLines ?? OBSERVATION_BATCH_DEFAULTS.maxLines;
    this.tokensPerMessage = manager.tokensPerMessage;
    this.batch = new LineBatch(this.tokensPerMessage);
    this.spare = new LineBatch(this.tokensPerMessage);
  }

  /** Lines waiting for their detector. */
  get pending(): number {
    return this.batch.size;
  }

  /** `channel`: AutoClipManager.idOf the line's channel, when the caller has it already. */
  add(m: ChatObservation, channel = this.manager.idOf(m.channel)): void {
    if (channel === 0) return;
    const fromBot = m.fromBot === true;
    const read = !fromBot && (m.text !== '' || (m.emotes?.length ?? 0) > 0);
    if (read) scanMessage(m.text, m.emotes, this.tokensPerMessage, this.scan);
    const support = m.support !== undefined || (m.bits ?? 0) > 0;
    this.batch.add(
      channel,
      m.at,
      hashString(m.userId),
      fromBot,
      support,
      read ? this.scan : undefined,
    );
    if (this.batchMs <= 0 || this.batch.size >= this.maxLines) return this.flush();
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.batchMs);
      this.timer.unref();
    }
  }

  /** Takes every waiting line now (a raid arriving must not be judged before them). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.batch;
    if (batch.size === 0) return;
    // Lines that come while these are taken (a fire's callback) wait for the next flush.
    this.batch = this.spare;
    this.spare = batch;
    const byChannel = new Map<number, number[]>();
    for (let i = 0; i < batch.size; i++) {
      const channel = batch.channel(i);
      const group = byChannel.get(channel);
      if (group) group.push(i);
      else byChannel.set(channel, [i]);
    }
    for (const [channel, group] of byChannel) for (const i of group) this.take(batch, channel, i);
    batch.clear();
  }

  /** tmi.js `raided`: the lines before it are judged as they came, not as its greetings. */
  raidArrived(channel: string, atMs: number): void {
    this.flush();
    this.manager.raidArrived(channel, atMs);
  }

  /** A channel's stored settings (AutoClipSettingsSync), after the lines that came before. */
  applySettings(channel: string, settings: ChannelSettings): void {
    this.flush();
    this.manager.applySettings(channel, settings);
  }

  disable(channel: string): void {
    this.flush();
    this.manager.disable(channel);
  }

  /** Drops what waits (the bot is leaving chat: no clip is asked for after that). */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.batch.clear();
  }

  private take(batch: LineBatch, channel: number, i: number): void {
    try {
      const fire = this.manager.observeReadById(
        channel,
        batch.sentAt(i),
        batch.user(i),
        batch.fromBot(i),
        batch.support(i),
        batch.replay(i, this.replayed),
      );
      if (fire) this.fired(fire);
    } catch (err) {
      this.failed(err);
    }
  }
}
