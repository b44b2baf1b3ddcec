import { hashString } from './hash.js';
import { LineBatch } from './line-batch.js';
import type { AutoClipManager } from './manager.js';
import { MessageScan, scanMessage } from './scan.js';
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
 * others are still taken.
 */
export class ObservationBatcher {
  private batch: LineBatch;
  private spare: LineBatch;
  private readonly scan = new MessageScan();
  private readonly replayed = new MessageScan();
  private timer: NodeJS.Timeout | undefined;
  private readonly batchMs: number;
  private readonly maxLines: number;

  constructor(
    private readonly manager: AutoClipManager,
    private readonly fired: (fire: AutoClipFire) => void,
    private readonly failed: (err: unknown) => void,
    opts: ObservationBatcherOptions = {},
  ) {
    this.batchMs = opts.batchMs ?? OBSERVATION_BATCH_DEFAULTS.batchMs;
    this.maxLines = opts.maxLines ?? OBSERVATION_BATCH_DEFAULTS.maxLines;
    this.batch = new LineBatch(manager.tokensPerMessage);
    this.spare = new LineBatch(manager.tokensPerMessage);
  }

  /** Lines waiting for their detector. */
  get pending(): number {
    return this.batch.size;
  }

  /** `channel`: AutoClipManager.idOf the line's channel, when the caller has it already. */
  add(m: ChatObservation, channel = this.manager.idOf(m.channel)): void {
    if (channel === 0) return;
    if (this.batchMs <= 0) return this.take(() => this.manager.observe(m));
    const fromBot = m.fromBot === true;
    const read = !fromBot && (m.text !== '' || (m.emotes?.length ?? 0) > 0);
    if (read) scanMessage(m.text, m.emotes, this.manager.tokensPerMessage, this.scan);
    const support = m.support !== undefined || (m.bits ?? 0) > 0;
    this.batch.add(
      channel,
      m.at,
      hashString(m.userId),
      fromBot,
      support,
      read ? this.scan : undefined,
    );
    if (this.batch.size >= this.maxLines) return this.flush();
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
    for (const [channel, group] of byChannel)
      for (const i of group)
        this.take(() =>
          this.manager.observeReadById(
            channel,
            batch.sentAt(i),
            batch.user(i),
            batch.fromBot(i),
            batch.support(i),
            batch.replay(i, this.replayed),
          ),
        );
    batch.clear();
  }

  /** Drops what waits (the bot is leaving chat: no clip is asked for after that). */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.batch.clear();
  }

  private take(observe: () => AutoClipFire | undefined): void {
    try {
      const fire = observe();
      if (fire) this.fired(fire);
    } catch (err) {
      this.failed(err);
    }
  }
}
