/** Reading the bot's chat answers (pure; unit-tested). */

const CLIP_URL = /https:\/\/clips\.twitch\.tv\/([A-Za-z0-9_-]+)/;
const HEAD = /^((?:@\S+\s+)*)(?:\+(\d+) others?\s+)?/;

/** The clip an answer links to, if any. */
export function clipIdOf(text: string): string | undefined {
  return CLIP_URL.exec(text)?.[1];
}

/** The requesters an answer speaks to: its @names, then "+N others". */
export function requestersOf(text: string): { names: string[]; others: number } {
  const m = HEAD.exec(text);
  const names = (m?.[1]?.match(/@\S+/g) ?? []).map((n) => n.slice(1).toLowerCase());
  return { names, others: Number(m?.[2] ?? 0) };
}

/** Whether the answer links a clip that is there (not a failure, not "not published yet"). */
export function isClipAnswer(text: string): boolean {
  return /Clip: https:\/\/clips\.twitch\.tv\//.test(text);
}
