import { describe, expect, it } from 'vitest';
import { SendQueue, type ChannelStanding } from '../../src/chat/twitch/send-queue.js';
import { TWITCH_LIMITS } from '../../src/chat/twitch/limits.js';
import { silentLogger } from '../../src/logger.js';

/**
 * An answer is recorded as sent (answer-marks.ts) before its line leaves, not after: a process
 * killed right after writing the line would otherwise leave no mark, and the process taking
 * its reply over would say it again (seen in test/e2e/several-processes.test.ts, kill -9
 * right after the answer showed in chat).
 */

const mod: ChannelStanding = { joined: true, moderator: true, privileged: true };

function queueWith(lines: string[]): SendQueue {
  return new SendQueue({
    answerHoldMs: 0,
    limits: TWITCH_LIMITS,
    log: silentLogger(),
    connected: () => true,
    standing: () => mod,
    transmit: async (line) => {
      lines.push(line);
    },
  });
}

describe('SendQueue: an answer is marked before its line is written', () => {
  it('writes no line until the mark is recorded', async () => {
    const lines: string[] = [];
    const queue = queueWith(lines);
    let recordMark!: () => void;
    const marked = new Promise<void>((r) => (recordMark = r));
    let linesWhenMarking: number | undefined;
    const sent = queue.sendAnswer(
      'c',
      { key: 'clip-1', body: 'Clip: https://clips.twitch.tv/x', to: [{ id: '1', mention: '@a' }] },
      () => {
        linesWhenMarking = lines.length;
        return marked;
      },
    );
    // The mark is under way: the line waits for it.
    await new Promise((r) => setTimeout(r, 20));
    expect(linesWhenMarking).toBe(0);
    expect(lines).toEqual([]);
    recordMark();
    await sent;
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('clips.twitch.tv/x');
    queue.stop();
  });

  it('every answer sharing a message is marked before that message is written', async () => {
    const lines: string[] = [];
    const queue = queueWith(lines);
    const markedAt: number[] = [];
    const mark = () => async () => {
      await new Promise((r) => setTimeout(r, 5));
      markedAt.push(lines.length);
    };
    // The first answer's mark keeps the queue busy: the next two wait and share a message.
    const first = queue.sendAnswer(
      'c',
      { key: 'other', body: 'First', to: [{ id: '0', mention: '@z' }] },
      mark(),
    );
    await Promise.all([
      first,
      queue.sendAnswer('c', { key: 'k', body: 'Clip', to: [{ id: '1', mention: '@a' }] }, mark()),
      queue.sendAnswer('c', { key: 'k', body: 'Clip', to: [{ id: '2', mention: '@b' }] }, mark()),
    ]);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/@a.*@b|@b.*@a/);
    expect(markedAt).toEqual([0, 1, 1]);
    queue.stop();
  });
});
