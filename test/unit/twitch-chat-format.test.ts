import { describe, expect, it } from 'vitest';
import {
  composeMessage,
  mentions,
  NOT_PUBLISHED_TEXT,
  resultBody,
} from '../../src/chat/twitch/format.js';
import { CONTENT_BUDGET } from '../../src/chat/twitch/text.js';
import { FAILURE_TEXT, TITLE_DROPPED_TEXT } from '../../src/clips/reasons.js';
import type { ClipOutcome, ClipRequest, ClipResult, FailureReason } from '../../src/core/clip.js';

const result = (outcome: ClipOutcome, vodLink?: string): ClipResult => ({
  jobId: 'j',
  broadcasterId: '1',
  broadcasterLogin: 's',
  broadcasterName: 'S',
  outcome,
  finishedAt: 0,
  ...(vodLink ? { vodLink } : {}),
});

const req = (displayName: string, userId: string): ClipRequest => ({
  requestId: userId,
  broadcasterId: '1',
  broadcasterLogin: 's',
  broadcasterName: 'S',
  requester: { platform: 'twitch', userId, displayName },
  replyTo: { platform: 'twitch', channel: 's' },
  requestedAt: 0,
});

const clip = {
  id: 'X',
  url: 'https://clips.twitch.tv/X',
  editUrl: 'https://clips.twitch.tv/X/edit',
  title: 't',
  broadcasterName: 'S',
};

describe('resultBody', () => {
  it('gives the watch and edit links of a created clip, and says when the title was dropped', () => {
    expect(resultBody(result({ status: 'created', clip }))).toBe(
      'Clip: https://clips.twitch.tv/X (edit: https://clips.twitch.tv/X/edit)',
    );
    expect(resultBody(result({ status: 'created', clip, titleDropped: true }))).toBe(
      `Clip: https://clips.twitch.tv/X (edit: https://clips.twitch.tv/X/edit) ${TITLE_DROPPED_TEXT}`,
    );
  });

  it('gives the watch link, the edit link and the VOD moment of a clip not visible yet', () => {
    const body = resultBody(
      result({ status: 'not_visible', clipId: 'X', editUrl: 'https://e/X' }, 'https://v/1?t=1h'),
    );
    // The edit link opens for the bot's account only: viewers need where the clip will be.
    expect(body).toBe(
      'Twitch accepted the clip but has not published it yet; it may still appear here: https://clips.twitch.tv/X (edit: https://e/X) VOD: https://v/1?t=1h',
    );
    expect(body.startsWith(NOT_PUBLISHED_TEXT)).toBe(true);
    // An id is put in the URL as a path segment, never as something else.
    expect(
      resultBody(result({ status: 'not_visible', clipId: 'a/b?c', editUrl: 'https://e/X' })),
    ).toContain('https://clips.twitch.tv/a%2Fb%3Fc ');
  });

  it('explains every failure reason', () => {
    for (const reason of Object.keys(FAILURE_TEXT) as FailureReason[]) {
      if (reason === 'too_late') continue;
      expect(resultBody(result({ status: 'failed', reason }))).toBe(
        `No clip: ${FAILURE_TEXT[reason]}`,
      );
    }
    expect(resultBody(result({ status: 'failed', reason: 'offline' }, 'https://v/2'))).toContain(
      'VOD: https://v/2',
    );
  });

  it('says plainly that a late request missed its moment, and where it is in the VOD', () => {
    expect(
      resultBody(result({ status: 'failed', reason: 'too_late' }, 'https://v/3?t=0h9m50s')),
    ).toBe("Couldn't clip that moment in time; here it is in the VOD: https://v/3?t=0h9m50s");
    expect(resultBody(result({ status: 'failed', reason: 'too_late' }))).toBe(
      "Couldn't clip that moment in time, and this stream keeps no VOD to find it in.",
    );
  });
});

describe('mentions', () => {
  it('names each requester once, as one word', () => {
    expect(
      mentions([
        req('Alice', '1'),
        req('Bob Builder', '2'),
        req('Alice', '1'),
        req('@@Eve\n', '3'),
      ]),
    ).toEqual(['@Alice', '@BobBuilder', '@Eve']);
  });
});

describe('composeMessage', () => {
  it('names everyone when they fit', () => {
    expect(composeMessage(['@a', '@b'], 'body')).toBe('@a @b body');
  });

  it('adds "+N others" for the names that do not fit', () => {
    const names = Array.from({ length: 100 }, (_, i) => `@name_number_${i}`);
    const msg = composeMessage(names, 'Clip: https://clips.twitch.tv/X');
    expect(msg.length).toBeLessThanOrEqual(CONTENT_BUDGET);
    const kept = msg.split(' ').filter((w) => w.startsWith('@')).length;
    expect(msg).toContain(` +${100 - kept} others Clip: `);
    expect(msg.startsWith('@name_number_0 @name_number_1 ')).toBe(true);
  });

  it('keeps every name when dropping the last would need a longer "+1 other"', () => {
    // Exactly fits with all names; "+1 other" is longer than the last name.
    const body = 'b'.repeat(20);
    const names = ['@aaaa', '@b'];
    const max = names.join(' ').length + 1 + body.length;
    expect(composeMessage(names, body, max)).toBe(`@aaaa @b ${body}`);
  });

  it('cuts the body only when not even one name fits beside it', () => {
    const msg = composeMessage(['@a', '@b'], 'x'.repeat(600));
    expect(msg.length).toBeLessThanOrEqual(CONTENT_BUDGET);
    expect(msg.startsWith('@a +1 other x')).toBe(true);
    expect(msg.endsWith('\u2026')).toBe(true);
  });
});
