import { describe, expect, it } from 'vitest';
import { joinedAnotherClip, unmetAsk } from '../../src/chat/twitch/joined-clip.js';
import type { ClipOutcome, ClipRequest, ClipResult } from '../../src/core/clip.js';

const request = (ask: { title?: string; duration?: number } = {}): ClipRequest => ({
  requestId: 'r',
  broadcasterId: '1',
  broadcasterLogin: 's',
  broadcasterName: 'S',
  requester: { platform: 'twitch', userId: 'u', displayName: 'U' },
  replyTo: { platform: 'twitch', channel: 's' },
  requestedAt: 0,
  ...ask,
});

const created = (title: string, duration?: number, titleDropped = false): ClipOutcome => ({
  status: 'created',
  clip: {
    id: 'X',
    url: 'https://clips.twitch.tv/X',
    editUrl: 'https://clips.twitch.tv/X/edit',
    title,
    broadcasterName: 'S',
    ...(duration !== undefined ? { duration } : {}),
  },
  ...(titleDropped ? { titleDropped } : {}),
});

const result = (outcome: ClipOutcome, requested?: ClipResult['requested']): ClipResult => ({
  jobId: 'j',
  broadcasterId: '1',
  broadcasterLogin: 's',
  broadcasterName: 'S',
  outcome,
  finishedAt: 0,
  ...(requested ? { requested } : {}),
});

describe('unmetAsk', () => {
  it('compares with what the job asked Twitch for, when the result carries it', () => {
    const r = result(created('Stream title', 30), { duration: 30 });
    expect(unmetAsk(r, request({ duration: 30 }))).toBeUndefined();
    expect(unmetAsk(r, request({ duration: 45 }))).toEqual({ duration: 45 });
    // The job took Twitch's default title: a requester's own title was not used.
    expect(unmetAsk(r, request({ title: 'mine', duration: 30 }))).toEqual({ title: 'mine' });
    const titled = result(created('Epic  Play', 30), { title: 'Epic Play', duration: 30 });
    expect(unmetAsk(titled, request({ title: ' epic play ' }))).toBeUndefined();
    // Also for a clip Twitch has not published yet.
    const late = result({ status: 'not_visible', clipId: 'X', editUrl: 'e' }, { duration: 20 });
    expect(unmetAsk(late, request({ duration: 60 }))).toEqual({ duration: 60 });
  });

  it('compares with the clip itself otherwise, allowing Twitch its fraction of a second', () => {
    expect(unmetAsk(result(created('t', 29.6)), request({ title: 't', duration: 30 }))).toBe(
      undefined,
    );
    expect(unmetAsk(result(created('t', 29.6)), request({ duration: 45 }))).toEqual({
      duration: 45,
    });
    expect(unmetAsk(result(created('other', 30)), request({ title: 't' }))).toEqual({
      title: 't',
    });
  });

  it('does not guess: no clip, a title AutoMod took away, nothing asked, nothing known', () => {
    expect(
      unmetAsk(result({ status: 'failed', reason: 'offline' }), request({ duration: 45 })),
    ).toBeUndefined();
    expect(
      unmetAsk(result(created('Stream title', 30, true)), request({ title: 'bad' })),
    ).toBeUndefined();
    expect(unmetAsk(result(created('whatever', 30)), request())).toBeUndefined();
    expect(unmetAsk(result(created('t')), request({ duration: 45 }))).toBeUndefined();
    const late = result({ status: 'not_visible', clipId: 'X', editUrl: 'e' });
    expect(joinedAnotherClip(late, request({ title: 'x', duration: 45 }))).toBe(false);
  });
});
