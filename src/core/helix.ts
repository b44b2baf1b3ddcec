/**
 * The Twitch words commands use (the Helix API as an interface, its records, its typed
 * error). They are defined by the Twitch layer; commands and core name them through here so
 * that commands import src/core only.
 */
export type { HelixApi } from '../twitch/helix-api.js';
export type { HelixClip, HelixVideo } from '../twitch/types.js';
export { HelixError } from '../twitch/errors.js';
