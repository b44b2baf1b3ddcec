import { cleanText } from '../../src/core/chat-syntax.js';
import { clipVodUrl, formatVodTime } from '../../src/core/vod-time.js';
import type { HelixClip } from '../../src/core/helix.js';
import { clipRefProblem, parseClipRef } from './clip-ref.js';
import type { ClipsSubcommand } from './subcommand.js';
import { lengthText, short, utcText, views } from '../library-text.js';
import { UserError, type RichReply } from '../../src/core/command.js';

/** What one clip is, in one chat line. */
export function clipInfoLine(clip: HelixClip): string {
  const vod = clipVodUrl(clip);
  const at = clip.vod_offset === null ? '' : ` at ${formatVodTime(clip.vod_offset)}`;
  const created = Date.parse(clip.created_at);
  return [
    `"${short(clip.title, 80)}"`,
    `channel ${clip.broadcaster_name}`,
    `clipped by ${clip.creator_name || 'unknown'}`,
    views(clip.view_count),
    lengthText(clip.duration),
    Number.isNaN(created) ? undefined : `created ${utcText(created)}`,
    clip.is_featured ? 'featured' : undefined,
    vod ? `VOD${at}: ${vod}` : 'VOD: none',
    clip.url,
  ]
    .filter(Boolean)
    .join(' · ');
}

function infoAnswer(clip: HelixClip): RichReply {
  const vod = clipVodUrl(clip);
  const created = Date.parse(clip.created_at);
  const fields: { name: string; value: string; inline?: boolean }[] = [
    { name: 'Channel', value: clip.broadcaster_name || clip.broadcaster_id, inline: true },
    { name: 'Clipped by', value: clip.creator_name || 'unknown', inline: true },
    { name: 'Views', value: clip.view_count.toLocaleString('en-US'), inline: true },
    { name: 'Duration', value: lengthText(clip.duration), inline: true },
  ];
  if (!Number.isNaN(created))
    fields.push({ name: 'Created', value: utcText(created), inline: true });
  if (clip.is_featured) fields.push({ name: 'Featured', value: 'yes', inline: true });
  fields.push({
    name: 'VOD',
    value: vod
      ? `${vod}${clip.vod_offset === null ? '' : ` (at ${formatVodTime(clip.vod_offset)})`}`
      : 'not available (the VOD was deleted or never stored)',
  });
  return {
    text: clipInfoLine(clip),
    embed: {
      title: short(clip.title, 256),
      url: clip.url,
      fields,
      ...(clip.thumbnail_url ? { thumbnailUrl: clip.thumbnail_url } : {}),
    },
  };
}

/** `!clipinfo <id or URL>`, `!clips info ...`, `/clips info <clip>`: one clip's details. */
export function clipsInfo(): ClipsSubcommand {
  return {
    definition: {
      name: 'info',
      description: "A clip's details, from its link or id",
      chatAliases: ['clipinfo'],
      options: [
        {
          name: 'clip',
          description: 'Clip link or id',
          type: 'string',
          required: true,
          maxLength: 300,
        },
      ],
    },

    async run(ctx) {
      const ref = parseClipRef(String(ctx.options.clip ?? ''));
      if (!ref.ok) throw new UserError(clipRefProblem(ref.why));
      const [clip] = await ctx.services.helix.getClipsByIds([ref.id]);
      if (!clip) {
        throw new UserError(
          `Twitch has no clip "${cleanText(ref.id, 60)}" (it may have been deleted, or is still being made).`,
        );
      }
      await ctx.reply(ctx.platform === 'twitch' ? clipInfoLine(clip) : infoAnswer(clip));
    },
  };
}
