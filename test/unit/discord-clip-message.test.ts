import { describe, expect, it } from 'vitest';
import { askedBy, clipResultBody } from '../../src/chat/discord/clip-message.js';
import { FAILURE_TEXT, TITLE_DROPPED_TEXT } from '../../src/clips/reasons.js';
import type { ClipOutcome, ClipRequest, ClipResult } from '../../src/core/clip.js';
import { validateMessageBody } from '../../standins/discord/message-rules.js';

const req = (
  userId: string,
  displayName: string,
  platform: 'discord' | 'twitch' = 'discord',
): ClipRequest => ({
  requestId: `r-${userId}`,
  broadcasterId: '1',
  broadcasterLogin: 'streamer',
  broadcasterName: 'Streamer',
  duration: 20,
  requester: { platform, userId, displayName },
  replyTo:
    platform === 'discord'
      ? { platform, interactionId: `i-${userId}`, guildId: 'g', channelId: 'c' }
      : { platform, channel: 'streamer' },
  requestedAt: 0,
});

const result = (outcome: ClipOutcome, vodLink?: string): ClipResult => ({
  jobId: 'j',
  broadcasterId: '1',
  broadcasterLogin: 'streamer',
  broadcasterName: 'Streamer',
  outcome,
  ...(vodLink ? { vodLink } : {}),
  finishedAt: Date.parse('2024-05-01T12:00:00Z'),
});

describe('askedBy', () => {
  it('names each person once, and summarises long lists', () => {
    expect(askedBy([req('1', 'A'), req('1', 'A'), req('2', 'B'), req('3', 'C')])).toBe(
      'A, B and C',
    );
    const many = Array.from({ length: 13 }, (_, i) => req(String(i), `U${i}`));
    expect(askedBy(many)).toMatch(/^U0, .*U9 and 3 more$/);
  });
});

describe('clipResultBody', () => {
  it('carries everything needed without a player, and Discord accepts it', () => {
    const body = clipResultBody(
      result(
        {
          status: 'created',
          titleDropped: true,
          clip: {
            id: 'c',
            url: 'https://clips.twitch.tv/c',
            editUrl: 'https://clips.twitch.tv/c/edit',
            title: 't'.repeat(300),
            broadcasterName: 'Streamer',
            duration: 29.6,
          },
        },
        'https://www.twitch.tv/videos/1?t=1h2m3s',
      ),
      [req('1', 'A')],
      { kind: 'reply' },
    );
    validateMessageBody(body, 'create');
    expect(body.content).toBe('Clip of Streamer: <https://clips.twitch.tv/c>');
    const e = body.embeds[0];
    expect(e?.title).toHaveLength(256);
    expect(e?.description).toContain(TITLE_DROPPED_TEXT);
    expect(e?.thumbnail).toBeUndefined();
    const fields = Object.fromEntries((e?.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields.Duration).toBe('30 s');
    expect(fields.Links).toContain('(https://www.twitch.tv/videos/1?t=1h2m3s)');
    expect(e?.timestamp).toBe('2024-05-01T12:00:00.000Z');
  });

  it('explains a clip that is not published yet, with where it will appear and its edit link', () => {
    const body = clipResultBody(
      result({ status: 'not_visible', clipId: 'c', editUrl: 'https://clips.twitch.tv/c/edit' }),
      [req('1', 'A')],
      { kind: 'reply' },
    );
    validateMessageBody(body, 'create');
    // The edit link only opens for the bot's account: the watch link is what viewers need.
    expect(body.content).toBe(
      'Clip of Streamer is not published yet; it may still appear here: <https://clips.twitch.tv/c>',
    );
    expect(body.embeds[0]?.description).toBe(
      'Twitch accepted the clip but has not published it yet; it may still appear here: https://clips.twitch.tv/c',
    );
    const links = body.embeds[0]?.fields?.find((f) => f.name === 'Links')?.value;
    expect(links).toContain('[Where it will appear](https://clips.twitch.tv/c)');
    expect(links).toContain('[Edit (bot account)](https://clips.twitch.tv/c/edit)');
  });

  it('gives a line to each requester who joined a clip already being made', () => {
    const made: ClipOutcome = {
      status: 'created',
      clip: {
        id: 'c',
        url: 'https://clips.twitch.tv/c',
        editUrl: 'https://clips.twitch.tv/c/edit',
        title: 'First one',
        broadcasterName: 'Streamer',
        duration: 20,
      },
    };
    const starter = { ...req('1', 'Starter'), title: 'First one' };
    const late = { ...req('2', 'Late*Comer'), duration: 45 };
    const titled = { ...req('3', 'Titler'), title: 'my **own**' };
    const body = clipResultBody(
      { ...result(made), requested: { title: 'First one', duration: 20 } },
      [starter, late, titled, late],
      { kind: 'post' },
    );
    validateMessageBody(body, 'create');
    const lines = body.embeds[0]!.description!.split('\n');
    expect(lines.slice(1)).toEqual([
      'Late\\*Comer joined a clip already being made (asked for 45 s).',
      'Titler joined a clip already being made (asked for the title “my \\*\\*own\\*\\*”).',
    ]);
    // The one who started it gets no such line; neither does anyone on a plain reply.
    const alone = clipResultBody(result(made), [req('1', 'Solo')], { kind: 'reply' });
    expect(alone.embeds[0]!.description).toBe('A clip of Streamer on Twitch.');
    // A clip not published yet says it too.
    const pending = clipResultBody(
      {
        ...result({
          status: 'not_visible',
          clipId: 'c',
          editUrl: 'https://clips.twitch.tv/c/edit',
        }),
        requested: { duration: 20 },
      },
      [late],
      { kind: 'reply' },
    );
    expect(pending.embeds[0]!.description).toContain(
      'Late\\*Comer joined a clip already being made (asked for 45 s).',
    );
  });

  it('gives the reason and the VOD link on failure, naming askers in a post', () => {
    const body = clipResultBody(
      result({ status: 'failed', reason: 'clips_disabled' }, 'https://www.twitch.tv/videos/9'),
      [req('7', 'ChatFan', 'twitch')],
      { kind: 'post' },
    );
    expect(body.embeds).toEqual([]);
    expect(body.content).toBe(
      `Could not clip Streamer: ${FAILURE_TEXT.clips_disabled}\nAsked by ChatFan (in Twitch chat).\nThe moment in the stream's VOD: <https://www.twitch.tv/videos/9>`,
    );
    expect(body.allowed_mentions).toEqual({ parse: [] });
  });
});
