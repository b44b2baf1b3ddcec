import type { MessageScan, TokenNames } from './scan.js';

const FROM_BOT = 1;
const SUPPORT = 2;
const READ = 4;
const COMMAND = 8;
const CLIP = 16;

/**
 * Chat lines already read, kept as numbers until their channel's detector takes them: who
 * (hash of the user id), when, and the hashes of the line's tokens. Holding a line holds no
 * string of it: kept strings of a thousand channels' chat would outlive the young
 * generation's collections and be copied by them, which costs about what reading the lines
 * together saves. A token's name is kept once per batch, for the detector that meets it
 * first.
 */
export class LineBatch implements TokenNames {
  private n = 0;
  private channels = new Int32Array(INITIAL);
  private at = new Float64Array(INITIAL);
  private users = new Int32Array(INITIAL);
  private flags = new Uint8Array(INITIAL);
  private emoteCounts = new Uint8Array(INITIAL);
  private wordCounts = new Uint8Array(INITIAL);
  private hashes: Int32Array;
  private readonly emoteNames = new Map<number, string>();
  private readonly wordNames = new Map<number, string>();

  /** `stride`: tokens a line holds at most (the detectors' tokensPerMessage). */
  constructor(private readonly stride: number) {
    this.hashes = new Int32Array(INITIAL * stride);
  }

  get size(): number {
    return this.n;
  }

  /** `channel`: AutoClipManager.idOf the line's channel. */
  add(
    channel: number,
    at: number,
    user: number,
    fromBot: boolean,
    support: boolean,
    read: MessageScan | undefined,
  ): void {
    if (this.n === this.at.length) this.grow();
    const i = this.n++;
    this.channels[i] = channel;
    this.at[i] = at;
    this.users[i] = user;
    let flags = (fromBot ? FROM_BOT : 0) | (support ? SUPPORT : 0);
    if (read) {
      flags |= READ | (read.command ? COMMAND : 0) | (read.clipMention ? CLIP : 0);
      const emotes = Math.min(read.emoteCount, this.stride);
      const words = Math.min(read.wordCount, this.stride - emotes);
      const base = i * this.stride;
      for (let k = 0; k < emotes; k++) {
        const hash = read.emoteHashes[k] ?? 0;
        this.hashes[base + k] = hash;
        if (!this.emoteNames.has(hash)) this.emoteNames.set(hash, read.emoteName(k));
      }
      for (let k = 0; k < words; k++) {
        const hash = read.wordHashes[k] ?? 0;
        this.hashes[base + emotes + k] = hash;
        if (!this.wordNames.has(hash)) this.wordNames.set(hash, read.wordName(k));
      }
      this.emoteCounts[i] = emotes;
      this.wordCounts[i] = words;
    }
    this.flags[i] = flags;
  }

  channel(i: number): number {
    return this.channels[i] ?? 0;
  }

  sentAt(i: number): number {
    return this.at[i] ?? 0;
  }

  user(i: number): number {
    return this.users[i] ?? 0;
  }

  fromBot(i: number): boolean {
    return ((this.flags[i] ?? 0) & FROM_BOT) !== 0;
  }

  support(i: number): boolean {
    return ((this.flags[i] ?? 0) & SUPPORT) !== 0;
  }

  /** Line `i`'s reading put back into `into` (names from this batch); none if it had no text. */
  replay(i: number, into: MessageScan): MessageScan | undefined {
    const flags = this.flags[i] ?? 0;
    if ((flags & READ) === 0) return undefined;
    into.reset('');
    into.names = this;
    into.command = (flags & COMMAND) !== 0;
    into.clipMention = (flags & CLIP) !== 0;
    const emotes = this.emoteCounts[i] ?? 0;
    const words = this.wordCounts[i] ?? 0;
    const base = i * this.stride;
    for (let k = 0; k < emotes; k++) into.emoteHashes[k] = this.hashes[base + k] ?? 0;
    for (let k = 0; k < words; k++) into.wordHashes[k] = this.hashes[base + emotes + k] ?? 0;
    into.emoteCount = emotes;
    into.wordCount = words;
    return into;
  }

  emote(hash: number): string {
    return this.emoteNames.get(hash) ?? '';
  }

  word(hash: number): string {
    return this.wordNames.get(hash) ?? '';
  }

  clear(): void {
    this.n = 0;
    this.emoteNames.clear();
    this.wordNames.clear();
  }

  private grow(): void {
    const size = this.at.length * 2;
    this.channels = copyInto(new Int32Array(size), this.channels);
    this.at = copyInto(new Float64Array(size), this.at);
    this.users = copyInto(new Int32Array(size), this.users);
    this.flags = copyInto(new Uint8Array(size), this.flags);
    this.emoteCounts = copyInto(new Uint8Array(size), this.emoteCounts);
    this.wordCounts = copyInto(new Uint8Array(size), this.wordCounts);
    this.hashes = copyInto(new Int32Array(size * this.stride), this.hashes);
  }
}

const INITIAL = 1024;

function copyInto<T extends Float64Array | Int32Array | Uint8Array>(to: T, from: T): T {
  to.set(from as never);
  return to;
}
