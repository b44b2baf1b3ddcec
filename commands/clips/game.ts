import { cleanText } from '../../src/core/chat-syntax.js';
import type { ClipsSubcommand } from './subcommand.js';
import {
  FEATURED_OPTIONS,
  TopClips,
  featuredAsked,
  periodAsked,
  periodOption,
  topClipsAnswer,
  type ClipsTopOptions,
} from './top.js';
import { UserError } from '../../src/core/command.js';

export const CLIPS_GAME_DEFAULTS = {
  showTwitch: 3,
  showDiscord: 5,
} as const satisfies Partial<ClipsTopOptions>;

/**
 * `!clips game [period] [featured] <name>`, `/clips game <name> [period] [featured]`: the
 * most viewed clips of a game or category (Get Games by name, then Get Clips by game_id).
 */
export function clipsGame(opts: ClipsTopOptions = {}): ClipsSubcommand {
  const top = new TopClips(opts);
  const showTwitch = opts.showTwitch ?? CLIPS_GAME_DEFAULTS.showTwitch;
  const showDiscord = opts.showDiscord ?? CLIPS_GAME_DEFAULTS.showDiscord;

  return {
    definition: {
      name: 'game',
      description: "A game's most viewed clips",
      options: [
        // Chat: only the period words themselves, so a game's name is never read as one.
        periodOption(/^(?:day|week|month|all)s?$/i),
        ...FEATURED_OPTIONS,
        {
          name: 'name',
          description: 'Game or category, as Twitch names it',
          type: 'string',
          required: true,
          rest: true,
          maxLength: 100,
        },
      ],
    },

    async run(ctx) {
      const asked = cleanText(String(ctx.options.name ?? ''), 100);
      if (asked === '') throw new UserError('Which game? Name it as Twitch does.');
      const [game] = await ctx.services.helix.getGames({ names: [asked] });
      if (!game) {
        throw new UserError(
          `Twitch has no game or category named "${cleanText(asked, 40)}"; use its exact name, as on its Twitch page.`,
        );
      }
      const period = periodAsked(ctx);
      const featured = featuredAsked(ctx);
      const clips = await top.get(ctx.services.helix, { gameId: game.id }, period, featured);
      await ctx.reply(
        topClipsAnswer(ctx, {
          name: game.name,
          period,
          clips,
          featured,
          withChannel: true,
          showTwitch,
          showDiscord,
        }),
      );
    },
  };
}
