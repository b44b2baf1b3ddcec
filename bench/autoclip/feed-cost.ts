/**
 * The chat path's share of automatic clips, in process: the routing figure's own lines
 * (bench/workloads.ts chatterLine, same seed, 1,000 channels) as tmi.js hands them over,
 * through the real AutoClipFeed, ObservationBatcher and AutoClipManager, detectors on in
 * every channel or in none. Prints the CPU time per line (process.cpuUsage: less disturbed
 * by other work on the machine than the wall clock) of 9 runs after a warm-up run, and
 * their median.
 * Run: `npx tsx bench/autoclip/feed-cost.ts on` (or `off`).
 */
import { AutoClipManager, ObservationBatcher } from '../../src/autoclip/index.js';
import { AutoClipFeed } from '../../src/chat/twitch/autoclip-feed.js';
import { seededRng } from '../rng.js';
import { percentile } from '../stats.js';
import { channelName } from '../world.js';
import { chatterLine } from '../workloads.js';

const CHANNELS = 1_000;
const LINES = 60_000;
const RUNS = 9;

const on = process.argv[2] !== 'off';
const channels = Array.from({ length: CHANNELS }, (_, i) => channelName(i));
const roomOf = new Map(channels.map((c, i) => [c, `r${i}`]));
const rng = seededRng(42);
const lines = Array.from({ length: LINES }, (_, i) => {
  const l = chatterLine(rng, i, channels);
  return { ...l, room: roomOf.get(l.channel) ?? 'r0' };
});

const manager = new AutoClipManager();
if (on) for (const room of roomOf.values()) manager.enable(room);
// As the bot reads chat: lines wait in the batcher and are taken by channel.
const batcher = new ObservationBatcher(
  manager,
  () => undefined,
  (err) => {
    throw err;
  },
);
const feed = new AutoClipFeed(
  {
    channelId: (id) => manager.idOf(id),
    observe: (m, id) => batcher.add(m, id),
    raidArrived: () => undefined,
    onJoined: () => undefined,
    onLeft: () => undefined,
  },
  'bot',
);
// The routing run writes its 60,000 lines in about 3 s: 20 lines a millisecond.
let clock = Date.now();

function cpuMicrosPerLine(): number {
  const start = process.cpuUsage();
  for (let i = 0; i < LINES; i++) {
    const l = lines[i]!;
    const tags = {
      'room-id': l.room,
      'user-id': l.login,
      username: l.login,
      'tmi-sent-ts': String(clock + Math.floor(i / 20)),
    };
    feed.message(tags, l.text);
  }
  batcher.flush();
  clock += LINES / 20;
  const used = process.cpuUsage(start);
  return (used.user + used.system) / LINES;
}

cpuMicrosPerLine();
const runs = Array.from({ length: RUNS }, () => cpuMicrosPerLine());
console.log(
  `detectors ${on ? 'on' : 'off'}: ${runs.map((r) => r.toFixed(2)).join(' ')} µs CPU per line; ` +
    `median ${percentile(runs, 50)?.toFixed(2)}`,
);
