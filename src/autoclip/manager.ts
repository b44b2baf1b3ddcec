import { ChannelDetector } from './detector.js';
import type { MessageScan } from './scan.js';
import {
  DETECTOR_DEFAULTS,
  DETECTOR_SETTINGS_DEFAULTS,
  type DetectorOptions,
} from './thresholds.js';
import type { ChannelSettings } from '../core/channel-settings.js';
import type { AutoClipFire, ChatObservation, DetectorSettings } from './types.js';

export interface AutoClipManagerOptions {
  /** Detectors kept at most; the least recently active channel goes first. */
  maxChannels?: number;
  /** A channel silent this long loses its detector (it learns the chat again when back). */
  idleEvictS?: number;
  detector?: Partial<DetectorOptions>;
}

export const AUTOCLIP_MANAGER_DEFAULTS = {
  maxChannels: 5000,
  idleEvictS: 900,
} as const satisfies AutoClipManagerOptions;

interface Entry {
  detector: ChannelDetector;
  touchedSecond: number;
}

/**
 * The detectors of every channel whose moderators turned automatic clips on. Chat of other
 * channels costs one map lookup. Memory is bounded: at most `maxChannels` detectors, and a
 * channel idle for `idleEvictS` is dropped (checked on every message, O(1) amortised: the
 * map's order is the order channels were last active in).
 */
export class AutoClipManager {
  private readonly enabled = new Map<string, { settings: DetectorSettings; id: number }>();
  /** Channels by the number `idOf` gave them (a channel turned on again gets a new one). */
  private readonly byId = new Map<number, string>();
  private nextId = 1;
  private readonly detectors = new Map<string, Entry>();
  private readonly maxChannels: number;
  private readonly idleEvictS: number;
  private evictedSecond = -1;

  constructor(private readonly opts: AutoClipManagerOptions = {}) {
    this.maxChannels = opts.maxChannels ?? AUTOCLIP_MANAGER_DEFAULTS.maxChannels;
    this.idleEvictS = opts.idleEvictS ?? AUTOCLIP_MANAGER_DEFAULTS.idleEvictS;
  }

  /** Turns detection on for a channel, or changes its settings (kept baseline and all). */
  enable(channel: string, settings: Partial<DetectorSettings> = {}): void {
    const full = { ...DETECTOR_SETTINGS_DEFAULTS, ...settings };
    const id = this.enabled.get(channel)?.id ?? this.nextId++;
    this.enabled.set(channel, { settings: full, id });
    this.byId.set(id, channel);
    const entry = this.detectors.get(channel);
    if (entry) entry.detector.settings = full;
  }

  /** A channel's stored settings, as `!clipconfig auto ...` left them: on, off, or changed. */
  applySettings(channel: string, s: ChannelSettings): void {
    if (!s.autoEnabled) this.disable(channel);
    else
      this.enable(channel, {
        sensitivity: s.autoSensitivity,
        cooldownS: s.autoCooldownS,
        raids: s.autoRaids,
      });
  }

  disable(channel: string): void {
    const id = this.enabled.get(channel)?.id;
    if (id !== undefined) this.byId.delete(id);
    this.enabled.delete(channel);
    this.detectors.delete(channel);
  }

  isEnabled(channel: string): boolean {
    return this.enabled.has(channel);
  }

  /** Channels with automatic clips on (a detector is made at their first line). */
  get enabledChannels(): number {
    return this.enabled.size;
  }

  /** Detectors held now (channels that were active lately). */
  get activeChannels(): number {
    return this.detectors.size;
  }

  /** Feed one chat message or event; a moment comes back at most once per moment. */
  observe(m: ChatObservation): AutoClipFire | undefined {
    return this.entry(m.channel, m.at)?.detector.observe(m);
  }

  /**
   * A number for a channel with automatic clips on (0 where off): lines waiting in a batch
   * keep it rather than the channel's string (see LineBatch).
   */
  idOf(channel: string): number {
    return this.enabled.get(channel)?.id ?? 0;
  }

  /** A line read earlier (ObservationBatcher): ChannelDetector.observeRead. */
  observeReadById(
    id: number,
    at: number,
    user: number,
    fromBot: boolean,
    support: boolean,
    read: MessageScan | undefined,
  ): AutoClipFire | undefined {
    // Turned off (or off and on again) while the line waited: it is not read.
    const channel = this.byId.get(id);
    if (channel === undefined) return undefined;
    return this.entry(channel, at)?.detector.observeRead(at, user, fromBot, support, read);
  }

  /** Tokens a line gives its detector at most. */
  get tokensPerMessage(): number {
    return this.opts.detector?.tokensPerMessage ?? DETECTOR_DEFAULTS.tokensPerMessage;
  }

  /** tmi.js `raided`: the raid's greetings are not a moment unless the channel says so. */
  raidArrived(channel: string, atMs: number): void {
    this.entry(channel, atMs)?.detector.raidArrived(atMs);
  }

  /** The channel's detector, made at its first line; none where automatic clips are off. */
  private entry(channel: string, atMs: number): Entry | undefined {
    const second = Math.floor(atMs / 1000);
    // A detector exists only where automatic clips are on (disable drops it): one lookup
    // for nearly every line of every channel.
    let entry = this.detectors.get(channel);
    if (!entry) {
      const settings = this.enabled.get(channel)?.settings;
      if (!settings) return undefined;
      entry = {
        detector: new ChannelDetector(channel, settings, this.opts.detector, atMs),
        touchedSecond: second,
      };
      this.detectors.set(channel, entry);
    } else if (entry.touchedSecond !== second) {
      // Re-inserted at most once a second: the map's order stays least recent first.
      entry.touchedSecond = second;
      this.detectors.delete(channel);
      this.detectors.set(channel, entry);
    }
    // Once a second (or when one more detector may pass the cap), not once a line: this
    // path runs for every chat line of every channel.
    if (second !== this.evictedSecond || this.detectors.size > this.maxChannels) {
      this.evictedSecond = second;
      this.evict(second);
    }
    return entry;
  }

  private evict(second: number): void {
    for (const [channel, e] of this.detectors) {
      const idle = second - e.touchedSecond >= this.idleEvictS;
      if (!idle && this.detectors.size <= this.maxChannels) return;
      this.detectors.delete(channel);
    }
  }
}
