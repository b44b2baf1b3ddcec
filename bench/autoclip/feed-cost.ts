/**
 * The chat path's share of automatic clips, in process: tmi.js-shaped lines through the real
 * AutoClipFeed and AutoClipManager over 1,000 channels, detectors on in every channel or in
 * none. Prints microseconds per line (3 runs after a warm-up run).
 * Run: `npx tsx bench/autoclip/feed-cost.ts on` (or `off`).
 */
import { AutoClipManager } from '../../src/autoclip/index.js';
import { AutoClipFeed } from '../../src/chat/twitch/autoclip-feed.js';

const CHANNELS = 1_000;
const LINES = 60_000;
const WORDS = ['LUL', 'nice one', 'what is this game', 'KEKW KEKW', 'hello chat', 'pog', 'gg'];

const on = process.argv[2] !== 'off';
const manager = new AutoClipManager();
if (on) for (let i = 0; i < CHANNELS; i++) manager.enable(`r${i}`);
const feed = new AutoClipFeed(
  {
    observe: (m) => manager.observe(m),
    raidArrived: () => undefined,
    onFire: () => undefined,
    onJoined: () => undefined,
    onLeft: () => undefined,
  },
  'bot',
);
const t0 = Date.now();

function microsPerLine(): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < LINES; i++) {
    const c = i % CHANNELS;
    const user = `u${i % 5_000}`;
    const tags = {
      'room-id': `r${c}`,
      'user-id': user,
      username: user,
      'tmi-sent-ts': String(t0 + Math.floor(i / 20)),
    };
    feed.message(`#c${c}`, tags, WORDS[i % WORDS.length] ?? '');
  }
  return Number(process.hrtime.bigint() - start) / LINES / 1_000;
}

microsPerLine();
for (let run = 0; run < 3; run++)
  console.log(`detectors ${on ? 'on' : 'off'}: ${microsPerLine().toFixed(2)} µs per line`);
