/**
 * A first-in-first-out queue of (holder, user, second) triples with O(1) amortised push and
 * shift: parallel arrays read from a moving head (no object per entry), compacted when the
 * dead part outgrows the live part.
 */
export class SeenFifo<H> {
  private holders: (H | undefined)[] = [];
  private users: string[] = [];
  private seconds: number[] = [];
  private head = 0;

  get size(): number {
    return this.seconds.length - this.head;
  }

  push(holder: H | undefined, user: string, second: number): void {
    this.holders.push(holder);
    this.users.push(user);
    this.seconds.push(second);
  }

  /** The oldest entry's second, or Infinity when empty. */
  firstSecond(): number {
    return this.head < this.seconds.length ? (this.seconds[this.head] ?? Infinity) : Infinity;
  }

  firstHolder(): H | undefined {
    return this.holders[this.head];
  }

  firstUser(): string {
    return this.users[this.head] ?? '';
  }

  shift(): void {
    if (this.head >= this.seconds.length) return;
    this.holders[this.head] = undefined;
    this.head += 1;
    if (this.head === this.seconds.length) {
      this.holders.length = 0;
      this.users.length = 0;
      this.seconds.length = 0;
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.seconds.length) {
      this.holders = this.holders.slice(this.head);
      this.users = this.users.slice(this.head);
      this.seconds = this.seconds.slice(this.head);
      this.head = 0;
    }
  }
}
