import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ChatNotReadyError,
  ChatRefusedError,
  ChatStoppedError,
} from '../../src/chat/twitch/errors.js';
import { readRejection, type Rejection } from '../../src/chat/twitch/rejections.js';
import { Verdicts } from '../../src/chat/twitch/verdicts.js';
import { isUndeliverable } from '../../src/replies/delivery-errors.js';
import { REFUSAL, type Notice } from '../../standins/chat/index.js';
import { RateWindow, TWITCH_LIMITS } from '../../src/chat/twitch/limits.js';
import { CONTENT_BUDGET } from '../../src/chat/twitch/text.js';
import type { Answer } from '../../src/chat/twitch/answer-merge.js';
import {
  SendQueue,
  type ChannelStanding,
  type SendQueueDeps,
} from '../../src/chat/twitch/send-queue.js';
import { silentLogger } from '../../src/logger.js';

/**
 * The queue is a pure scheduler over Date.now() and setTimeout: under a fake clock its waits
 * are exact whatever the machine's load, so a test can say how long it waited (at least the
 * spacing) and that it did not wait (none of the hold) without racing a wall clock.
 */
function fakeClock(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: 1_000_000 });
}

/** Runs the fake clock until nothing is scheduled any more; then `p` has settled. */
async function drained<T>(p: Promise<T>): Promise<T> {
  await vi.runAllTimersAsync();
  return p;
}

afterEach(() => vi.useRealTimers());

function harness(
  standing: Record<string, ChannelStanding>,
  merging: Pick<SendQueueDeps, 'answerHoldMs' | 'maxMessagesPerAnswer'> = {},
) {
  const lines: string[] = [];
  /** When each line was handed to the connection (the queue's own clock). */
  const times: number[] = [];
  const state = { connected: true, failNext: false };
  const queue = new SendQueue({
    // The spacing alone makes answers wait, unless a test is about the hold.
    answerHoldMs: 0,
    ...merging,
    limits: { ...TWITCH_LIMITS, channelSpacingMs: 20, marginMs: 5 },
    log: silentLogger(),
    connected: () => state.connected,
    standing: (c) => standing[c] ?? { joined: false, moderator: false, privileged: false },
    transmit: async (line) => {
      if (state.failNext) {
        state.failNext = false;
        throw new Error('closed');
      }
      lines.push(line);
      times.push(Date.now());
    },
  });
  return { queue, lines, times, state };
}

const mod: ChannelStanding = { joined: true, moderator: true, privileged: true };

describe('RateWindow', () => {
  it('says how long until one more event fits', () => {
    const w = new RateWindow(1_000, 10);
    expect(w.waitMs(2, 0)).toBe(0);
    w.record(0);
    w.record(100);
    expect(w.waitMs(2, 500)).toBe(510);
    expect(w.waitMs(3, 500)).toBe(0);
    expect(w.waitMs(2, 1_010)).toBe(0);
  });

  it('counts an event from its answer once that came', () => {
    const w = new RateWindow(1_000, 10);
    const first = w.record(0);
    w.record(100);
    // The first one's answer came after the second left: it now blocks the longest.
    first(300);
    expect(w.waitMs(2, 500)).toBe(610);
    expect(w.waitMs(1, 500)).toBe(810);
    // An answer never moves an event earlier.
    first(200);
    expect(w.waitMs(1, 500)).toBe(810);
  });
});

