import { describe, expect, it } from 'vitest';
import { nextAnswerMessage, type Answer } from '../../src/chat/twitch/answer-merge.js';
import { JOINED_NOTE, mention } from '../../src/chat/twitch/format.js';
import { CONTENT_BUDGET } from '../../src/chat/twitch/text.js';

const BODY = 'Clip: https://clips.twitch.tv/X (edit: https://clips.twitch.tv/X/edit)';

function answer(...people: [id: string, name: string, parent?: string][]): Answer {
  return {
    key: 'job',
    body: BODY,
    to: people.map(([id, name, parent]) => ({
      id,
      mention: mention(name),
      ...(parent ? { parentMessageId: parent } : {}),
    })),
  };
}

describe('nextAnswerMessage', () => {
  it('names everyone of several answers once, threaded under the first named one', () => {
    const msg = nextAnswerMessage([
      answer(['1', 'Alice']),
      answer(['2', 'Bob', 'm-bob'], ['1', 'Alice', 'm-alice-again']),
      answer(['3', 'Carol', 'm-carol']),
    ]);
    expect(msg.text).toBe(`@Alice @Bob @Carol ${BODY}`);
    // Alice's answer carried no message to thread under; Bob's is the first that does.
    expect(msg.parentMessageId).toBe('m-bob');
    expect([...msg.answered].sort()).toEqual(['1', '2', '3']);
  });

  it('leaves the names that do not fit for the next message', () => {
    const people = Array.from(
      { length: 80 },
      (_, i) => [String(i), `viewer_${i}`, `m${i}`] as [string, string, string],
    );
    const msg = nextAnswerMessage([answer(...people)]);
    expect(msg.text.length).toBeLessThanOrEqual(CONTENT_BUDGET);
    expect(msg.text).not.toMatch(/\+\d+ other/);
    const named = msg.text.split(' ').filter((w) => w.startsWith('@'));
    expect(named.length).toBe(msg.answered.size);
    expect(named[0]).toBe('@viewer_0');
    // One more name would not have fitted.
    expect(msg.text.length + ` @viewer_${named.length}`.length).toBeGreaterThan(CONTENT_BUDGET);
    expect(msg.parentMessageId).toBe('m0');
  });

  it('as the last message, counts who does not fit as "+N others" and answers everyone', () => {
    const people = Array.from(
      { length: 80 },
      (_, i) => [String(i), `viewer_${i}`] as [string, string],
    );
    const msg = nextAnswerMessage([answer(...people.slice(0, 50)), answer(...people.slice(50))], {
      last: true,
    });
    expect(msg.answered.size).toBe(80);
    const named = msg.text.split(' ').filter((w) => w.startsWith('@')).length;
    expect(msg.text).toContain(` +${80 - named} others ${BODY}`);
    expect(msg.text.length).toBeLessThanOrEqual(CONTENT_BUDGET);
  });

  it('answers a requester whose name has nothing sendable without naming them', () => {
    const msg = nextAnswerMessage([answer(['1', '\u0007 \u200b'], ['2', 'Bob'])]);
    expect(msg.text).toBe(`@Bob ${BODY}`);
    expect(msg.answered).toEqual(new Set(['1', '2']));
  });

  it('always takes one name, cutting a body that leaves no room', () => {
    const long: Answer = { key: 'k', body: 'x'.repeat(600), to: answer(['1', 'Alice']).to };
    const msg = nextAnswerMessage([long]);
    expect(msg.answered).toEqual(new Set(['1']));
    expect(msg.text.startsWith('@Alice x')).toBe(true);
    expect(msg.text.length).toBeLessThanOrEqual(CONTENT_BUDGET);
  });

  it('says once per message that someone joined a clip already being made', () => {
    const a = answer(['1', 'Ann'], ['2', 'Bob']);
    a.to[1]!.joined = true;
    const b = answer(['3', 'Cid']);
    b.to[0]!.joined = true;
    const msg = nextAnswerMessage([a, b]);
    expect(msg.text).toBe(`@Ann @Bob @Cid ${BODY} ${JOINED_NOTE}`);
    // Nobody named joined: no note.
    expect(nextAnswerMessage([answer(['1', 'Ann'])]).text).toBe(`@Ann ${BODY}`);
  });

  it('keeps room for the note, and leaves it out when the one who joined waits', () => {
    const people = Array.from(
      { length: 80 },
      (_, i) => [String(i), `viewer_${i}`] as [string, string],
    );
    const a = answer(...people);
    a.to[79]!.joined = true;
    const first = nextAnswerMessage([a]);
    expect(first.answered.has('79')).toBe(false);
    expect(first.text).not.toContain(JOINED_NOTE);
    expect(first.text.length).toBeLessThanOrEqual(CONTENT_BUDGET);
    const last = nextAnswerMessage([a], { last: true });
    expect(last.text.endsWith(`${BODY} ${JOINED_NOTE}`)).toBe(true);
    expect(last.text.length).toBeLessThanOrEqual(CONTENT_BUDGET);
  });
});
