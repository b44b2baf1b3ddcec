import { afterEach, describe, expect, it } from 'vitest';
import type { BotMessage } from '../../standins/chat/index.js';
import { botWire, type WireLine } from '../helpers/bot-wire.js';
import { startE2E, waitFor, type E2E } from '../helpers/e2e-harness.js';

/**
 * Late requesters of one clip, against the real bot: requests that join a clip already made
 * are answered from the stored result, and a chat burst of them must become a handful of
 * messages answering everyone once, not one message per viewer held back by Twitch's limits.
 */

let scene: E2E | undefined;
afterEach(async () => {
  await scene?.stop();
  scene = undefined;
});

const CLIP_LINK = /https:\/\/clips\.twitch\.tv\/\S+/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function mentioned(text: string): string[] {
  return [...text.matchAll(/@(\w+)/g)].map((m) => m[1]!.toLowerCase());
}

/** How many requesters a message counts without naming them. */
function others(text: string): number {
  return Number(/ \+(\d+) others? /.exec(text)?.[1] ?? 0);
}

interface BurstOutcome {
  /** The bot's answers to the burst (the opener's answer left out). */
  sent: BotMessage[];
  /** The same answers as the bot wrote them, stamped by its clock. */
  written: WireLine[];
  s: E2E;
}

/**
 * The opener makes the clip; then 300 distinct viewers say !clip over three seconds. Waits
 * until the answers cover all 300 and checks what must hold whatever the bot's standing:
 * everyone answered once, each message within 500 characters, threaded, no rule broken.
 */
async function lateBurst(opts: { moderator: boolean }): Promise<BurstOutcome> {
  const wire = botWire();
  // A long coalescing window: every request of the burst joins the clip already made.
  scene = await startE2E({ env: { COALESCE_WINDOW_S: '10' }, log: wire.log });
  const s = scene;
  // USERSTATE reaches the bot before any chat line below, on the same connection.
  if (opts.moderator) s.world.chat.setChannel(s.channel, { botIsModerator: true });
  const first = s.say('!clip', { login: 'opener', displayName: 'opener' });
  const opened = await s.replyTo(first);
  const link = CLIP_LINK.exec(opened.text)?.[0];
  expect(link).toBeDefined();

  const viewers = Array.from({ length: 300 }, (_, i) => `late_${String(i).padStart(3, '0')}`);
  const messageOf = new Map<string, string>();
  for (const [i, login] of viewers.entries()) {
    messageOf.set(s.say('!clip', { login, displayName: login }), login);
    // 30 steps of 10 viewers, 100 ms apart: about three seconds of chat (longer on a loaded
    // machine; every check below holds for any spread within the coalescing window).
    if (i % 10 === 9) await sleep(100);
  }

  const answers = () => s.botMessages().filter((m) => m !== opened && CLIP_LINK.test(m.text));
  const covered = () =>
    answers().reduce((n, m) => n + mentioned(m.text).length + others(m.text), 0);
  await waitFor(() => covered() >= 300, {
    timeoutMs: 60_000,
    what: 'answers covering all 300 viewers',
  });
  // An answer given twice would show up now.
  await sleep(1_500);
  const sent = answers();
  expect(covered()).toBe(300);
  const names = sent.flatMap((m) => mentioned(m.text));
  expect(new Set(names).size).toBe(names.length);
  for (const n of names) expect(viewers).toContain(n);
  for (const m of sent) {
    expect(m.text).toContain(link);
    expect(m.text.length).toBeLessThanOrEqual(500);
    // Threaded under the message of the first viewer it names.
    expect(messageOf.get(m.replyParentMsgId ?? '')).toBe(mentioned(m.text)[0]);
  }
  expect(s.world.twitch.count('POST', '/clips')).toBe(1);
  expect(s.world.chat.violations).toEqual([]);
  // What the stand-in read is what the bot wrote, in the same order (the opener's first).
  const written = wire.lines.filter((w) => w.line.includes(`PRIVMSG #${s.channel} :`));
  expect(written.map((w) => w.line.slice(w.line.indexOf(' :') + 2))).toEqual(
    [opened, ...sent].map((m) => m.text),
  );
  return { sent, written: written.slice(1), s };
}

describe('a burst of 300 late !clip', () => {
  it('where the bot is not moderator (20 / 30 s, 1 s apart): a few messages', async () => {
    const { sent } = await lateBurst({ moderator: false });
    // About one message per send the 1 s spacing allows while the burst lasts; one per
    // viewer would take 15 minutes at 20 messages per 30 s.
    expect(sent.length).toBeLessThanOrEqual(10);
  }, 45_000);

  it('where the bot is moderator (no spacing): answers gather instead of leaving one each', async () => {
    const { sent, written } = await lateBurst({ moderator: true });
    // Nothing spaces the messages here: without the brief hold between a clip's answers,
    // each late answer would leave alone and the burst would use the whole 100 per 30 s.
    // With it, about four per second while the burst lasts.
    expect(sent.length).toBeLessThanOrEqual(20);
    // The hold (250 ms) between two of the clip's answers, measured where the bot sends: the
    // stand-in's read times bunch when the loaded process reads a late line with the next.
    for (let i = 1; i < written.length; i++) {
      expect(written[i]!.at - written[i - 1]!.at).toBeGreaterThanOrEqual(200);
    }
  }, 45_000);
});
