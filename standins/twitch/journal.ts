import type { JournalEntry } from './types.js';

/**
 * Every request the stand-in answered. Counts are kept apart from the entries so that
 * count() stays exact when a long benchmark makes the journal drop its oldest entries.
 */
export class Journal {
  readonly entries: JournalEntry[] = [];
  private readonly counts = new Map<string, number>();

  constructor(private readonly limit = 10_000) {}

  record(entry: JournalEntry): void {
    this.entries.push(entry);
    const key = countKey(entry.method, entry.path);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    // Trim in chunks: splicing the array head on every request would be quadratic.
    if (this.entries.length > this.limit * 1.1)
      this.entries.splice(0, this.entries.length - this.limit);
  }

  clear(): void {
    this.entries.length = 0;
    this.counts.clear();
  }

  count(method: string, path: string): number {
    return this.counts.get(countKey(method, path)) ?? 0;
  }
}

/** count('GET', '/clips') means /helix/clips, as fault rules read it. */
function countKey(method: string, path: string): string {
  const p = path.replace(/\/+$/, '');
  const full = /^\/(helix|oauth2)(\/|$)/.test(p) ? p : `/helix${p.startsWith('/') ? '' : '/'}${p}`;
  return `${method.toUpperCase()} ${full}`;
}
