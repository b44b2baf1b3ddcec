import { LiveStatusTable } from '../../src/clips/live-status-table.js';
import { ANSWER_WAIT_MS, waitFor, type E2E } from './e2e-harness.js';

/**
 * What the automatic-clip e2e tests share: detectors that learn no baseline first (warmupS
 * 0: a quiet chat, as a channel that has just started), and the ways a scene's chat speaks.
 */
export const AUTOCLIP = { manager: { detector: { warmupS: 0 } } };

/** The live table has the channel (its first refresh ran): the detector's fires may count. */
export async function liveTableReady(s: E2E, live = true): Promise<void> {
  const table = new LiveStatusTable(s.redis, s.app.parts.pipeline.keys);
  await waitFor(async () => (await table.trusted(s.channel))?.live === live, {
    what: `the live table to say ${live ? 'live' : 'offline'}`,
    timeoutMs: ANSWER_WAIT_MS,
  });
}

/** A moderator changes a setting and the bot confirms. */
export async function moderator(s: E2E, text: string): Promise<string> {
  const id = s.say(text, { login: 'mod_mia', role: 'moderator' });
  return (await s.replyTo(id)).text;
}

/** `n` different viewers type the same thing within a moment (an emote when `emote`). */
export function burst(
  s: E2E,
  text: string,
  n: number,
  opts: { from?: string; emote?: boolean } = {},
): void {
  const tags = opts.emote ? { emotes: `25:0-${Array.from(text).length - 1}` } : undefined;
  s.world.chat.sayMany(
    Array.from({ length: n }, (_v, i) => ({
      channel: s.channel,
      msg: { login: `${opts.from ?? 'fan'}${i}`, text, ...(tags ? { tags } : {}) },
    })),
  );
}

/** A quiet chat: two viewers talking. */
export function quietChat(s: E2E): void {
  s.say('hello chat', { login: 'early_one' });
  s.say('how is everyone', { login: 'early_two' });
}

/** Automatic clips asked for, of one kind or (no kind) of all. */
export async function autoClipsCounted(s: E2E, kind?: string): Promise<number> {
  const m = await s.metrics.autoClips.get();
  return m.values
    .filter((v) => kind === undefined || v.labels.kind === kind)
    .reduce((sum, v) => sum + v.value, 0);
}
