import { randomBytes, randomInt } from 'node:crypto';

const ADJECTIVES = ['Awkward', 'Brave', 'Clever', 'Daring', 'Eager', 'Fancy', 'Gentle', 'Happy'];
const MORE = ['Helpless', 'Jolly', 'Kind', 'Lively', 'Mighty', 'Nimble', 'Proud', 'Quiet'];
const ANIMALS = ['Salamander', 'Otter', 'Falcon', 'Badger', 'Panda', 'Lynx', 'Heron', 'Moose'];
const EMOTES = ['SwiftRage', 'Kappa', 'PogChamp', 'LUL', 'BibleThump', 'KomodoHype', 'VoHiYo'];

function pick(list: readonly string[]): string {
  return list[randomInt(list.length)]!;
}

/** Numeric string ids counting up from a base, as Twitch's user, video and stream ids look. */
export class NumericIds {
  private next: bigint;
  constructor(base: bigint) {
    this.next = base;
  }
  take(isUsed: (id: string) => boolean = () => false): string {
    let id = String(this.next++);
    while (isUsed(id)) id = String(this.next++);
    return id;
  }
}

/** A slug in the shape of Twitch's clip ids: "AwkwardHelplessSalamanderSwiftRage-abc...". */
export function clipSlug(): string {
  const suffix = randomBytes(12).toString('base64url');
  return `${pick(ADJECTIVES)}${pick(MORE)}${pick(ANIMALS)}${pick(EMOTES)}-${suffix}`;
}
