import { clipCommand, type ClipCommandOptions } from './clip.js';
import { clipbotCommand, type ClipbotCommandOptions } from './clipbot.js';
import { clipconfigCommand } from './clipconfig.js';
import { cliphelpCommand } from './cliphelp.js';
import { clipsCommand, type ClipsCommandOptions } from './clips/index.js';
import type { CommandDefinition } from '../src/core/command.js';
import { vodCommand, type VodCommandOptions } from './vod/index.js';

export interface AllCommandsOptions {
  /** `!clip`: where the stream's title and game may be known without a call. */
  clip?: ClipCommandOptions;
  clips?: ClipsCommandOptions;
  /** `/vod`: the link's lead-in, and what `/vod delete` needs (pending deletions, token scopes). */
  vod?: VodCommandOptions;
  /** `/clipbot`: the cap on linked Twitch chats (tests use a small one). */
  clipbot?: ClipbotCommandOptions;
}

/**
 * Every command, fresh instances (some keep a small cache), for the router and registration.
 * The definitions never depend on the options (registration passes none); the options only
 * give commands their runtime parts.
 */
export function allCommands(opts: AllCommandsOptions = {}): CommandDefinition[] {
  return [
    clipCommand(opts.clip),
    clipsCommand(opts.clips),
    vodCommand(opts.vod),
    clipconfigCommand(),
    cliphelpCommand(),
    clipbotCommand(opts.clipbot),
  ];
}
