/**
 * Automatic clips: what the rest of the bot uses.
 *
 * Wiring, per bot process (built in src/app/build-autoclip.ts, fed by
 * src/chat/twitch/autoclip-feed.ts):
 * - one `AutoClipManager`; `applySettings(broadcasterId, settings)` when a channel is joined
 *   and whenever `!clipconfig auto ...` changes its settings (they live in Redis).
 * - The Twitch adapter feeds every line: tmi.js `message` (chat, action and cheer) ->
 *   `observe({ channel: tags['room-id'], userId: tags['user-id'], text, emotes, bits,
 *   fromBot, at: Number(tags['tmi-sent-ts']) })`, where `emotes` are the names the `emotes`
 *   tag points at (positions count code points: slice `Array.from(text)`), `bits` is
 *   `tags.bits`, and `fromBot` is the bot's own line (`self`) or a known bot's; in Shared
 *   Chat only the copy in its origin room. `subscription`, `resub`, `subgift` and
 *   `submysterygift` (the gifter, once) -> `observe({ ..., text: message ?? '', support })`;
 *   `raided` -> `raidArrived(roomId, Date.now())`.
 * - Lines of channels with automatic clips on go through one `ObservationBatcher`: read
 *   at once into hashes, taken by their detectors every 200 ms grouped by channel (flushed
 *   first on a raid and on a settings change). `manager.observe` is the same, line by line.
 * - A fire is a candidate (AutoClipper): drop it unless the live table says live, else
 *   make the clip `autoClipWindow(fire)` describes, joining (or joined by) a pending `!clip`.
 * - AutoClipSettingsSync keeps the settings as Redis has them (join, change, every 30 s).
 */
export { AutoClipManager, AUTOCLIP_MANAGER_DEFAULTS } from './manager.js';
export { AutoClipper } from './auto-clipper.js';
export type { AutoClipperOptions, AutoClipSkip, AutoClipTitleParts } from './auto-clipper.js';
export { AutoClipSettingsSync, AUTOCLIP_SYNC_DEFAULTS } from './settings-sync.js';
export type { AutoClipManagerOptions } from './manager.js';
export { ChannelDetector } from './detector.js';
export { ObservationBatcher, OBSERVATION_BATCH_DEFAULTS } from './batcher.js';
export type { ObservationBatcherOptions } from './batcher.js';
export { autoClipWindow, CLIP_WINDOW_DEFAULTS } from './clip-window.js';
export type { AutoClipWindow, ClipWindowOptions } from './clip-window.js';
export {
  AUTOCLIP_THRESHOLDS,
  DETECTOR_DEFAULTS,
  DETECTOR_SETTINGS_DEFAULTS,
} from './thresholds.js';
export type { DetectorOptions, Thresholds } from './thresholds.js';
export * from './types.js';
