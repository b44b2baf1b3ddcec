import { describe, expect, it } from 'vitest';
import type { ReplyEnvelope } from '../../src/core/clip.js';
import {
  REPLY_FIELDS,
  decodeClipRequest,
  decodeReplyEntry,
  encodeReplyEntry,
} from '../../src/core/reply-envelope.js';

const request = {
  requestId: 'r1',
  broadcasterId: '1',
  broadcasterLogin: 'streamer',
  broadcasterName: 'Streamer',
  requester: { platform: 'twitch' as const, userId: '7', displayName: 'Ann' },
  replyTo: { platform: 'twitch' as const, channel: 'streamer' },
  requestedAt: 1_700_000_000_000,
};
const envelope: ReplyEnvelope = {
  platform: 'discord',
  requests: [request, { ...request, requestId: 'r2' }],
  result: {
    jobId: 'clip-1',
    broadcasterId: '1',
    broadcasterLogin: 'streamer',
    broadcasterName: 'Streamer',
    outcome: { status: 'failed', reason: 'offline' },
    finishedAt: 1_700_000_001_000,
  },
  post: { guildId: 'g', channelId: 'c' },
};

describe('reply envelope codec', () => {
  it('decodes what it encodes, one field per request, in order', () => {
    const fields = encodeReplyEntry(envelope);
    expect(fields.filter((f) => f === REPLY_FIELDS.request)).toHaveLength(2);
    expect(decodeReplyEntry(fields)).toEqual(envelope);
    // Field order does not matter: the join script appends the result last.
    const [p, pv, r, rv, ...rest] = fields;
    expect(decodeReplyEntry([p!, pv!, ...rest, r!, rv!])).toEqual(envelope);
  });

  it('still reads entries queued by the version that stored one JSON field', () => {
    expect(decodeReplyEntry(['e', JSON.stringify(envelope)])).toEqual(envelope);
  });

  it('refuses damaged entries instead of handing them to a sender', () => {
    const fields = encodeReplyEntry(envelope);
    expect(decodeReplyEntry(null)).toBeUndefined();
    expect(decodeReplyEntry(fields.filter((_, i) => i > 1))).toBeUndefined();
    expect(
      decodeReplyEntry(fields.map((f) => (f.includes('offline') ? '{oops' : f))),
    ).toBeUndefined();
    expect(decodeReplyEntry(['platform', 'irc', ...fields.slice(2)])).toBeUndefined();
  });

  it('reads a stored request only with who asked and where to answer', () => {
    expect(decodeClipRequest(JSON.stringify(request))).toEqual(request);
    expect(decodeClipRequest(JSON.stringify({ ...request, requester: undefined }))).toBeUndefined();
    expect(decodeClipRequest('not json')).toBeUndefined();
  });
});
