import { clipsGame } from './game.js';
import { clipsInfo } from './info.js';
import { clipsRecent, type ClipsRecentOptions } from './recent.js';
import { clipsTop, type ClipsTopOptions } from './top.js';
import { linkedChannelChoices } from '../linked-channel-choices.js';
import { UserError, type CommandDefinition } from '../../src/core/command.js';
import type { ClipsSubcommand } from './subcommand.js';

export type { ClipsSubcommand } from './subcommand.js';

export interface ClipsCommandOptions {
  top?: ClipsTopOptions;
  /** `/clips game`: the same knobs as top. */
  game?: ClipsTopOptions;
  /** `/clips recent`: where the pipeline records the clips it made. */
  recent?: ClipsRecentOptions;
  /** More library parts; each becomes a `/clips <name>` subcommand. */
  extra?: ClipsSubcommand[];
}

/**
 * `!clips [period] [featured]`, `/clips top|recent|game|info ...`: the clip library.
 * `!clipinfo <clip>` is chat's short form of `/clips info`. (Discord cannot give `/clip`
 * both its options and an `info` subcommand, so clip info lives under `/clips`.)
 */
export function clipsCommand(opts: ClipsCommandOptions = {}): CommandDefinition {
  const parts = [
    clipsTop(opts.top),
    clipsRecent(opts.recent),
    clipsGame(opts.game ?? opts.top),
    clipsInfo(),
    ...(opts.extra ?? []),
  ];
  const byName = new Map(parts.map((p) => [p.definition.name, p]));
  return {
    name: 'clips',
    description: 'Browse clips',
    usage: 'clips [day|week|month|all]',
    permission: 'everyone',
    cooldown: 10,
    informational: true,
    chatDefaultSubcommand: 'top',
    subcommands: parts.map((p) => p.definition),

    async execute(ctx) {
      const part = ctx.subcommand ? byName.get(ctx.subcommand) : undefined;
      if (!part) throw new UserError(`Use /clips ${[...byName.keys()].join(', /clips ')}.`);
      await part.run(ctx);
    },

    async autocomplete(ctx, focused) {
      return focused.name === 'channel' ? linkedChannelChoices(ctx, focused) : [];
    },
  };
}
