import type { HelixApi, HelixClip } from '../../src/core/helix.js';
import { TWITCH_CHANNEL_OPTION } from '../channel-option.js';
import type { ClipsSubcommand } from './subcommand.js';
import { short, views } from '../library-text.js';
import {
  UserError,
  type CommandContext,
  type CommandOption,
  type RichReply,
} from '../../src/core/command.js';

export type Period = 'day' | 'week' | 'month' | 'all';

const PERIOD_DAYS: Record<Exclude<Period, 'all'>, number> = { day: 1, week: 7, month: 30 };
export const PERIOD_TEXT: Record<Period, string> = {
  day: 'in the last 24 hours',
  week: 'in the last 7 days',
  month: 'in the last 30 days',
  all: 'of all time',
};

/**
 * The period option. `chatPattern` decides which chat words it may take: a word it refuses
 * is left for the next option (so `!clips featured` and `!clips game Minecraft` work).
 */
export function periodOption(chatPattern?: RegExp): CommandOption {
  return {
    name: 'period',
    description: 'Time window (default: week)',
    type: 'string',
    choices: [
      { name: 'day', value: 'day' },
      { name: 'week', value: 'week' },
      { name: 'month', value: 'month' },
      { name: 'all', value: 'all' },
    ],
    ...(chatPattern ? { chatPattern } : {}),
  };
}

/**
 * "Featured clips only": a true/false option on Discord, the word `featured` in chat
 * (`!clips week featured`). Two definitions with one name, one per platform, because the
 * chat parser reads booleans as on/off words only.
 */
export const FEATURED_OPTIONS: CommandOption[] = [
  {
    name: 'featured',
    description: "Only the channel's featured clips",
    type: 'boolean',
    platforms: ['discord'],
  },
  {
    name: 'featured',
    description: "Only the channel's featured clips",
    type: 'string',
    choices: [{ name: 'featured', value: 'featured' }],
    chatPattern: /^featured$/i,
    platforms: ['twitch'],
  },
];

export function featuredAsked(ctx: CommandContext): boolean {
  return ctx.options.featured === true || ctx.options.featured === 'featured';
}

export function periodAsked(ctx: CommandContext): Period {
  return (ctx.options.period as Period | undefined) ?? 'week';
}

export interface ClipsTopOptions {
  /**
   * Clips read from Twitch before sorting. Get Clips is only roughly ordered by views when
   * a date window is given, so the true top needs every clip of the window (up to this).
   * Period `all` has no window: one page (at most 100) is the top already.
   */
  fetchLimit?: number;
  /** Shown in Twitch chat (one line of at most 500 characters) and in a Discord embed. */
  showTwitch?: number;
  showDiscord?: number;
  /** How long one answer is reused, so a chat full of !clips costs one Helix call. */
  cacheS?: number;
  now?: () => number;
}

export type ClipScope = { broadcasterId: string } | { gameId: string };

export const CLIPS_TOP_DEFAULTS = {
  fetchLimit: 1_000,
  cacheS: 60,
  showTwitch: 3,
  showDiscord: 5,
} as const satisfies Partial<ClipsTopOptions>;

/**
 * The most viewed clips of a channel or a game: a window's read in full and sorted by us,
 * all time's from Twitch's own first page.
 */
export class TopClips {
  private readonly cache = new Map<string, { at: number; clips: HelixClip[] }>();
  private readonly fetchLimit: number;
  private readonly cacheMs: number;
  readonly now: () => number;

  constructor(opts: ClipsTopOptions = {}) {
    this.fetchLimit = opts.fetchLimit ?? CLIPS_TOP_DEFAULTS.fetchLimit;
    this.cacheMs = (opts.cacheS ?? CLIPS_TOP_DEFAULTS.cacheS) * 1000;
    this.now = opts.now ?? Date.now;
  }

  async get(
    helix: HelixApi,
    scope: ClipScope,
    period: Period,
    featured: boolean,
  ): Promise<HelixClip[]> {
    const who = 'gameId' in scope ? `g${scope.gameId}` : `b${scope.broadcasterId}`;
    const key = `${who}:${period}:${featured ? 'f' : ''}`;
    const now = this.now();
    const hit = this.cache.get(key);
    if (hit && now - hit.at < this.cacheMs) return hit.clips;
    const query = { ...scope, ...(featured ? { isFeatured: true } : {}) };
    // Without a date window Twitch answers most viewed first, so its first page is the top;
    // only a window needs every page (there the order is not to be trusted).
    const clips =
      period === 'all'
        ? (await helix.getClips({ ...query, first: Math.max(1, Math.min(100, this.fetchLimit)) }))
            .data
        : await helix.getAllClips(
            {
              ...query,
              first: 100,
              startedAt: new Date(now - PERIOD_DAYS[period] * 86_400_000).toISOString(),
              endedAt: new Date(now).toISOString(),
            },
            this.fetchLimit,
          );
    const sorted = [...clips].sort(
      (a, b) => b.view_count - a.view_count || b.created_at.localeCompare(a.created_at),
    );
    for (const [k, v] of this.cache) if (now - v.at >= this.cacheMs) this.cache.delete(k);
    this.cache.set(key, { at: now, clips: sorted });
    return sorted;
  }
}

