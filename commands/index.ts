import { clipCommand } from './clip.js';
import { clipbotCommand } from './clipbot.js';
import { clipconfigCommand } from './clipconfig.js';
import { cliphelpCommand } from './cliphelp.js';
import { clipsCommand, type ClipsCommandOptions } from './clips.js';
import type { CommandDefinition } from './types.js';

export interface AllCommandsOptions {
  clips?: ClipsCommandOptions;
}

/** Every command, fresh instances (some keep a small cache), for the router and registration. */
export function allCommands(opts: AllCommandsOptions = {}): CommandDefinition[] {
  return [
    clipCommand(),
    clipsCommand(opts.clips),
    clipconfigCommand(),
    cliphelpCommand(),
    clipbotCommand(),
  ];
}
