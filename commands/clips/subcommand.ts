import type { CommandContext, SubcommandDefinition } from '../../src/core/command.js';

/** One part of the clip library (top, recent, game, info, ...): its definition and handler. */
export interface ClipsSubcommand {
  definition: SubcommandDefinition;
  run(ctx: CommandContext): Promise<void>;
}
