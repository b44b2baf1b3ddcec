export { AutoClipManager, AUTOCLIP_MANAGER_DEFAULTS } from './manager.js';
export type { AutoClipManagerOptions } from './manager.js';
export { ChannelDetector } from './detector.js';
export { autoClipWindow, CLIP_WINDOW_DEFAULTS } from './clip-window.js';
export type { AutoClipWindow, ClipWindowOptions } from './clip-window.js';
export {
  AUTOCLIP_THRESHOLDS,
  DETECTOR_DEFAULTS,
  DETECTOR_SETTINGS_DEFAULTS,
} from './thresholds.js';
export type { DetectorOptions, Thresholds } from './thresholds.js';
export * from './types.js';
