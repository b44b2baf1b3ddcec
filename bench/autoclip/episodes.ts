/**
 * The moments chat reacts to (labelled, the detector should fire once each) and the
 * look-alikes (it must not fire). Each writes its lines starting at `t0`, the first line of
 * the reaction: the benchmark's delay is measured from there.
 */
import { pick, type Rng } from '../rng.js';
import {
  WORDS,
  crowdOf,
  exp,
  reactionDelayMs,
  type BenchEvent,
  type ChannelProfile,
} from './chat-model.js';

export type MomentKind = 'emote wave' | 'word wave' | 'clip it' | 'bits/subs' | 'rate jump';
export type LookAlikeKind =
  'one flooder' | 'bot account' | 'giveaway !enter' | 'poll 1/2' | 'raid greetings' | 'always busy';

export const MOMENT_KINDS: readonly MomentKind[] = [
  'emote wave',
  'word wave',
  'clip it',
  'bits/subs',
  'rate jump',
];
export const LOOK_ALIKES: readonly LookAlikeKind[] = [
  'one flooder',
  'bot account',
  'giveaway !enter',
  'poll 1/2',
  'raid greetings',
  'always busy',
];

const HYPE_EMOTES = ['PogChamp', 'PogU', 'Kreygasm', 'TwitchUnity', 'PopNemo'];
const HYPE_WORDS = ['LETSGOOO', 'OMEGALUL', 'WWWW', 'NOWAY', 'HOLYYY', 'CLUTCH'];
const CLIP_LINES = ['CLIP IT', 'clip that', 'clip', 'CLIPPPP', 'someone clip that', 'clip it!!'];

interface Ctx {
  rng: Rng;
  p: ChannelProfile;
  channel: string;
  t0: number;
}

function size(c: Ctx, share: number, min: number): number {
  return Math.max(min, Math.round(c.p.crowd * share * (0.75 + c.rng() * 0.5)));
}

function words(rng: Rng, n = 1 + Math.floor(rng() * 4)): string {
  return Array.from({ length: n }, () => pick(rng, WORDS)).join(' ');
}

/** Each reacting viewer writes 1-3 lines, the first at a log-normal delay, the first viewer at t0. */
function react(
  c: Ctx,
  users: string[],
  line: (rng: Rng, i: number) => Partial<BenchEvent>,
): BenchEvent[] {
  const out: BenchEvent[] = [];
  users.forEach((userId, u) => {
    let at = c.t0 + (u === 0 ? 0 : reactionDelayMs(c.rng));
    const lines = 1 + Math.floor(c.rng() * 3);
    for (let i = 0; i < lines; i++) {
      out.push({ channel: c.channel, userId, text: '', at: Math.round(at), ...line(c.rng, i) });
      at += 800 + exp(c.rng, 2000);
    }
  });
  return out;
}

export function moment(kind: MomentKind, c: Ctx): BenchEvent[] {
  const { rng } = c;
  switch (kind) {
    case 'emote wave': {
      const e = pick(rng, HYPE_EMOTES);
      return react(c, crowdOf(rng, c.p, c.channel, size(c, 1, 7)), (r) =>
        r() < 0.8 ? { text: r() < 0.5 ? e : `${e} ${e} ${e}`, emotes: [e] } : { text: words(r, 2) },
      );
    }
    case 'word wave': {
      const w = pick(rng, HYPE_WORDS);
      return react(c, crowdOf(rng, c.p, c.channel, size(c, 1, 7)), (r) =>
        r() < 0.75 ? { text: r() < 0.5 ? w : `${w} ${w}` } : { text: words(r, 2) },
      );
    }
    case 'clip it': {
      // A smaller crowd, half of it asking for a clip in words, the rest saying anything.
      const users = crowdOf(rng, c.p, c.channel, size(c, 0.6, 5));
      const asks = new Set(users.filter((_, i) => i % 2 === 0));
      return react(c, users, (r, i) =>
        i === 0 && asks.has(users[0] ?? '') ? { text: pick(r, CLIP_LINES) } : { text: words(r) },
      ).map((e) =>
        asks.has(e.userId) && e.text !== '' && rng() < 0.7
          ? { ...e, text: pick(rng, CLIP_LINES) }
          : e,
      );
    }
    case 'bits/subs': {
      // A hype train: viewers subscribe, gift and cheer over about 20 s.
      const users = crowdOf(rng, c.p, c.channel, size(c, 0.12, 5));
      return users.map((userId, u) => {
        const at = Math.round(c.t0 + (u === 0 ? 0 : rng() * 12_000));
        if (rng() < 0.5)
          return {
            channel: c.channel,
            userId,
            at,
            text: 'Cheer100 lets go',
            bits: 100 * (1 + Math.floor(rng() * 5)),
          };
        return {
          channel: c.channel,
          userId,
          at,
          text: '',
          support: pick(rng, ['sub', 'resub', 'subgift'] as const),
        };
      });
    }
    case 'rate jump':
      return react(c, crowdOf(rng, c.p, c.channel, size(c, 1.2, 11)), (r) => ({ text: words(r) }));
  }
}

export function lookAlike(kind: Exclude<LookAlikeKind, 'always busy'>, c: Ctx): BenchEvent[] {
  const { rng, channel, t0 } = c;
  const out: BenchEvent[] = [];
  switch (kind) {
    case 'one flooder': {
      const userId = `${channel}-u0`;
      for (let t = t0; t < t0 + 40_000; t += 200 + rng() * 300)
        out.push({
          channel,
          userId,
          at: Math.round(t),
          text: 'PogChamp PogChamp clip it',
          emotes: ['PogChamp'],
        });
      return out;
    }
    case 'bot account':
      for (let i = 0; i < 80; i++)
        out.push({
          channel,
          userId: 'nightbot',
          fromBot: true,
          at: t0 + i * 250,
          text: `PogChamp clip LETSGOOO hype ${i}`,
          emotes: ['PogChamp'],
        });
      return out;
    case 'giveaway !enter':
    case 'poll 1/2': {
      const users = crowdOf(rng, c.p, channel, size(c, 1.5, 12));
      out.push({
        channel,
        userId: 'streamelements',
        fromBot: true,
        at: t0,
        text: 'Giveaway started! Type !enter',
      });
      for (const userId of users)
        out.push({
          channel,
          userId,
          at: Math.round(t0 + 500 + rng() * 30_000),
          text: kind === 'poll 1/2' ? pick(rng, ['1', '2', '1', '2 ']) : '!enter',
        });
      return out;
    }
    case 'raid greetings': {
      out.push({ channel, userId: 'raider-host', at: t0, text: '', raid: true });
      const raiders = Math.max(15, c.p.crowd * 2);
      for (let i = 0; i < raiders; i++) {
        const userId = `${channel}-raider${i}`;
        const at = Math.round(t0 + 1000 + Math.min(60_000, exp(rng, 6000)));
        const line: Partial<BenchEvent> = pick(rng, [
          { text: 'hi' },
          { text: 'hello!' },
          { text: 'raidHype raidHype', emotes: ['raidHype'] },
          { text: 'raidHype RAID raidHype', emotes: ['raidHype'] },
          { text: 'HeyGuys', emotes: ['HeyGuys'] },
          { text: 'hey chat' },
        ]);
        out.push({ channel, userId, at, text: '', ...line });
        // Some raiders stay and chat a little.
        if (rng() < 0.2)
          for (let t = at + 60_000; t < at + 300_000; t += exp(rng, 40_000))
            out.push({ channel, userId, at: Math.round(t), text: words(rng) });
      }
      return out;
    }
  }
}
