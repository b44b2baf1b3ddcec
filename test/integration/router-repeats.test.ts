import { describe, expect, it } from 'vitest';
import { GENERIC_FAILURE } from '../../src/chat/router.js';
import { waitFor } from '../helpers/pipeline-harness.js';
import {
  libraryFixtures,
  textOf,
  type LibraryFixture,
  type LibraryFixtureOptions,
} from './library-fixture.js';

/**
 * Informational commands in Twitch chat: a channel copying `!clips week` gets one answer
 * per window, not one per viewer (each would spend the bot's shared send budget and delay
 * the clip answers). Discord answers every interaction.
 */

const startFixture = libraryFixtures();

async function fixture(opts: LibraryFixtureOptions = {}): Promise<LibraryFixture> {
  const f = await startFixture(opts);
  f.standIn.seedClips('streamer', 3, {
    viewCount: (i) => (i + 1) * 100,
    createdAt: () => new Date(Date.now() - 3_600_000),
    title: (i) => `moment ${i}`,
  });
  return f;
}

const clipCalls = (f: LibraryFixture) => f.standIn.count('GET', '/clips');

describe('router: repeated informational commands in Twitch chat', () => {
  it('answers 25 viewers typing the same !clips week once, and asks Twitch once', async () => {
    const f = await fixture();
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) => f.twitch('clips week', { id: `u-crowd-${i}` })),
    );
    const answers = results.flatMap((r) => r.answers.map(textOf));
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatch(/^Top clips of Streamer in the last 7 days: 1\. moment 2/);
    expect(clipCalls(f)).toBe(1);

    // The same question in other words is the same call; a different one is answered.
    expect((await f.twitch('clips top weeks', { id: 'u-late' })).answers).toEqual([]);
    expect(textOf((await f.twitch('clips month', { id: 'u-late' })).answers[0])).toMatch(
      /^Top clips of Streamer in the last 30 days/,
    );
    expect(textOf((await f.twitch('cliphelp', { id: 'u-help-1' })).answers[0])).toContain('!clips');
    expect((await f.twitch('cliphelp', { id: 'u-help-2' })).answers).toEqual([]);
    expect((await f.twitch('vod', { id: 'u-vod-1' })).answers).toHaveLength(1);
    expect((await f.twitch('vod', { id: 'u-vod-2' })).answers).toEqual([]);

    // Moderators and the broadcaster are always answered.
    const mod = await f.twitch('clips week', { id: 'u-mod', role: 'moderator' });
    expect(textOf(mod.answers[0])).toMatch(/^Top clips of Streamer in the last 7 days/);
    const boss = await f.twitch('clips week', { id: f.streamer.id, role: 'broadcaster' });
    expect(boss.answers).toHaveLength(1);
  });

  it('keeps the window per channel, and answers every Discord interaction', async () => {
    const f = await fixture();
    const other = f.standIn.addUser({ login: 'other', displayName: 'Other' });
    expect((await f.twitch('clips week', { id: 'u-1' })).answers).toHaveLength(1);
    expect((await f.twitch('clips week', { id: 'u-2' }, other)).answers).toHaveLength(1);

    await f.services.links.link('g1', f.streamer);
    for (let i = 0; i < 3; i++) {
      const { answers } = await f.discord('clips', 'top', { period: 'week' });
      expect(textOf(answers[0])).toMatch(/^Top clips of Streamer in the last 7 days/);
    }
  });

  it('answers again once the window has passed', async () => {
    // The window must outlast the first answer (a Get Clips round trip) and the second
    // request, however slow a busy machine makes them: 2 s, not a few hundred ms.
    const f = await fixture({ repeatAnswerS: 2 });
    expect((await f.twitch('clips all', { id: 'u-1' })).answers).toHaveLength(1);
    expect((await f.twitch('clips all', { id: 'u-2' })).answers).toEqual([]);
    let later: string[] = [];
    await waitFor(
      async () => {
        later = (await f.twitch('clips all', { id: 'u-3' })).answers.map(textOf);
        return later.length > 0;
      },
      { what: 'the window to pass', timeoutMs: 30_000, intervalMs: 100 },
    );
    expect(later[0]).toMatch(/^Top clips of Streamer of all time/);
  });

  it('spends no viewer cooldown on an ignored repeat, and gives a failed answer no window', async () => {
    const f = await fixture();
    expect((await f.twitch('clips week', { id: 'u-1' })).answers).toHaveLength(1);
    // u-2's ignored repeat took none of u-2's own cooldown: their next question is answered.
    expect((await f.twitch('clips week', { id: 'u-2' })).answers).toEqual([]);
    expect((await f.twitch('clips month', { id: 'u-2' })).answers).toHaveLength(1);
    // u-1's own cooldown still holds them back (with one notice), whatever they ask.
    expect((await f.twitch('clips day', { id: 'u-1' })).answers.map(textOf)).toEqual([
      'Wait 10s before using !clips again.',
    ]);

    f.standIn.injectFailure({ status: 400, count: 1, method: 'GET', path: '/clips' });
    expect((await f.twitch('clips all', { id: 'u-3' })).answers.map(textOf)).toEqual([
      GENERIC_FAILURE,
    ]);
    // That was no answer: the next viewer asking the same is heard.
    expect(textOf((await f.twitch('clips all', { id: 'u-4' })).answers[0])).toMatch(
      /^Top clips of Streamer of all time/,
    );
  });
});