const MAX_LINE = 500;

export interface TopLineOptions {
  featured?: boolean;
  /** Name each clip's channel (a game's clips come from many). */
  withChannel?: boolean;
}

function heading(name: string, period: Period, opts: TopLineOptions): string {
  return `Top ${opts.featured ? 'featured ' : ''}clips of ${name} ${PERIOD_TEXT[period]}`;
}

/** As many clips as fit in one chat line, in order. */
export function topClipsLine(
  name: string,
  period: Period,
  clips: HelixClip[],
  max: number,
  opts: TopLineOptions = {},
): string {
  let line = `${heading(name, period, opts)}:`;
  clips.slice(0, max).forEach((c, i) => {
    const by = opts.withChannel && c.broadcaster_name ? ` [${short(c.broadcaster_name, 25)}]` : '';
    const item = ` ${i + 1}. ${short(c.title, 40)}${by} (${views(c.view_count)}) ${c.url}`;
    if (line.length + item.length <= MAX_LINE) line += item;
  });
  return line;
}

/** The answer for a ranked list: one chat line on Twitch, an embed on Discord. */
export function topClipsAnswer(
  ctx: CommandContext,
  a: {
    name: string;
    url?: string;
    period: Period;
    clips: HelixClip[];
    showTwitch: number;
    showDiscord: number;
  } & TopLineOptions,
): string | RichReply {
  const opts = { featured: a.featured, withChannel: a.withChannel };
  if (a.clips.length === 0) {
    return `No ${a.featured ? 'featured ' : ''}clips of ${a.name} ${PERIOD_TEXT[a.period]}.`;
  }
  if (ctx.platform === 'twitch') return topClipsLine(a.name, a.period, a.clips, a.showTwitch, opts);
  const shown = a.clips.slice(0, a.showDiscord);
  return {
    text: topClipsLine(a.name, a.period, shown, a.showDiscord, opts),
    embed: {
      title: heading(a.name, a.period, opts),
      ...(a.url ? { url: a.url } : {}),
      fields: shown.map((c, i) => ({
        name: `${i + 1}. ${short(c.title, 80)}`,
        value: `${a.withChannel ? `${c.broadcaster_name} · ` : ''}${views(c.view_count)} · ${c.url}`,
      })),
      ...(shown[0]?.thumbnail_url ? { thumbnailUrl: shown[0].thumbnail_url } : {}),
    },
  };
}

/**
 * `!clips [day|week|month|all] [featured]`, `/clips top [channel] [period] [featured]`:
 * the channel's most viewed clips in the window.
 */
export function clipsTop(opts: ClipsTopOptions = {}): ClipsSubcommand {
  const top = new TopClips(opts);
  const showTwitch = opts.showTwitch ?? CLIPS_TOP_DEFAULTS.showTwitch;
  const showDiscord = opts.showDiscord ?? CLIPS_TOP_DEFAULTS.showDiscord;

  return {
    definition: {
      name: 'top',
      description: "A channel's most viewed clips",
      options: [
        TWITCH_CHANNEL_OPTION,
        // Any word but "featured" is read as a period, so a typo gets the period's answer.
        periodOption(/^(?!featured$)/i),
        ...FEATURED_OPTIONS,
      ],
    },

    async run(ctx) {
      const channel = ctx.twitchChannel;
      if (!channel) throw new UserError('Which Twitch channel? Name one with the channel option.');
      const period = periodAsked(ctx);
      const featured = featuredAsked(ctx);
      const clips = await top.get(
        ctx.services.helix,
        { broadcasterId: channel.id },
        period,
        featured,
      );
      await ctx.reply(
        topClipsAnswer(ctx, {
          name: channel.displayName,
          url: `https://www.twitch.tv/${channel.login}/clips`,
          period,
          clips,
          featured,
          showTwitch,
          showDiscord,
        }),
      );
    },
  };
}
