/**
 * Synthetic Twitch chat for the automatic-clip benchmark: background chat with bursty
 * arrivals (a Poisson process whose rate drifts every few tens of seconds) from chatters
 * whose activity follows Zipf's law (a few regulars write most lines), as chat logs show.
 * Seeded: the same streams on every run.
 */
import type { ChatObservation } from '../../src/autoclip/types.js';
import { pick, type Rng } from '../rng.js';

/** One line of a generated stream; `raid` marks tmi.js's `raided` event instead of a line. */
export type BenchEvent = ChatObservation & { raid?: boolean };

export interface ChannelProfile {
  name: string;
  /** Background messages per second (average). */
  rate: number;
  /** Chatters who write in this channel. */
  population: number;
  /** How many viewers react to a moment (before the per-moment draw). */
  crowd: number;
}

export const PROFILES: readonly ChannelProfile[] = [
  { name: 'quiet 0.1/s', rate: 0.1, population: 25, crowd: 9 },
  { name: 'small 0.5/s', rate: 0.5, population: 80, crowd: 16 },
  { name: 'medium 3/s', rate: 3, population: 400, crowd: 50 },
  { name: 'busy 15/s', rate: 15, population: 2500, crowd: 180 },
  { name: 'huge 50/s', rate: 50, population: 8000, crowd: 450 },
];

const WORDS = (
  'lol lmao what why how nice good bad play game chat stream bro dude man wait nah yeah ' +
  'true based cringe real fr gg ez close almost rip sad mad insane crazy wow damn boss ' +
  'music song volume mic cam hype run level item build strat loot map team enemy kill ' +
  'dead alive heal tank jump skip pause back home food drink sleep tired late early ' +
  'monday weekend tomorrow today yesterday later soon never always maybe probably ' +
  'think know feel look see hear say tell ask try need want love hate like'
).split(' ');

/** Emotes a channel's chat uses all the time (its staples). */
export const STAPLE_EMOTES = ['LUL', 'Kappa', 'KEKW', 'catJAM'];
const OTHER_EMOTES = [
  'BibleThump',
  'NotLikeThis',
  'SeemsGood',
  'HeyGuys',
  'CoolCat',
  'ResidentSleeper',
];

export function exp(rng: Rng, mean: number): number {
  return -Math.log(1 - rng()) * mean;
}

/** Zipf(s=1.1) over a channel's chatters: a sampler built once per channel. */
export function zipfSampler(rng: Rng, n: number, prefix: string): () => string {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += 1 / Math.pow(i + 1, 1.1);
    cdf[i] = sum;
  }
  return () => {
    const x = rng() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cdf[mid] ?? 0) < x) lo = mid + 1;
      else hi = mid;
    }
    return `${prefix}${lo}`;
  };
}

/** One background line: words, sometimes a staple emote, sometimes another bot's command. */
export function backgroundLine(rng: Rng): { text: string; emotes?: string[] } {
  const r = rng();
  if (r < 0.04)
    return { text: pick(rng, ['!uptime', '!discord', '!song', '!points', '!followage']) };
  if (r < 0.2) {
    const e = pick(rng, STAPLE_EMOTES);
    return { text: `${pick(rng, WORDS)} ${e}`, emotes: [e] };
  }
  if (r < 0.24) {
    const e = pick(rng, OTHER_EMOTES);
    return { text: e, emotes: [e] };
  }
  if (r < 0.242) return { text: 'someone clip that lol' };
  const n = 1 + Math.floor(rng() * 6);
  return { text: Array.from({ length: n }, () => pick(rng, WORDS)).join(' ') };
}

/**
 * Background chat from 0 to `durationMs`: arrivals whose rate is the profile's times a
 * factor drifting between log-normal levels drawn every 20-60 s (sigma 0.2: 95% within
 * 0.67x-1.5x; `swing` widens it for an always-busy chat).
 */
export function background(
  rng: Rng,
  p: ChannelProfile,
  channel: string,
  durationMs: number,
  swing = 1,
): BenchEvent[] {
  const who = zipfSampler(rng, p.population, `${channel}-u`);
  const out: BenchEvent[] = [];
  let t = 0;
  // The pace drifts: from one level to the next over 20-60 s (a chat does not double its
  // pace within a second unless something happened, and that is a moment).
  let from = 1;
  let to = 1;
  let segStart = 0;
  let segEnd = 0;
  while (t < durationMs) {
    if (t >= segEnd) {
      from = to;
      to = Math.exp(gauss(rng) * 0.2 * swing);
      segStart = t;
      segEnd = t + 20_000 + rng() * 40_000;
    }
    const factor = from + ((to - from) * (t - segStart)) / (segEnd - segStart);
    t += exp(rng, 1000 / (p.rate * factor));
    if (t >= durationMs) break;
    // About one line in 250 comes with a sub, a resub, a gift or a cheer.
    const r = rng();
    if (r < 0.002)
      out.push({ channel, userId: who(), at: Math.round(t), text: '', support: 'resub' });
    else if (r < 0.004)
      out.push({ channel, userId: who(), at: Math.round(t), text: 'Cheer100 nice', bits: 100 });
    else out.push({ channel, userId: who(), at: Math.round(t), ...backgroundLine(rng) });
  }
  return out;
}

/** Distinct chatters for a moment, drawn by activity (regulars react first). */
export function crowdOf(rng: Rng, p: ChannelProfile, channel: string, size: number): string[] {
  const who = zipfSampler(rng, p.population, `${channel}-u`);
  const set = new Set<string>();
  for (let tries = 0; set.size < Math.min(size, p.population) && tries < size * 50; tries++)
    set.add(who());
  // Lurkers who speak only when something happens.
  for (let i = set.size; i < size; i++) set.add(`${channel}-lurker${i}`);
  return [...set];
}

/** A standard normal draw (Box-Muller). */
export function gauss(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

/** When a viewer reacts: log-normal, median about 2.5 s after the moment's first line. */
export function reactionDelayMs(rng: Rng): number {
  const z = gauss(rng);
  return Math.min(15_000, Math.exp(Math.log(2500) + 0.6 * z));
}

export { WORDS };
