/**
 * A first-in-first-out queue of (holder, user, second) triples with O(1) amortised push and
 * shift: one array of consecutive triples read from a moving head (no object per entry, and
 * one cache line touched per push rather than one per field: with a thousand channels each
 * line's push is a miss), compacted when the dead part outgrows the live part.
 */
export class SeenFifo<H> {
  private items: (H | number | undefined)[] = [];
  private head = 0;

  get size(): number {
    return (this.items.length - this.head) / 3;
  }

  push(holder: H | undefined, user: number, second: number): void {
    this.items.push(holder, user, second);
  }

  /** The oldest entry's second, or Infinity when empty. */
  firstSecond(): number {
    return this.head < this.items.length ? (this.items[this.head + 2] as number) : Infinity;
  }

  firstHolder(): H | undefined {
    return this.items[this.head] as H | undefined;
  }

  firstUser(): number {
    return (this.items[this.head + 1] as number | undefined) ?? 0;
  }

  shift(): void {
    if (this.head >= this.items.length) return;
    this.items[this.head] = undefined;
    this.items[this.head + 1] = undefined;
    this.head += 3;
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    } else if (this.head >= 3072 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
