import type { HelixClip } from '../src/twitch/types.js';
import type { ClipsSubcommand } from './clips.js';
import { UserError, type CommandContext, type RichReply } from './types.js';

export type Period = 'day' | 'week' | 'month' | 'all';

const PERIOD_DAYS: Record<Exclude<Period, 'all'>, number> = { day: 1, week: 7, month: 30 };
const PERIOD_TEXT: Record<Period, string> = {
  day: 'in the last 24 hours',
  week: 'in the last 7 days',
  month: 'in the last 30 days',
  all: 'of all time',
};

export interface ClipsTopOptions {
  /** Clips read from Twitch before sorting (Get Clips is only roughly ordered across pages). */
  fetchLimit?: number;
  /** Shown in Twitch chat (one line of at most 500 characters) and in a Discord embed. */
  showTwitch?: number;
  showDiscord?: number;
  /** How long one channel's answer is reused, so a chat full of !clips costs one Helix call. */
  cacheS?: number;
  now?: () => number;
}

const MAX_LINE = 500;

function views(n: number): string {
  return `${n.toLocaleString('en-US')} view${n === 1 ? '' : 's'}`;
}

function short(title: string, max: number): string {
  const chars = Array.from(title.trim() || 'untitled');
  return chars.length <= max
    ? chars.join('')
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

/** As many clips as fit in one chat line, in order. */
export function topClipsLine(
  name: string,
  period: Period,
  clips: HelixClip[],
  max: number,
): string {
  let line = `Top clips of ${name} ${PERIOD_TEXT[period]}:`;
  clips.slice(0, max).forEach((c, i) => {
    const item = ` ${i + 1}. ${short(c.title, 40)} (${views(c.view_count)}) ${c.url}`;
    if (line.length + item.length <= MAX_LINE) line += item;
  });
  return line;
}

/** `!clips [day|week|month|all]`, `/clips top [channel] [period]`: the most viewed clips. */
export function clipsTop(opts: ClipsTopOptions = {}): ClipsSubcommand {
  const fetchLimit = opts.fetchLimit ?? 100;
  const showTwitch = opts.showTwitch ?? 3;
  const showDiscord = opts.showDiscord ?? 5;
  const cacheMs = (opts.cacheS ?? 60) * 1000;
  const now = opts.now ?? Date.now;
  const cache = new Map<string, { at: number; clips: HelixClip[] }>();

  async function top(ctx: CommandContext, broadcasterId: string, period: Period) {
    const key = `${broadcasterId}:${period}`;
    const hit = cache.get(key);
    if (hit && now() - hit.at < cacheMs) return hit.clips;
    const end = now();
    const window =
      period === 'all'
        ? {}
        : {
            startedAt: new Date(end - PERIOD_DAYS[period] * 86_400_000).toISOString(),
            endedAt: new Date(end).toISOString(),
          };
    const clips = await ctx.services.helix.getAllClips(
      { broadcasterId, first: 100, ...window },
      fetchLimit,
    );
    const sorted = [...clips].sort((a, b) => b.view_count - a.view_count);
    for (const [k, v] of cache) if (now() - v.at >= cacheMs) cache.delete(k);
    cache.set(key, { at: end, clips: sorted });
    return sorted;
  }

  return {
    definition: {
      name: 'top',
      description: "A channel's most viewed clips",
      options: [
        {
          name: 'channel',
          description: 'Twitch channel (default: the one linked to this server)',
          type: 'string',
          autocomplete: true,
          maxLength: 100,
          platforms: ['discord'],
        },
        {
          name: 'period',
          description: 'Time window (default: week)',
          type: 'string',
          choices: [
            { name: 'day', value: 'day' },
            { name: 'week', value: 'week' },
            { name: 'month', value: 'month' },
            { name: 'all', value: 'all' },
          ],
        },
      ],
    },

    async run(ctx) {
      const channel = ctx.twitchChannel;
      if (!channel) throw new UserError('Which Twitch channel? Name one with the channel option.');
      const period = (ctx.options.period as Period | undefined) ?? 'week';
      const clips = await top(ctx, channel.id, period);
      if (clips.length === 0) {
        await ctx.reply(`No clips of ${channel.displayName} ${PERIOD_TEXT[period]}.`);
        return;
      }
      if (ctx.platform === 'twitch') {
        await ctx.reply(topClipsLine(channel.displayName, period, clips, showTwitch));
        return;
      }
      const shown = clips.slice(0, showDiscord);
      const answer: RichReply = {
        text: topClipsLine(channel.displayName, period, shown, showDiscord),
        embed: {
          title: `Top clips of ${channel.displayName} ${PERIOD_TEXT[period]}`,
          url: `https://www.twitch.tv/${channel.login}/clips`,
          fields: shown.map((c, i) => ({
            name: `${i + 1}. ${short(c.title, 80)}`,
            value: `${views(c.view_count)} · ${c.url}`,
          })),
          ...(shown[0]?.thumbnail_url ? { thumbnailUrl: shown[0].thumbnail_url } : {}),
        },
      };
      await ctx.reply(answer);
    },
  };
}
