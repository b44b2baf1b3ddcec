import { pick, type Rng } from './rng.js';

/** One chat line a viewer sends, `at` ms after the workload starts. */
export interface ChatEvent {
  at: number;
  channel: string;
  login: string;
  text: string;
  /** clip: a `!clip` the bot must answer; chatter: a line it must read and drop. */
  kind: 'clip' | 'chatter';
}

export interface Workload {
  name: string;
  description: string;
  events: ChatEvent[];
  /** Channels it speaks in (the bot must have joined them). */
  channels: string[];
}

const WORDS = ['pog', 'gg', 'nice', 'what', 'was', 'that', 'clip', 'it', 'lol', 'omg', 'no', 'way'];
const OTHER_BOTS = ['!uptime', '!so @someone', '!followage', '!discord', '!lurk', '!points'];
const TITLES = ['what a play', 'insane clutch', 'no way', 'the jump'];

const byTime = (a: ChatEvent, b: ChatEvent): number => a.at - b.at;

function viewer(tag: string, i: number): string {
  return `${tag}_viewer_${String(i).padStart(4, '0')}`;
}

/** `requests` distinct viewers each type `!clip` in one channel, evenly over `durationMs`. */
export function burst(opts: { channel: string; requests: number; durationMs: number }): Workload {
  const events: ChatEvent[] = [];
  for (let i = 0; i < opts.requests; i++) {
    events.push({
      at: Math.round((i * opts.durationMs) / opts.requests),
      channel: opts.channel,
      login: viewer('b', i),
      text: '!clip',
      kind: 'clip',
    });
  }
  return {
    name: 'burst',
    description: `${opts.requests} !clip from distinct viewers in 1 channel within ${opts.durationMs / 1000} s`,
    events,
    channels: [opts.channel],
  };
}

/** One `!clip` in each channel, evenly over `durationMs`. */
export function spread(opts: { channels: string[]; durationMs: number }): Workload {
  const n = opts.channels.length;
  const events = opts.channels.map((channel, i): ChatEvent => ({
    at: Math.round((i * opts.durationMs) / n),
    channel,
    login: viewer('s', i),
    text: '!clip',
    kind: 'clip',
  }));
  return {
    name: 'spread',
    description: `one !clip in each of ${n} channels within ${opts.durationMs / 1000} s`,
    events,
    channels: [...opts.channels],
  };
}

/**
 * One `!clip` in each channel, `gapMs` apart: requests that never arrive together, so a
 * batch gathers little unless the live status is already known and polls are shared.
 */
export function sparse(opts: { channels: string[]; gapMs: number }): Workload {
  const events = opts.channels.map((channel, i): ChatEvent => ({
    at: i * opts.gapMs,
    channel,
    login: viewer('p', i),
    text: '!clip',
    kind: 'clip',
  }));
  return {
    name: 'sparse spread',
    description: `one !clip in each of ${opts.channels.length} channels, ${opts.gapMs} ms apart`,
    events,
    channels: [...opts.channels],
  };
}

/**
 * One request every `everyMs` for `durationMs`, each in a channel of its own (round robin
 * when there are fewer channels than requests): clips that barely overlap in time.
 */
export function trickle(opts: {
  channels: string[];
  everyMs: number;
  durationMs: number;
}): Workload {
  const n = Math.max(1, Math.floor(opts.durationMs / opts.everyMs));
  const events: ChatEvent[] = [];
  for (let i = 0; i < n; i++) {
    events.push({
      at: i * opts.everyMs,
      channel: opts.channels[i % opts.channels.length]!,
      login: viewer('t', i),
      text: '!clip',
      kind: 'clip',
    });
  }
  return {
    name: 'trickle',
    description: `one !clip every ${opts.everyMs / 1000} s for ${opts.durationMs / 1000} s (${n} channels)`,
    events,
    channels: [...new Set(events.map((e) => e.channel))],
  };
}

