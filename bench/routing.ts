import type { LocalWorld } from '../standins/local-world.js';
import type { BotProcess } from './bot-handle.js';
import type { FromChild, MemorySample } from './protocol.js';
import { seededRng } from './rng.js';
import { sleep } from './world.js';
import { chatterLine } from './workloads.js';

export const ROUTING_MARKER = 'bench_routing_marker';
/** Lines per WebSocket frame: the stand-in writes one frame per flush, as Twitch does under load. */
const FRAME_LINES = 100;

export interface RoutingResult {
  channels: number;
  /** Chat lines sent, the marker included. */
  lines: number;
  /** Lines that were commands (other bots', refused ones, the marker). */
  commands: number;
  /** Commands the router received; equal to `commands` when nothing was lost. */
  routed: number;
  seconds: number;
  perSecond: number;
  /** How long the stand-in took to write them all (when close to `seconds`, it was the limit). */
  producerSeconds: number;
  /** Channels whose automatic-clip detector was fed (0: automatic clips off everywhere). */
  detectors?: number;
  /**
   * The bot's CPU time (user + system) from the first line to the marker, per line: what
   * reading and routing a line costs the bot, whatever the stand-in's own speed.
   */
  cpuUsPerLine: number;
  /** Automatic-clip fires since the bot started (a fire during a run adds work to it). */
  firesSoFar: number;
}

/**
 * Floods the bot's chat connection with lines spread over `channels` (ordinary chat, other
 * bots' commands, a few moderator commands from viewers) and times how long until the
 * router receives the marker command sent last: lines arrive in order on the one
 * connection, so by then every line before it was read, parsed and routed or dropped.
 */
export async function measureRouting(
  world: LocalWorld,
  bot: BotProcess,
  channels: readonly string[],
  opts: { lines: number; seed: number; timeoutMs: number },
): Promise<RoutingResult> {
  const rng = seededRng(opts.seed);
  const marker = new Promise<Extract<FromChild, { type: 'marker' }>>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('routing: the marker never reached the router')),
      opts.timeoutMs,
    );
    bot.events.once('marker', (m) => {
      clearTimeout(timer);
      resolve(m);
    });
  });
  let commands = 0;
  const cpuStart = await bot.cpuUs();
  const started = Date.now();
  for (let from = 0; from < opts.lines; from += FRAME_LINES) {
    const batch: { channel: string; msg: { login: string; text: string } }[] = [];
    for (let i = from; i < Math.min(opts.lines, from + FRAME_LINES); i++) {
      const line = chatterLine(rng, i, channels);
      if (line.text.startsWith('!')) commands++;
      batch.push({ channel: line.channel, msg: { login: line.login, text: line.text } });
    }
    world.chat.sayMany(batch);
    // Let the socket drain now and then rather than buffering everything first.
    await new Promise((r) => setImmediate(r));
  }
  world.chat.say(channels[0]!, { login: 'bench_marker', text: `!${ROUTING_MARKER}` });
  commands++;
  const producerSeconds = (Date.now() - started) / 1000;
  const m = await marker;
  const seconds = (m.at - started) / 1000;
  return {
    channels: channels.length,
    lines: opts.lines + 1,
    commands,
    routed: m.routed,
    seconds,
    perSecond: (opts.lines + 1) / seconds,
    producerSeconds,
    cpuUsPerLine: (m.cpuUs - cpuStart) / (opts.lines + 1),
    firesSoFar: m.fires,
    ...(m.detectors !== undefined ? { detectors: m.detectors } : {}),
  };
}

/** Resident memory once the bot has been idle for `settleMs`: the median of a few samples. */
export async function idleMemory(bot: BotProcess, settleMs: number): Promise<MemorySample> {
  await sleep(settleMs);
  const samples: MemorySample[] = [];
  for (let i = 0; i < 5; i++) {
    samples.push(await bot.memory());
    await sleep(300);
  }
  samples.sort((a, b) => a.rss - b.rss);
  return samples[2]!;
}