describe('SendQueue', () => {
  it('never transmits a message that starts as a chat command', async () => {
    const h = harness({ a: mod });
    const long = `/${'y'.repeat(CONTENT_BUDGET - 1)}`;
    await Promise.all([
      h.queue.send('a', '/me is a bot'),
      h.queue.send('a', ' .ban viewer'),
      h.queue.send('a', long),
      h.queue.sendAnswer('a', { key: 'k', body: '.timeout x', to: [{ id: '1', mention: '' }] }),
    ]);
    const texts = h.lines.map((l) => l.slice(l.indexOf(' :') + 2));
    expect(texts).toHaveLength(4);
    for (const t of texts) {
      expect(t).not.toMatch(/^\s*[./\\]/);
      expect(t.length).toBeLessThanOrEqual(CONTENT_BUDGET);
    }
    expect(texts[0]).toBe('\u200b/me is a bot');
  });

  it('lets channels take turns and threads replies', async () => {
    const h = harness({ a: mod, b: mod });
    h.state.connected = false;
    const sends = [
      h.queue.send('a', 'a1', 'p-1'),
      h.queue.send('a', 'a2'),
      h.queue.send('a', 'a3'),
      h.queue.send('b', 'b1'),
    ];
    h.state.connected = true;
    h.queue.kick();
    await Promise.all(sends);
    expect(h.lines).toEqual([
      '@reply-parent-msg-id=p-1 PRIVMSG #a :a1',
      'PRIVMSG #b :b1',
      'PRIVMSG #a :a2',
      'PRIVMSG #a :a3',
    ]);
  });

  it('makes a repeat different, and spaces messages where the bot is not privileged', async () => {
    fakeClock();
    const h = harness({ c: { joined: true, moderator: false, privileged: false } });
    await drained(
      Promise.all([
        h.queue.send('c', 'same'),
        h.queue.send('c', 'same'),
        h.queue.send('c', 'same'),
      ]),
    );
    expect(h.lines).toEqual(['PRIVMSG #c :same', 'PRIVMSG #c :same \u034f', 'PRIVMSG #c :same']);
    // Spacing 20 ms plus the 5 ms margin between any two.
    expect(gaps(h.times)).toEqual([25, 25]);
  });

  it('keeps a message the connection refused and sends it after the next kick', async () => {
    const h = harness({ a: mod });
    h.state.failNext = true;
    let done = false;
    const p = h.queue.send('a', 'kept').then(() => (done = true));
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(false);
    expect(h.queue.size()).toBe(1);
    h.queue.kick();
    await p;
    expect(h.lines).toEqual(['PRIVMSG #a :kept']);
  });

  it('waits for the join, and rejects what can never be sent', async () => {
    const standing: Record<string, ChannelStanding> = {};
    const h = harness(standing);
    const waiting = h.queue.send('late', 'hello');
    await new Promise((r) => setImmediate(r));
    expect(h.lines).toEqual([]);
    standing.late = mod;
    h.queue.kick();
    await waiting;
    expect(h.lines).toEqual(['PRIVMSG #late :hello']);

    const gone = h.queue.send('gone', 'x');
    h.queue.dropChannel('gone', 'removed');
    await expect(gone).rejects.toBeInstanceOf(ChatNotReadyError);

    const stopped = h.queue.send('gone', 'y');
    h.queue.stop();
    await expect(stopped).rejects.toBeInstanceOf(ChatStoppedError);
    await expect(h.queue.send('a', 'z')).rejects.toBeInstanceOf(ChatStoppedError);
  });
});

