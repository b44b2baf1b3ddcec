import { afterEach, describe, expect, it } from 'vitest';
import { LiveStatusTable } from '../../src/clips/live-status-table.js';
import { ANSWER_WAIT_MS, startE2E, waitFor, type E2E } from '../helpers/e2e-harness.js';

/**
 * A manual `!clip`'s title template with `{game}` and `{title}`: the stream's words come from
 * the live table (kept from the refresh's Get Streams) when its entry is fresh, else from a
 * Get Streams of the command's own. Real tmi.js, BullMQ on Redis, the Helix stand-in, whose
 * LocalWorld streams "Speedrun any% - world record pace" in Celeste.
 */

let scene: E2E | undefined;
afterEach(async () => {
  await scene?.stop();
  scene = undefined;
});

const STREAM_TITLE = 'Speedrun any% - world record pace';

/** Get Streams by user id: what the command's (or the live check's) own lookup sends. */
function streamsById(s: E2E): number {
  return s.world.twitch.journal.filter(
    (e) => e.method === 'GET' && e.path === '/helix/streams' && e.query.user_id !== undefined,
  ).length;
}

async function liveTable(s: E2E): Promise<LiveStatusTable> {
  const table = new LiveStatusTable(s.redis, s.app.parts.pipeline.keys);
  await waitFor(async () => (await table.trusted(s.channel))?.live === true, {
    what: 'the live table to say live',
    timeoutMs: ANSWER_WAIT_MS,
  });
  return table;
}

async function setTemplate(s: E2E, template: string): Promise<void> {
  const id = s.say(`!clipconfig title ${template}`, { login: 'mod_mia', role: 'moderator' });
  expect((await s.replyTo(id)).text).toContain(template);
}

describe('clip titles with the stream’s game and title', () => {
  it('!clip fills {game} and {title} from a fresh live-table entry: no Get Streams of its own', async () => {
    scene = await startE2E();
    const s = scene;
    const table = await liveTable(s);
    expect(await table.get(s.channel)).toMatchObject({ gameName: 'Celeste', title: STREAM_TITLE });
    await setTemplate(s, '{game}: {title}');
    const before = streamsById(s);

    const asked = s.say('!clip', { login: 'viewer_vic' });
    await s.replyTo(asked);
    const created = s.world.twitch.createdClips();
    expect(created.map((c) => c.title)).toEqual([`Celeste: ${STREAM_TITLE}`]);
    // Neither the title nor the worker's live check asked Twitch: the table answered both.
    expect(streamsById(s)).toBe(before);
  });

  it('!clip asks Get Streams when the entry does not carry the words (written before they were kept)', async () => {
    scene = await startE2E();
    const s = scene;
    const table = await liveTable(s);
    await setTemplate(s, '{title} ({game})');
    // The stream changed its game since; the table's entry (an older version's) knows no words.
    s.world.twitch.setLive(s.channel, true, { gameName: 'Hollow Knight' });
    const entry = (await table.get(s.channel))!;
    const now = Date.now();
    await table.put({
      [s.channel]: { live: true, userId: entry.userId!, checkedAt: now, trustUntil: now + 60_000 },
    });
    const before = streamsById(s);

    const asked = s.say('!clip', { login: 'viewer_vic' });
    await s.replyTo(asked);
    const created = s.world.twitch.createdClips();
    expect(created.map((c) => c.title)).toEqual([`${STREAM_TITLE} (Hollow Knight)`]);
    // One call, the command's; the worker's live check trusted the entry's "live".
    expect(streamsById(s)).toBe(before + 1);
  });
});
