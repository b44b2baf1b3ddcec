import type { RecentClip } from '../../src/core/clip.js';
import { TWITCH_CHANNEL_OPTION } from '../channel-option.js';
import type { ClipsSubcommand } from './subcommand.js';
import { agoText, short, timeAgo } from '../library-text.js';
import { UserError, type RichReply } from '../../src/core/command.js';

export interface ClipsRecentOptions {
  /** The channel's recent clips (RecentClips, written by the clip pipeline). */
  recent?: { list(broadcasterId: string, limit?: number): Promise<RecentClip[]> };
  showTwitch?: number;
  showDiscord?: number;
  now?: () => number;
}

const MAX_LINE = 500;

/** "Ann, Bob +2": distinct people, in the order they asked. */
export function askedByText(clip: RecentClip, max = 3): string {
  const seen = new Set<string>();
  const names: string[] = [];
  for (const r of clip.requesters) {
    const key = `${r.platform}:${r.userId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    names.push(short(r.displayName, 25));
  }
  if (names.length === 0) return 'someone';
  const more = names.length - max;
  return names.slice(0, max).join(', ') + (more > 0 ? ` +${more}` : '');
}

function what(clip: RecentClip): string {
  const past = clip.agoS !== undefined ? `, ${agoText(clip.agoS)} back` : '';
  const pending = clip.status === 'not_visible' ? ', not published yet' : '';
  const auto = clip.auto ? ', auto' : '';
  return `${short(clip.title ?? 'untitled', 40)}${auto}${past}${pending}`;
}

export const CLIPS_RECENT_DEFAULTS = {
  showTwitch: 3,
  showDiscord: 8,
} as const satisfies Partial<ClipsRecentOptions>;

/** `!clips recent`, `/clips recent [channel]`: the clips the bot made here lately, with who asked. */
export function clipsRecent(opts: ClipsRecentOptions = {}): ClipsSubcommand {
  const showTwitch = opts.showTwitch ?? CLIPS_RECENT_DEFAULTS.showTwitch;
  const showDiscord = opts.showDiscord ?? CLIPS_RECENT_DEFAULTS.showDiscord;
  const now = opts.now ?? Date.now;

  return {
    definition: {
      name: 'recent',
      description: 'Clips the bot made lately, and who asked',
      options: [TWITCH_CHANNEL_OPTION],
    },

    async run(ctx) {
      const channel = ctx.twitchChannel;
      if (!channel) throw new UserError('Which Twitch channel? Name one with the channel option.');
      if (!opts.recent) throw new UserError('Recent clips are not recorded by this bot.');
      const show = ctx.platform === 'twitch' ? showTwitch : showDiscord;
      const clips = await opts.recent.list(channel.id, show);
      if (clips.length === 0) {
        await ctx.reply(`The bot has not made clips of ${channel.displayName} lately.`);
        return;
      }
      const t = now();
      let line = `Recent clips of ${channel.displayName}:`;
      clips.forEach((c, i) => {
        const item = ` ${i + 1}. ${what(c)} (${askedByText(c)}, ${timeAgo(c.at, t)}) ${c.url}`;
        if (line.length + item.length <= MAX_LINE) line += item;
      });
      if (ctx.platform === 'twitch') {
        await ctx.reply(line);
        return;
      }
      const answer: RichReply = {
        text: line,
        embed: {
          title: `Clips the bot made of ${channel.displayName} lately`,
          fields: clips.map((c, i) => ({
            name: `${i + 1}. ${what(c)}`,
            value: `Asked by ${askedByText(c, 5)} · ${timeAgo(c.at, t)} · ${c.url}`,
          })),
        },
      };
      await ctx.reply(answer);
    },
  };
}
