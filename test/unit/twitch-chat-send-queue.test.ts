import { describe, expect, it } from 'vitest';
import { ChatNotReadyError, ChatStoppedError } from '../../src/chat/twitch/errors.js';
import { RateWindow, TWITCH_LIMITS } from '../../src/chat/twitch/limits.js';
import { CONTENT_BUDGET } from '../../src/chat/twitch/text.js';
import type { Answer } from '../../src/chat/twitch/answer-merge.js';
import {
  SendQueue,
  type ChannelStanding,
  type SendQueueDeps,
} from '../../src/chat/twitch/send-queue.js';
import { silentLogger } from '../../src/logger.js';

function harness(
  standing: Record<string, ChannelStanding>,
  merging: Pick<SendQueueDeps, 'answerHoldMs' | 'maxMessagesPerAnswer'> = {},
) {
  const lines: string[] = [];
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
    },
  });
  return { queue, lines, state };
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
    const h = harness({ c: { joined: true, moderator: false, privileged: false } });
    const started = Date.now();
    await Promise.all([
      h.queue.send('c', 'same'),
      h.queue.send('c', 'same'),
      h.queue.send('c', 'same'),
    ]);
    expect(h.lines).toEqual(['PRIVMSG #c :same', 'PRIVMSG #c :same \u{E0000}', 'PRIVMSG #c :same']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * 25 - 5);
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
    const h = harness({ m: mod }, { answerHoldMs: 1_000, maxMessagesPerAnswer: 100 });
    const started = Date.now();
    const ids = Array.from({ length: 150 }, (_, i) => String(i));
    await h.queue.sendAnswer('m', answerOf('clip-x', ...ids));
    expect(h.lines.length).toBeGreaterThan(2);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it("holds a clip's next answer briefly where nothing else spaces messages", async () => {
    const h = harness({ m: mod }, { answerHoldMs: 60 });
    const started = Date.now();
    await h.queue.sendAnswer('m', answerOf('clip-x', '1'));
    // Another clip is not held back by clip-x.
    await h.queue.sendAnswer('m', answerOf('clip-y', '9'));
    expect(Date.now() - started).toBeLessThan(50);
    const later = [
      h.queue.sendAnswer('m', answerOf('clip-x', '2')),
      h.queue.sendAnswer('m', answerOf('clip-x', '3')),
    ];
    await new Promise((r) => setTimeout(r, 10));
    const last = h.queue.sendAnswer('m', answerOf('clip-x', '4'));
    await Promise.all([...later, last]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect(h.lines.slice(2)).toEqual([
      `@reply-parent-msg-id=m2 PRIVMSG #m :@user2 @user3 @user4 ${BODY}`,
    ]);
  });

  it('holds an answer that arrived while the previous one was on the wire', async () => {
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
        if (gated) await new Promise<void>((r) => (release = r));
        gated = false;
        lines.push({ at: Date.now(), line });
      },
    });
    const first = queue.sendAnswer('m', answerOf('clip-x', '1'));
    const during = queue.sendAnswer('m', answerOf('clip-x', '2'));
    await new Promise((r) => setTimeout(r, 5));
    release();
    await Promise.all([first, during]);
    expect(lines.map((l) => l.line)).toEqual([
      `@reply-parent-msg-id=m1 PRIVMSG #m :@user1 ${BODY}`,
      `@reply-parent-msg-id=m2 PRIVMSG #m :@user2 ${BODY}`,
    ]);
    expect(lines[1]!.at - lines[0]!.at).toBeGreaterThanOrEqual(70);
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
