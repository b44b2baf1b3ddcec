/** What a user pasted for a clip: its id, or why it is not one. Pure. */
export type ClipRef =
  { ok: true; id: string } | { ok: false; why: 'video' | 'channel' | 'not_a_clip' };

/**
 * Clip ids ("slugs"): the old CamelCase words, or the newer form with a hyphen and a
 * random suffix ("AwkwardHelplessSalamanderSwiftRage-Ab3_xYz").
 */
const SLUG = /^[A-Za-z0-9][A-Za-z0-9_-]{1,99}$/;
const TWITCH_HOST = /^(?:(?:www|m|clips|player|go)\.)?twitch\.tv$/i;

function slug(candidate: string | undefined | null): string | undefined {
  if (!candidate) return undefined;
  const s = decodeSafe(candidate);
  return SLUG.test(s) ? s : undefined;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Every form of clip link people paste:
 * - clips.twitch.tv/ID, clips.twitch.tv/ID/edit, clips.twitch.tv/embed?clip=ID
 * - (www.|m.)twitch.tv/<channel>/clip/ID, m.twitch.tv/clip/ID, twitch.tv/clip/ID
 * - any of them with or without https://, with query strings or fragments
 * - player.twitch.tv/?clip=ID
 * - a bare id
 */
export function parseClipRef(input: string): ClipRef {
  const text = input.trim().replace(/^<(.*)>$/, '$1');
  if (text === '') return { ok: false, why: 'not_a_clip' };
  if (!/[/.:]/.test(text)) {
    const id = slug(text);
    return id ? { ok: true, id } : { ok: false, why: 'not_a_clip' };
  }
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return { ok: false, why: 'not_a_clip' };
  }
  if (!['http:', 'https:'].includes(url.protocol) || !TWITCH_HOST.test(url.hostname)) {
    return { ok: false, why: 'not_a_clip' };
  }
  const parts = url.pathname.split('/').filter(Boolean);
  const host = url.hostname.toLowerCase().replace(/^www\./, '');
  const fromQuery = slug(url.searchParams.get('clip'));
  if (fromQuery) return { ok: true, id: fromQuery };

  if (host === 'clips.twitch.tv') {
    const id = parts[0] === 'embed' ? undefined : slug(parts[0]);
    return id ? { ok: true, id } : { ok: false, why: 'not_a_clip' };
  }
  // twitch.tv/<channel>/clip/ID, twitch.tv/clip/ID
  const at = parts.findIndex((p) => p.toLowerCase() === 'clip');
  if (at >= 0 && at <= 1) {
    const id = slug(parts[at + 1]);
    return id ? { ok: true, id } : { ok: false, why: 'not_a_clip' };
  }
  if (parts[0]?.toLowerCase() === 'videos') return { ok: false, why: 'video' };
  if (parts.length === 1 || (parts.length === 2 && parts[1]?.toLowerCase() === 'clips')) {
    return { ok: false, why: 'channel' };
  }
  return { ok: false, why: 'not_a_clip' };
}

/** The answer for something that is not a clip. */
export function clipRefProblem(why: 'video' | 'channel' | 'not_a_clip'): string {
  switch (why) {
    case 'video':
      return 'That is a link to a video, not a clip; paste a clip link (clips.twitch.tv/... or twitch.tv/<channel>/clip/...) or a clip id.';
    case 'channel':
      return 'That is a link to a channel, not a clip; paste a clip link (clips.twitch.tv/... or twitch.tv/<channel>/clip/...) or a clip id.';
    case 'not_a_clip':
      return 'That is not a Twitch clip link or clip id; paste one like clips.twitch.tv/<id> or twitch.tv/<channel>/clip/<id>.';
  }
}