describe('SendQueue answers', () => {
  const viewer: ChannelStanding = { joined: true, moderator: false, privileged: false };
  const BODY = 'Clip: https://clips.twitch.tv/X';

  function answerOf(key: string, ...ids: string[]): Answer {
    return {
      key,
      body: key === 'clip-x' ? BODY : `Clip: ${key}`,
      to: ids.map((id) => ({ id, mention: `@user${id}`, parentMessageId: `m${id}` })),
    };
  }

  /** Waits until the queue transmitted `n` lines. */
  async function lines(h: ReturnType<typeof harness>, n: number): Promise<string[]> {
    while (h.lines.length < n) await new Promise((r) => setTimeout(r, 2));
    return h.lines;
  }

  it('sends a lone answer at once, and merges the ones that wait into one message', async () => {
    const h = harness({ c: viewer });
    const lone = h.queue.sendAnswer('c', answerOf('clip-x', '1'));
    // Nothing held it back: it left without waiting for a timer.
    expect(h.lines).toEqual([`@reply-parent-msg-id=m1 PRIVMSG #c :@user1 ${BODY}`]);
    await lone;

    // The channel's spacing holds these back; meanwhile they gather.
    const settled: string[] = [];
    const waiting = [
      h.queue.sendAnswer('c', answerOf('clip-x', '2', '3')),
      h.queue.send('c', 'a plain reply', 'm9'),
      h.queue.sendAnswer('c', answerOf('clip-y', '4')),
      h.queue.sendAnswer('c', answerOf('clip-x', '5', '2')),
    ].map((p, i) => p.then(() => settled.push(String(i))));
    expect(h.queue.size()).toBe(4);
    await Promise.all(waiting);
    expect(h.lines.slice(1)).toEqual([
      // Everyone of clip-x once, under the first one's message, ahead of the later lines.
      `@reply-parent-msg-id=m2 PRIVMSG #c :@user2 @user3 @user5 ${BODY}`,
      '@reply-parent-msg-id=m9 PRIVMSG #c :a plain reply',
      '@reply-parent-msg-id=m4 PRIVMSG #c :@user4 Clip: clip-y',
    ]);
    // Both clip-x answers were done with the first of those messages.
    expect(settled.slice(0, 2).sort()).toEqual(['0', '3']);
    expect(h.queue.size()).toBe(0);
  });

  it('by default counts who does not fit as "+N others", answering everyone at once', async () => {
    const h = harness({ c: viewer });
    h.state.connected = false;
    const ids = Array.from({ length: 120 }, (_, i) => String(i));
    const sends = [
      h.queue.sendAnswer('c', answerOf('clip-x', ...ids.slice(0, 70))),
      h.queue.sendAnswer('c', answerOf('clip-x', ...ids.slice(50))),
    ];
    h.state.connected = true;
    h.queue.kick();
    await Promise.all(sends);
    expect(h.lines).toHaveLength(1);
    const line = h.lines[0]!;
    expect(line.startsWith('@reply-parent-msg-id=m0 PRIVMSG #c :@user0 @user1 ')).toBe(true);
    const named = line.match(/@user\d+/g)!;
    expect(named).toEqual(ids.slice(0, named.length).map((id) => `@user${id}`));
    // Those who asked twice (50..69) are counted once.
    expect(line).toContain(` +${120 - named.length} others ${BODY}`);
    expect(line.length - line.indexOf(' :') - 2).toBeLessThanOrEqual(CONTENT_BUDGET);
  });

  it('with room for more messages, names those who do not fit in the next ones', async () => {
    const h = harness({ c: viewer }, { maxMessagesPerAnswer: 100 });
    h.state.connected = false;
    const ids = Array.from({ length: 120 }, (_, i) => String(i));
    const sends = [
      h.queue.sendAnswer('c', answerOf('clip-x', ...ids.slice(0, 70))),
      h.queue.sendAnswer('c', answerOf('clip-x', ...ids.slice(50))),
    ];
    h.state.connected = true;
    h.queue.kick();
    await Promise.all(sends);
    const texts = h.lines.map((l) => l.slice(l.indexOf(' :') + 2));
    const named = texts.flatMap((t) => t.split(' ').filter((w) => w.startsWith('@')));
    expect(named).toEqual(ids.map((id) => `@user${id}`));
    // As few messages as fit them: each but the last had no room for one more name.
    expect(texts.length).toBeGreaterThan(1);
    for (const t of texts.slice(0, -1)) {
      expect(t.length + ' @user119'.length).toBeGreaterThan(CONTENT_BUDGET);
    }
    for (const t of texts) {
      expect(t.length).toBeLessThanOrEqual(500);
      expect(t.endsWith(` ${BODY}`)).toBe(true);
      expect(t).not.toMatch(/\+\d+ other/);
    }
    // Each message is threaded under its own first requester's message.
    for (const l of h.lines) {
      const first = /PRIVMSG #c :@user(\d+) /.exec(l)![1];
      expect(l.startsWith(`@reply-parent-msg-id=m${first} `)).toBe(true);
    }
  });

  it('folds the rest into "+N others" at a clip\'s last allowed message', async () => {
    const h = harness({ c: viewer }, { maxMessagesPerAnswer: 2 });
    h.state.connected = false;
    const ids = Array.from({ length: 200 }, (_, i) => String(i));
    const all = h.queue.sendAnswer('c', answerOf('clip-x', ...ids));
    h.state.connected = true;
    h.queue.kick();
    await all;
    expect(h.lines).toHaveLength(2);
    const [namedFirst, namedSecond] = h.lines.map((l) => l.match(/@user\d+/g)!.length);
    expect(h.lines[1]).toContain(` +${200 - namedFirst! - namedSecond!} others ${BODY}`);
  });

  it('does not hold back names already waiting from the previous message', async () => {
    fakeClock();
    const h = harness({ m: mod }, { answerHoldMs: 1_000, maxMessagesPerAnswer: 100 });
    const started = Date.now();
    const ids = Array.from({ length: 150 }, (_, i) => String(i));
    await drained(h.queue.sendAnswer('m', answerOf('clip-x', ...ids)));
    expect(h.lines.length).toBeGreaterThan(2);
    // None of them waited for the hold.
    for (const at of h.times) expect(at - started).toBeLessThan(1_000);
  });

  it("holds a clip's next answer briefly where nothing else spaces messages", async () => {
    fakeClock();
    const h = harness({ m: mod }, { answerHoldMs: 60 });
    await drained(h.queue.sendAnswer('m', answerOf('clip-x', '1')));
    // Another clip is not held back by clip-x.
    await drained(h.queue.sendAnswer('m', answerOf('clip-y', '9')));
    expect(h.times[1]! - h.times[0]!).toBeLessThan(60);
    const later = [
      h.queue.sendAnswer('m', answerOf('clip-x', '2')),
      h.queue.sendAnswer('m', answerOf('clip-x', '3')),
    ];
    await vi.advanceTimersByTimeAsync(10);
    const last = h.queue.sendAnswer('m', answerOf('clip-x', '4'));
    await drained(Promise.all([...later, last]));
    expect(h.times[2]! - h.times[0]!).toBeGreaterThanOrEqual(60);
    expect(h.lines.slice(2)).toEqual([
      `@reply-parent-msg-id=m2 PRIVMSG #m :@user2 @user3 @user4 ${BODY}`,
    ]);
  });

  it('holds an answer that arrived while the previous one was on the wire', async () => {
    fakeClock();
    const lines: { at: number; line: string }[] = [];
    let release: () => void = () => undefined;
    let gated = true;
    const queue = new SendQueue({
      limits: { ...TWITCH_LIMITS, marginMs: 0 },
      answerHoldMs: 80,
      log: silentLogger(),
      connected: () => true,
      standing: () => mod,
      transmit: async (line) => {
        // Stamped when the queue hands the line over, the moment its hold counts from.
        const at = Date.now();
        if (gated) await new Promise<void>((r) => (release = r));
        gated = false;
        lines.push({ at, line });
      },
    });
    const first = queue.sendAnswer('m', answerOf('clip-x', '1'));
    const during = queue.sendAnswer('m', answerOf('clip-x', '2'));
    await vi.advanceTimersByTimeAsync(5);
    release();
    await drained(Promise.all([first, during]));
    expect(lines.map((l) => l.line)).toEqual([
      `@reply-parent-msg-id=m1 PRIVMSG #m :@user1 ${BODY}`,
      `@reply-parent-msg-id=m2 PRIVMSG #m :@user2 ${BODY}`,
    ]);
    expect(lines[1]!.at - lines[0]!.at).toBeGreaterThanOrEqual(80);
  });

  it('keeps a merged answer whole when the connection refuses it, and rejects on drop', async () => {
    const h = harness({ c: mod });
    h.state.connected = false;
    const a = h.queue.sendAnswer('c', answerOf('clip-x', '1'));
    const b = h.queue.sendAnswer('c', answerOf('clip-x', '2'));
    h.state.connected = true;
    h.state.failNext = true;
    h.queue.kick();
    await new Promise((r) => setImmediate(r));
    expect(h.lines).toEqual([]);
    expect(h.queue.size()).toBe(2);
    h.queue.kick();
    await Promise.all([a, b]);
    expect(await lines(h, 1)).toEqual([
      `@reply-parent-msg-id=m1 PRIVMSG #c :@user1 @user2 ${BODY}`,
    ]);

    const gone = h.queue.sendAnswer('nowhere', answerOf('clip-x', '3'));
    h.queue.dropChannel('nowhere', 'removed');
    await expect(gone).rejects.toBeInstanceOf(ChatNotReadyError);
  });
});

