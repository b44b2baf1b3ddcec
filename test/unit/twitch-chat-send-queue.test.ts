import { describe, expect, it } from 'vitest';
import { ChatNotReadyError, ChatStoppedError } from '../../src/chat/twitch/errors.js';
import { RateWindow, TWITCH_LIMITS } from '../../src/chat/twitch/limits.js';
import { SendQueue, type ChannelStanding } from '../../src/chat/twitch/send-queue.js';
import { silentLogger } from '../../src/logger.js';

function harness(standing: Record<string, ChannelStanding>) {
  const lines: string[] = [];
  const state = { connected: true, failNext: false };
  const queue = new SendQueue({
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
