/** Small pieces of text the clip library's answers share. Pure. */

export function views(n: number): string {
  return `${n.toLocaleString('en-US')} view${n === 1 ? '' : 's'}`;
}

/** At most `max` characters (whole code points), with an ellipsis when cut. */
export function short(title: string, max: number): string {
  const chars = Array.from(title.trim() || 'untitled');
  return chars.length <= max
    ? chars.join('')
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

/** "just now", "5 min ago", "3 h ago", "2 days ago". */
export function timeAgo(thenMs: number, nowMs: number): string {
  const s = Math.max(0, Math.round((nowMs - thenMs) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  const d = Math.floor(s / 86_400);
  return `${d} day${d === 1 ? '' : 's'} ago`;
}

/** "2024-05-01 13:04 UTC": one unambiguous form for every reader. */
export function utcText(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** 30 -> "30 s", 75.4 -> "1 min 15 s", 3725 -> "1 h 2 min 5 s". */
export function lengthText(totalS: number): string {
  const s = Math.round(totalS);
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return [h ? `${h} h` : '', m ? `${m} min` : '', rest ? `${rest} s` : '']
    .filter(Boolean)
    .join(' ');
}

/** "2 min", "1 min 30 s", for how long ago a past clip ended. */
export function agoText(agoS: number): string {
  return lengthText(agoS);
}
