import { UserError } from '../src/core/command.js';

/** Twitch's longest clip title. */
export const MAX_CLIP_TITLE = 100;

export interface TitleParts {
  /** What the viewer typed (already cleaned); empty for none. */
  title: string;
  user: string;
  channel: string;
  /** The stream's title and game, when the template needs them and they are known. */
  streamTitle?: string;
  game?: string;
}

/** Whether filling this template needs the live stream's title or game. */
export function templateNeedsStream(template: string, viewerTitle: string): boolean {
  if (template.includes('{game}')) return true;
  return template.includes('{title}') && viewerTitle === '' && template.trim() !== '{title}';
}

/**
 * The final clip title, or undefined for Twitch's default title (the plain '{title}'
 * template with no title from the viewer). Throws UserError when the viewer's own title
 * makes it longer than Twitch allows; text from the template or the stream is cut instead.
 */
export function applyTitleTemplate(template: string, parts: TitleParts): string | undefined {
  const viewer = parts.title.trim();
  if (template.trim() === '{title}' && viewer === '') return undefined;
  const values: Record<string, string> = {
    title: viewer || (parts.streamTitle ?? ''),
    user: parts.user,
    channel: parts.channel,
    game: parts.game ?? '',
  };
  const filled = template
    .replace(/\{(title|user|channel|game)\}/g, (_, name: string) => values[name] ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  if (filled === '') return undefined;
  const chars = Array.from(filled);
  if (chars.length <= MAX_CLIP_TITLE) return filled;
  if (viewer !== '') {
    const room = MAX_CLIP_TITLE - (chars.length - Array.from(viewer).length);
    throw new UserError(
      room > 0
        ? `That title is too long; at most ${room} characters here.`
        : 'Titles cannot be set here: the title template is already full.',
    );
  }
  return (
    chars
      .slice(0, MAX_CLIP_TITLE - 1)
      .join('')
      .trimEnd() + '…'
  );
}