describe("SendQueue with Twitch's answers", () => {
  const viewer: ChannelStanding = { joined: true, moderator: false, privileged: false };
  type Reply = 'shown' | 'silent' | Notice;

  /** A queue whose lines reach a scripted Twitch, which answers each one like Twitch does. */
  function twitch(
    standing: Record<string, ChannelStanding>,
    answer: (text: string, n: number) => Reply,
    extra: Partial<SendQueueDeps> = {},
    /** How long Twitch takes to answer a line. */
    answerMs = 3,
  ) {
    const sent: { at: number; channel: string; text: string }[] = [];
    /** What crossed the wire, in order: "sent #c text", "shown #c", "refused #c msg_id". */
    const wire: string[] = [];
    const blocked: { channel: string; rejection: Rejection }[] = [];
    const state = { connected: true };
    const verdicts = extra.verdicts ?? new Verdicts(200);
    const queue = new SendQueue({
      answerHoldMs: 0,
      limits: { ...TWITCH_LIMITS, channelSpacingMs: 10, marginMs: 2 },
      log: silentLogger(),
      connected: () => state.connected,
      standing: (c) => standing[c] ?? { joined: false, moderator: false, privileged: false },
      transmit: async (line) => {
        const m = /PRIVMSG #(\w+) :(.*)$/u.exec(line)!;
        const channel = m[1]!;
        const text = m[2]!;
        sent.push({ at: Date.now(), channel, text });
        wire.push(`sent #${channel} ${text}`);
        const a = answer(text, sent.length);
        // Twitch answers on the same connection, a moment later.
        setTimeout(() => {
          if (a === 'shown') {
            wire.push(`shown #${channel}`);
            verdicts.shown(channel);
          } else if (a !== 'silent') {
            wire.push(`refused #${channel} ${a.msgId}`);
            verdicts.refused(channel, readRejection(a.msgId, a.text)!);
          }
        }, answerMs);
      },
      verdicts,
      onChannelRefused: (channel, rejection) => blocked.push({ channel, rejection }),
      retryAfterRefusalMs: 20,
      ...extra,
    });
    return { queue, sent, wire, blocked, state, verdicts };
  }

  it("is done when Twitch shows a message, and a channel's next one waits for that", async () => {
    const t = twitch({ a: mod, b: mod }, () => 'shown');
    // Order of events, not timestamps: the queue sends #a's next message in the same tick
    // as it resolves the first, so a clock read in a .then can come after that send.
    let firstDoneAfter = -1;
    const first = t.queue.send('a', 'one').then(() => (firstDoneAfter = t.wire.length));
    const second = t.queue.send('a', 'two');
    const other = t.queue.send('b', 'elsewhere');
    await new Promise((r) => setImmediate(r));
    // The other channel does not wait for #a's answer.
    expect(t.wire).toEqual(['sent #a one', 'sent #b elsewhere']);
    expect(firstDoneAfter).toBe(-1);
    await Promise.all([first, second, other]);
    expect(t.sent.map((m) => m.text)).toEqual(['one', 'elsewhere', 'two']);
    // #a's second message left only after Twitch showed the first; the first was done then.
    const shownA = t.wire.indexOf('shown #a');
    expect(shownA).toBeGreaterThan(-1);
    expect(t.wire.indexOf('sent #a two')).toBeGreaterThan(shownA);
    expect(firstDoneAfter).toBeGreaterThan(shownA);
  });

  it('sends a message refused as a repeat again, in its other form', async () => {
    const t = twitch({ c: viewer }, (_text, n) => (n === 1 ? REFUSAL.r9k() : 'shown'));
    await t.queue.send('c', 'same words');
    expect(t.sent.map((m) => m.text)).toEqual(['same words', 'same words \u034f']);
    // And the other way round when the suffixed form was the repeat.
    const u = twitch({ c: viewer }, (_t, n) => (n === 2 ? REFUSAL.duplicate() : 'shown'));
    await u.queue.send('c', 'x');
    await u.queue.send('c', 'x');
    expect(u.sent.map((m) => m.text)).toEqual(['x', 'x \u034f', 'x']);
  });

  it('waits longer after each "too fast", and gives up after maxRefusals', async () => {
    fakeClock();
    const t = twitch({ c: viewer }, (_t, n) => (n <= 3 ? REFUSAL.rateLimit() : 'shown'));
    await drained(t.queue.send('c', 'patient'));
    expect(t.sent).toHaveLength(4);
    const waited = gaps(t.sent.map((m) => m.at));
    expect(waited[0]).toBeGreaterThanOrEqual(20);
    expect(waited[1]).toBeGreaterThanOrEqual(40);
    expect(waited[2]).toBeGreaterThanOrEqual(80);

    const u = twitch(
      { c: viewer },
      (text) => (text.startsWith('never') ? REFUSAL.rateLimit() : 'shown'),
      {
        maxRefusals: 2,
        retryAfterRefusalMs: 5,
      },
    );
    const never = u.queue.send('c', 'never shown').catch((e: unknown) => e);
    const next = u.queue.send('c', 'next');
    const err = await drained(never);
    expect(err).toBeInstanceOf(ChatRefusedError);
    // Worth trying again later: not an UndeliverableError.
    expect(isUndeliverable(err)).toBe(false);
    await drained(next);
    expect(u.sent.map((m) => m.text)).toEqual(['never shown', 'never shown', 'next']);
  });

  it('waits as long as slow mode says after a slow-mode refusal', async () => {
    fakeClock();
    const slow = { msgId: 'msg_slowmode', text: REFUSAL.slowMode(0).text };
    const t = twitch({ c: viewer }, (_t, n) => (n === 1 ? slow : 'shown'));
    await drained(t.queue.send('c', 'a'));
    expect(t.sent).toHaveLength(2);
    // "0 seconds" from Twitch: no backoff (retryAfterRefusalMs, 20) beyond the spacing.
    expect(t.sent[1]!.at - t.sent[0]!.at).toBeLessThan(20);
  });

  it("spaces a non-privileged bot's messages as slow mode wants", async () => {
    fakeClock();
    const t = twitch({ c: { ...viewer, slowMs: 60 }, m: { ...mod, slowMs: 60 } }, () => 'shown');
    await drained(Promise.all([t.queue.send('c', '1'), t.queue.send('c', '2')]));
    expect(t.sent[1]!.at - t.sent[0]!.at).toBeGreaterThanOrEqual(60);
    // A moderator is not slowed (the adapter gives it no slowMs; the queue ignores it anyway).
    await drained(Promise.all([t.queue.send('m', '1'), t.queue.send('m', '2')]));
    expect(t.sent[3]!.at - t.sent[2]!.at).toBeLessThan(60);
  });

  it('fails everything waiting in a channel that refuses the bot for good', async () => {
    const t = twitch({ c: viewer, d: viewer }, (_t, n) =>
      n === 1 ? REFUSAL.followersOnlyZero('c') : 'shown',
    );
    const results = await Promise.all(
      [
        t.queue.send('c', 'first'),
        t.queue.sendAnswer('c', { key: 'k', body: 'b', to: [{ id: '1', mention: '@a' }] }),
        t.queue.send('d', 'elsewhere'),
      ].map((p) =>
        p.then(
          () => 'ok',
          (e: unknown) => e,
        ),
      ),
    );
    for (const err of results.slice(0, 2)) {
      expect(isUndeliverable(err)).toBe(true);
      expect((err as { reason: string }).reason).toBe('followers_only');
    }
    expect(results[2]).toBe('ok');
    expect(t.blocked.map((b) => [b.channel, b.rejection.msgId])).toEqual([
      ['c', 'msg_followersonly_zero'],
    ]);
    expect(t.sent.map((m) => m.text)).toEqual(['first', 'elsewhere']);
  });

  it('fails only the message a refusal was about when it concerns that message alone', async () => {
    const automod = { msgId: 'msg_rejected_mandatory', text: 'not posted' };
    const t = twitch({ c: viewer }, (_t, n) => (n === 1 ? automod : 'shown'));
    const bad = t.queue.send('c', 'bad words').catch((e: unknown) => e);
    const good = t.queue.send('c', 'good words');
    expect((await bad) as { reason?: string }).toMatchObject({ reason: 'automod' });
    await good;
    expect(t.blocked).toEqual([]);
  });

  it('fails what waits for a channel the adapter knows refuses the bot, sending nothing', async () => {
    const refused = new Set<string>();
    const t = twitch({ c: viewer }, () => 'shown', {
      refusal: (c) =>
        refused.has(c) ? { reason: 'subs_only', message: `#${c} is subscribers-only` } : undefined,
    });
    refused.add('c');
    const err = await t.queue.send('c', 'x').catch((e: unknown) => e);
    expect(isUndeliverable(err)).toBe(true);
    expect((err as { reason: string }).reason).toBe('subs_only');
    expect(t.sent).toEqual([]);
  });

  it('spaces a channel from when Twitch answered, for a line held up on its way', async () => {
    fakeClock();
    // Twitch answers 50 ms after the line left: it may have arrived as late as that.
    const t = twitch({ c: viewer }, () => 'shown', {}, 50);
    await drained(Promise.all([t.queue.send('c', '1'), t.queue.send('c', '2')]));
    // Spacing 10 ms plus the 2 ms margin, from the answer.
    expect(t.sent[1]!.at - t.sent[0]!.at).toBe(50 + 12);
  });

  it('counts a message Twitch never answers as shown once the window is over', async () => {
    fakeClock();
    const t = twitch({ c: mod }, () => 'silent', { verdicts: new Verdicts(40) });
    const started = Date.now();
    let done = false;
    const quiet = t.queue.send('c', 'quiet').then(() => (done = true));
    await vi.advanceTimersByTimeAsync(39);
    expect(done).toBe(false);
    await drained(quiet);
    expect(Date.now() - started).toBe(40);
  });

  it('sends a message again when the connection closed before Twitch answered', async () => {
    const t = twitch({ c: mod }, (_t, n) => (n === 1 ? 'silent' : 'shown'));
    const p = t.queue.send('c', 'again');
    await new Promise((r) => setImmediate(r));
    t.state.connected = false;
    t.verdicts.lost();
    await new Promise((r) => setImmediate(r));
    t.state.connected = true;
    t.queue.kick();
    await p;
    expect(t.sent.map((m) => m.text)).toEqual(['again', 'again']);
  });
});

/** Time between each two events. */
function gaps(times: number[]): number[] {
  return times.slice(1).map((at, i) => at - times[i]!);
}
