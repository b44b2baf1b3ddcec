import type { ClipRequest, ClipResult } from '../../core/clip.js';
import { TITLE_DROPPED_TEXT, WAIT_TEXT, failureText, tooLateText } from '../../clips/reasons.js';
import { CONTENT_BUDGET, sanitizeOutgoing, truncate } from './text.js';

/** Said once in a message naming anyone who joined a clip someone else started. */
export const JOINED_NOTE = '(joined a clip already being made)';

/** A clip Twitch has not published yet: where it will be. */
export const NOT_PUBLISHED_TEXT =
  'Twitch accepted the clip but has not published it yet; it may still appear here:';

/** A clip's public page, known from its id before Twitch lists the clip. */
export function clipWatchUrl(clipId: string): string {
  return `https://clips.twitch.tv/${encodeURIComponent(clipId)}`;
}

/** What the result says, without the names of who asked. */
export function resultBody(result: ClipResult): string {
  const { outcome } = result;
  const parts: string[] = [];
  switch (outcome.status) {
    case 'created':
      parts.push(`Clip: ${outcome.clip.url} (edit: ${outcome.clip.editUrl})`);
      if (outcome.titleDropped) parts.push(TITLE_DROPPED_TEXT);
      break;
    case 'not_visible':
      // Only the bot's account can open the edit link; the watch link works for everyone
      // the moment Twitch publishes the clip.
      parts.push(
        `${NOT_PUBLISHED_TEXT} ${clipWatchUrl(outcome.clipId)} (edit: ${outcome.editUrl})`,
      );
      if (outcome.titleDropped) parts.push(TITLE_DROPPED_TEXT);
      // The clip may never appear: the VOD moment is the way back to it.
      if (result.vodLink) parts.push(`VOD: ${result.vodLink}`);
      break;
    case 'on_its_way':
      parts.push(WAIT_TEXT[outcome.reason]);
      break;
    case 'failed':
      if (outcome.reason === 'too_late') {
        parts.push(tooLateText(result.vodLink));
        break;
      }
      parts.push(`No clip: ${failureText(outcome)}`);
      if (result.vodLink) parts.push(`VOD: ${result.vodLink}`);
      break;
  }
  return parts.join(' ');
}

/** "@name" for each distinct requester, in the order they asked. */
export function mentions(requests: ClipRequest[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const r of requests) {
    const key = r.requester.userId;
    if (seen.has(key)) continue;
    seen.add(key);
    const name = mention(r.requester.displayName);
    if (name !== '') out.push(name);
  }
  return out;
}

/** "@name" for a display name; '' when nothing of it can be sent. */
export function mention(displayName: string): string {
  // A mention is one word: spaces and controls in a display name would break it.
  const name = sanitizeOutgoing(displayName)
    .replace(/[\s\u200b]+/g, '')
    .replace(/^@+/, '');
  return name === '' ? '' : `@${name}`;
}

/**
 * One message naming everyone: as many names as fit, then "+N others". The body is only cut
 * when not even one name fits beside it.
 */
export function composeMessage(names: string[], body: string, max = CONTENT_BUDGET): string {
  const others = (n: number): string => (n > 0 ? ` +${n} other${n === 1 ? '' : 's'}` : '');
  // Longest prefix of names that fits, found by walking up the running length.
  let kept = 0;
  let length = 0;
  for (let k = 1; k <= names.length; k++) {
    length += (k > 1 ? 1 : 0) + names[k - 1]!.length;
    const total = length + others(names.length - k).length + 1 + body.length;
    if (total <= max) kept = k;
  }
  if (kept === 0 && names.length > 0) {
    const head = `${names[0]}${others(names.length - 1)}`;
    return truncate(`${head} ${body}`, max);
  }
  const head = `${names.slice(0, kept).join(' ')}${others(names.length - kept)}`;
  return head === '' ? truncate(body, max) : `${head} ${body}`;
}
