import type { Logger } from 'pino';
import type { ChannelSettings } from '../core/channel-settings.js';
import { errMessage } from '../core/err-message.js';
import type { SettingsStore } from '../core/stores.js';
import type { AutoClipManager } from './manager.js';

export interface AutoClipSettingsSyncOptions {
  manager: Pick<AutoClipManager, 'applySettings' | 'disable'>;
  settings: Pick<SettingsStore, 'get'>;
  log: Logger;
  /**
   * How often the settings of every joined channel are read again: a `!clipconfig auto`
   * change made through another bot process reaches this one within this time (one made
   * through this process applies at once, see `changed`).
   */
  refreshMs?: number;
}

export const AUTOCLIP_SYNC_DEFAULTS = {
  refreshMs: 30_000,
} as const satisfies Partial<AutoClipSettingsSyncOptions>;

/**
 * Keeps the manager's per-channel settings as Redis has them: read when a channel is joined,
 * applied at once after a change made in this process, and read again periodically for
 * changes made elsewhere (a handful of HGETALLs per minute per channel count, simpler than
 * a pub/sub channel of its own, and it also heals a missed update).
 */
export class AutoClipSettingsSync {
  private readonly channels = new Set<string>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly opts: AutoClipSettingsSyncOptions) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(
      () => void this.refresh(),
      this.opts.refreshMs ?? AUTOCLIP_SYNC_DEFAULTS.refreshMs,
    );
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The bot joined a channel (broadcaster id): its settings are read now. */
  joined(broadcasterId: string): void {
    this.channels.add(broadcasterId);
    void this.load(broadcasterId);
  }

  /** The bot left it: no detector any more. */
  left(broadcasterId: string): void {
    this.channels.delete(broadcasterId);
    this.opts.manager.disable(broadcasterId);
  }

  /** A change stored through this process (`!clipconfig auto ...`, Discord's settings). */
  changed(broadcasterId: string, settings: ChannelSettings): void {
    this.opts.manager.applySettings(broadcasterId, settings);
  }

  /** Reads every joined channel's settings again; resolves when done (tests await it). */
  async refresh(): Promise<void> {
    await Promise.all([...this.channels].map((id) => this.load(id)));
  }

  private async load(broadcasterId: string): Promise<void> {
    try {
      const settings = await this.opts.settings.get(broadcasterId);
      if (this.channels.has(broadcasterId))
        this.opts.manager.applySettings(broadcasterId, settings);
    } catch (err) {
      // Redis down: the detector keeps its last settings; the next round tries again.
      this.opts.log.debug(
        { broadcasterId, err: errMessage(err) },
        'automatic clips: settings not read',
      );
    }
  }
}
