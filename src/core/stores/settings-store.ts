import type { ChannelSettings } from '../channel-settings.js';

export interface SettingsStore {
  /** The channel's settings, defaults filled in. */
  get(broadcasterId: string): Promise<ChannelSettings>;
  /** Validates and stores a change; returns the settings now in force. Throws UserError. */
  update(broadcasterId: string, patch: Partial<ChannelSettings>): Promise<ChannelSettings>;
}
