import { describe, expect, it } from 'vitest';
import { MAX_CLIP_TITLE } from '../../commands/clip-title.js';
import { autoClipTitle } from '../../src/app/build-autoclip.js';
import { AutoClipper, type AutoClipFire } from '../../src/autoclip/index.js';
import type { LiveStatus } from '../../src/clips/live-status-table.js';
import { DEFAULT_CHANNEL_SETTINGS } from '../../src/core/channel-settings.js';
import type { ClipRequest } from '../../src/core/clip.js';
import { silentLogger } from '../../src/logger.js';

/**
 * An automatic clip's title: the channel's template with the carrying token as `{title}`
 * (else the stream title) and the game, both from the live table's entry (no Helix call).
 */

const CHANNEL = '1001';

function liveEntry(over: Partial<LiveStatus> = {}): LiveStatus {
  const now = Date.now();
  return {
    live: true,
    userId: CHANNEL,
    title: 'Speedrun any% - world record pace',
    gameName: 'Celeste',
    checkedAt: now,
    trustUntil: now + 60_000,
    ...over,
  };
}

/** The title the clipper asks for, given the template, the fire and the table's entry. */
async function titleOf(
  template: string,
  fire: Pick<AutoClipFire, 'kind' | 'token'>,
  entry: LiveStatus = liveEntry(),
): Promise<string | undefined> {
  const asked: ClipRequest[] = [];
  const clipper = new AutoClipper({
    clips: {
      request: async (req) => {
        asked.push(req);
        return { jobId: 'j1', joined: false };
      },
    },
    settings: {
      get: async () => ({
        ...DEFAULT_CHANNEL_SETTINGS,
        autoEnabled: true,
        titleTemplate: template,
      }),
    },
    live: { trusted: async () => entry },
    bot: () => ({ id: '9', displayName: 'ClipBot' }),
    title: autoClipTitle,
    log: silentLogger(),
  });
  const now = Date.now();
  const answer = await clipper.fire(
    { channel: CHANNEL, startedAt: now - 5_000, firedAt: now, ...fire },
    { login: 'streamer', displayName: 'Streamer' },
  );
  expect(answer).toEqual({ jobId: 'j1', joined: false });
  expect(asked).toHaveLength(1);
  return asked[0]!.title;
}

describe('automatic clip titles', () => {
  it('{game} is the game the live table heard; {title} the token that carried the moment', async () => {
    expect(await titleOf('{title} | {game}', { kind: 'emote', token: 'PogChamp' })).toBe(
      'PogChamp | Celeste',
    );
    expect(await titleOf('{channel} playing {game}', { kind: 'word', token: 'kekw' })).toBe(
      'Streamer playing Celeste',
    );
  });

  it('with no token (a rate or support burst), {title} is the stream title', async () => {
    expect(await titleOf('{title} ({game})', { kind: 'rate' })).toBe(
      'Speedrun any% - world record pace (Celeste)',
    );
    expect(await titleOf('{title} ({game})', { kind: 'support' })).toBe(
      'Speedrun any% - world record pace (Celeste)',
    );
    // The plain default template: Twitch's own default title, which is the stream title.
    expect(await titleOf('{title}', { kind: 'rate' })).toBeUndefined();
    expect(await titleOf('{title}', { kind: 'word', token: 'kekw' })).toBe('kekw');
  });

  it('an entry without the stream words (written before they were kept) leaves them empty', async () => {
    const old = liveEntry();
    delete old.title;
    delete old.gameName;
    expect(await titleOf('{title} {game} clip', { kind: 'rate' }, old)).toBe('clip');
    expect(await titleOf('{title} {game} clip', { kind: 'word', token: 'kekw' }, old)).toBe(
      'kekw clip',
    );
  });

  it('a long game, template and token are cut to 100 characters, never refused', async () => {
    const game = 'Tom Clancy’s Rainbow Six Siege: Operation Deadly Long Name Edition';
    const template = `{title} — {game} — clipped live on {channel} by {user} — best of the week!`;
    const token = 'aVeryLongWordThatChatSpammedTogether';
    const title = await titleOf(template, { kind: 'word', token }, liveEntry({ gameName: game }));
    expect(title).toBeDefined();
    expect(Array.from(title!)).toHaveLength(MAX_CLIP_TITLE);
    expect(title!.startsWith(`${token} — Tom Clancy’s`)).toBe(true);
    expect(title!.endsWith('…')).toBe(true);
    const bare = await titleOf(template, { kind: 'rate' }, liveEntry({ title: 'x'.repeat(140) }));
    expect(Array.from(bare!)).toHaveLength(MAX_CLIP_TITLE);
  });
});
