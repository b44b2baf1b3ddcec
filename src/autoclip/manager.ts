import { ChannelDetector } from './detector.js';
import { DETECTOR_SETTINGS_DEFAULTS, type DetectorOptions } from './thresholds.js';
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
  private readonly enabled = new Map<string, DetectorSettings>();
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
    this.enabled.set(channel, full);
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
      const settings = this.enabled.get(channel);
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
