/**
 * A 30-bit FNV-1a hash of a string's UTF-16 code units: a small integer V8 keeps inline in a
 * Map's table. Keyed by it, a detector's maps neither hash a fresh string nor compare it with
 * a key held elsewhere in memory (with a thousand channels, each such compare is a cache miss),
 * and a line's words are never sliced or lowercased unless they are new. Two different users
 * or tokens of one channel share a hash with odds of about one in a billion a pair: two
 * users then count as one chatter, two tokens' viewers are counted together (in a channel
 * with a thousand distinct words in a window, about one such pair in two thousand windows,
 * each word still needing its own crowd to matter).
 */
export function hashString(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h & HASH_MASK;
}

/** hashString of s[from, to) lowercased, where that part is all ASCII. */
export function hashAsciiLower(s: string, from: number, to: number): number {
  let h = FNV_OFFSET;
  for (let i = from; i < to; i++) {
    h = Math.imul(h ^ asciiLower(s.charCodeAt(i)), FNV_PRIME);
  }
  return h & HASH_MASK;
}

/** A code unit lowercased if it is an ASCII capital ('A'-'Z'), else as it is. */
export function asciiLower(c: number): number {
  return c >= 65 && c <= 90 ? c | 32 : c;
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
/** Small integers (Smis) are 31-bit signed in V8 with pointer compression: stay positive. */
const HASH_MASK = 0x3fffffff;