export interface MixedOptions {
  channels: string[];
  durationMs: number;
  /** Channels where a crowd clips the same moment. */
  hot: number;
  /** Distinct viewers per crowd, typing over `hotWindowMs`. */
  hotSize: number;
  hotWindowMs: number;
  /** Channels with one `!clip` at a random moment (one in ten with duration and title). */
  singles: number;
  /** Channels where a second viewer clips again `repeatGapMs` after the first. */
  repeats: number;
  repeatGapMs: number;
  /** Ordinary chat and other bots' commands, per second, over every channel used. */
  chatterPerS: number;
  rng: Rng;
}

/**
 * What a busy evening looks like: crowds clipping the same moment in a few channels, single
 * clips here and there, a second clip of the same channel a little later, and chat that is
 * not for the bot all along.
 */
export function mixed(opts: MixedOptions): Workload {
  const { rng } = opts;
  const need = opts.hot + opts.singles + opts.repeats;
  if (opts.channels.length < need)
    throw new Error(`mixed needs ${need} channels, got ${opts.channels.length}`);
  const hot = opts.channels.slice(0, opts.hot);
  const singles = opts.channels.slice(opts.hot, opts.hot + opts.singles);
  const repeats = opts.channels.slice(opts.hot + opts.singles, need);
  const events: ChatEvent[] = [];
  let v = 0;
  const clip = (at: number, channel: string, text = '!clip'): void => {
    events.push({ at: Math.round(at), channel, login: viewer('m', v++), text, kind: 'clip' });
  };

  // Crowds start at evenly spaced moments so they overlap with everything else.
  const hotSpan = Math.max(0, opts.durationMs - opts.hotWindowMs);
  hot.forEach((channel, h) => {
    const start = opts.hot > 1 ? (h * hotSpan) / (opts.hot - 1) : 0;
    for (let i = 0; i < opts.hotSize; i++)
      clip(start + (i * opts.hotWindowMs) / opts.hotSize, channel);
  });
  for (const channel of singles) {
    const titled = rng() < 0.1;
    clip(rng() * opts.durationMs, channel, titled ? `!clip 20 ${pick(rng, TITLES)}` : '!clip');
  }
  const repeatSpan = Math.max(0, opts.durationMs - opts.repeatGapMs);
  for (const channel of repeats) {
    const first = rng() * repeatSpan;
    clip(first, channel);
    clip(first + opts.repeatGapMs, channel);
  }

  const used = [...hot, ...singles, ...repeats];
  const lines = Math.round((opts.chatterPerS * opts.durationMs) / 1000);
  for (let i = 0; i < lines; i++) {
    const text =
      rng() < 0.1
        ? pick(rng, OTHER_BOTS)
        : Array.from({ length: 1 + Math.floor(rng() * 6) }, () => pick(rng, WORDS)).join(' ');
    events.push({
      at: Math.round(rng() * opts.durationMs),
      channel: pick(rng, used),
      login: `chatter_${Math.floor(rng() * 5000)}`,
      text,
      kind: 'chatter',
    });
  }
  events.sort(byTime);
  return {
    name: 'mixed',
    description:
      `${opts.durationMs / 1000} s: ${opts.hot} crowds of ${opts.hotSize} !clip within ` +
      `${opts.hotWindowMs / 1000} s, ${opts.singles} single !clip (1 in 10 titled), ` +
      `${opts.repeats} channels clipped twice ${opts.repeatGapMs / 1000} s apart, ` +
      `${opts.chatterPerS}/s other chat`,
    events,
    channels: used,
  };
}

/** Lines for the routing throughput run: chat, other bots' commands, and a few refusals. */
export function chatterLine(
  rng: Rng,
  i: number,
  channels: readonly string[],
): { channel: string; login: string; text: string } {
  const channel = channels[i % channels.length]!;
  const r = rng();
  if (r < 0.02) {
    // A viewer trying a moderator command: refused (once per 30 s each, so few answers).
    return {
      channel: channels[i % 5]!,
      login: `nosy_${i % 4}`,
      text: '!clipconfig on',
    };
  }
  if (r < 0.27) return { channel, login: `chatter_${i % 5000}`, text: pick(rng, OTHER_BOTS) };
  const words = Array.from({ length: 1 + Math.floor(rng() * 8) }, () => pick(rng, WORDS));
  return { channel, login: `chatter_${i % 5000}`, text: words.join(' ') };
}
