/** A word of a cheer: a prefix and an amount ("Cheer100", "ShowLove5000"). */
const CHEER_WORD = /^[A-Za-z][A-Za-z0-9]*?([1-9]\d{0,6})$/;
/** Beyond this many candidate words, no search for the exact set: first come, first taken. */
const MAX_SEARCH = 12;

/**
 * A bits message's text without its cheermotes. Twitch sends a cheer as words of a prefix
 * and an amount, anywhere in the text, and the message's `bits` tag is their sum:
 * gempir/go-twitch-irc message_test.go has bits=5000 with "showlove5000 Chew your food
 * slower...", Chatterino's tests/snapshots/IrcMessageHandler/cheer1.json has bits=5 with
 * "Cheer1 a Cheer1 Cheer1 Cheer1 Cheer1 b c". The words taken out are those whose amounts
 * add up to `bits` ("!clip mp5 Cheer100" with 100 bits keeps "mp5"), so "Cheer100 !clip what
 * a play" is `!clip what a play`, and a cheermote never ends up in a clip's title.
 */
export function withoutCheermotes(text: string, bits: number): string {
  if (!Number.isFinite(bits) || bits <= 0) return text;
  const words = text.split(' ');
  const candidates: { index: number; amount: number }[] = [];
  words.forEach((word, index) => {
    const amount = CHEER_WORD.exec(word)?.[1];
    if (amount !== undefined) candidates.push({ index, amount: Number(amount) });
  });
  const cheers = new Set(cheerSet(candidates, bits).map((c) => c.index));
  return words
    .filter((_w, i) => !cheers.has(i))
    .join(' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** The candidates that make up the cheer: the largest set summing to exactly `bits`. */
function cheerSet<T extends { amount: number }>(candidates: T[], bits: number): T[] {
  if (candidates.length <= MAX_SEARCH) {
    let best: T[] | undefined;
    for (let mask = 1; mask < 1 << candidates.length; mask++) {
      const set = candidates.filter((_c, i) => mask & (1 << i));
      if (set.reduce((sum, c) => sum + c.amount, 0) !== bits) continue;
      if (!best || set.length > best.length) best = set;
    }
    if (best) return best;
  }
  let left = bits;
  return candidates.filter((c) => {
    if (c.amount > left) return false;
    left -= c.amount;
    return true;
  });
}
