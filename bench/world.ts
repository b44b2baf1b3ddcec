import type { TwitchChatLimits } from '../src/chat/twitch/index.js';
import { LocalWorld } from '../standins/local-world.js';
import { seededRng } from './rng.js';

export interface BenchWorldOptions {
  channels: number;
  /** Each channel's clips appear this long after creation, drawn once per channel. */
  visibleMinMs: number;
  visibleMaxMs: number;
  /** Channels where the bot is moderator (100 messages per 30 s instead of 20). */
  moderatorChannels: number;
  /** Applied to the chat stand-in AND the bot's adapter: they must agree. */
  chatLimits: Pick<TwitchChatLimits, 'joinLimit' | 'joinWindowMs' | 'moderatorLimit'>;
  seed: number;
}

export function channelName(i: number): string {
  return `bench_ch${String(i).padStart(4, '0')}`;
}

/**
 * The stand-ins the bot runs against: Twitch (Helix, OAuth), Twitch chat, no Discord. Clips
 * appear 2-3.5 s after creation (per channel, so that no fixed poll phase lines up with
 * them by luck). Helix's point bucket is made too large to run out, so that call counts, not
 * 429 pauses, tell the two ways apart (the table shows each way's peak calls per minute
 * against Twitch's 800).
 */
export async function startBenchWorld(
  opts: BenchWorldOptions,
): Promise<{ world: LocalWorld; channels: string[]; visibleAfter: Map<string, number> }> {
  const channels = Array.from({ length: opts.channels }, (_, i) => channelName(i));
  const world = new LocalWorld({
    channels,
    botLogin: 'clipbot',
    clipVisibleAfterMs: opts.visibleMinMs,
    discord: false,
    chat: { limits: opts.chatLimits, journalLimit: 2_000 },
  });
  await world.start();
  world.twitch.setRateLimit({ limit: 1_000_000 });
  // Create Clip's own bucket too: the straightforward way makes ~1,000 clips in a minute.
  world.twitch.setClipCreationLimit({ limit: 1_000_000 });
  const rng = seededRng(opts.seed);
  const visibleAfter = new Map<string, number>();
  channels.forEach((login, i) => {
    const after = Math.round(opts.visibleMinMs + rng() * (opts.visibleMaxMs - opts.visibleMinMs));
    visibleAfter.set(login, after);
    world.twitch.setChannel(login, { clipVisibleAfterMs: after });
    if (i < opts.moderatorChannels) world.chat.setChannel(login, { botIsModerator: true });
  });
  return { world, channels, visibleAfter };
}

/** Resolves once the bot (as the chat stand-in sees it) is in every one of `channels`. */
export async function waitJoined(
  world: LocalWorld,
  channels: readonly string[],
  timeoutMs: number,
  /** Joined as this bot account (when several are joined to the same channels). */
  login?: string,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    const missing = channels.filter((c) => !world.chat.joined(c, login)).length;
    if (missing === 0) return Date.now() - started;
    if (Date.now() - started > timeoutMs)
      throw new Error(
        `the bot joined only ${channels.length - missing}/${channels.length} channels`,
      );
    await sleep(100);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
