import { describe, expect, it } from 'vitest';
import { ClipKeys } from '../../src/clips/keys.js';
import { LiveStatusRefresher } from '../../src/clips/live-status-refresher.js';
import { LiveStatusTable } from '../../src/clips/live-status-table.js';
import type { JournalEntry } from '../../standins/twitch/index.js';
import { pipelineHarnesses, testLogger, waitFor } from '../helpers/pipeline-harness.js';

const harness = pipelineHarnesses();

function streamCalls(journal: JournalEntry[], since = 0): JournalEntry[] {
  return journal.filter((e) => e.method === 'GET' && e.path === '/helix/streams' && e.at >= since);
}

/** One refresh round of a refresher of the harness's Redis and Helix client. */
async function refreshOnce(
  p: Awaited<ReturnType<typeof harness>>,
  keys: ClipKeys,
  channels: string[],
): Promise<void> {
  const refresher = new LiveStatusRefresher({
    redis: p.redis,
    keys,
    helix: p.helix,
    log: testLogger(),
    channels: async () => channels,
  });
  await refresher.refresh(channels, 60_000);
}

describe('live table (real Redis, real axios, Helix stand-in)', () => {
  it('is refreshed in batches of 100 by the one process holding the lease; another takes over', async () => {
    const p = await harness();
    const logins = Array.from({ length: 250 }, (_, i) => `chan${String(i).padStart(3, '0')}`);
    for (const [i, login] of logins.entries()) {
      p.standIn.addUser({ login });
      if (i % 3 === 0)
        p.standIn.setLive(login, true, { title: `${login} live`, gameName: 'Chess' });
    }
    const keys = new ClipKeys(p.prefix, 'clips');
    const make = () =>
      new LiveStatusRefresher({
        redis: p.redis,
        keys,
        helix: p.helix,
        log: testLogger(),
        channels: async () => logins,
        // 3 batches at 900 calls a minute: a round every 200 ms.
        rhythm: { callsPerMinute: 900, minPeriodMs: 100 },
        leaseMs: 600,
      });
    const a = make();
    const b = make();
    const since = Date.now();
    a.start();
    b.start();
    try {
      await waitFor(() => a.rounds + b.rounds >= 3, { what: 'three refresh rounds' });
      // Exactly one of them refreshes while both run.
      expect(Math.min(a.rounds, b.rounds)).toBe(0);
      const calls = streamCalls(p.standIn.journal, since);
      for (const c of calls) {
        expect(c.query.user_login?.length ?? 0).toBeLessThanOrEqual(100);
        expect(c.query.user_id).toBeUndefined();
      }
      const rounds = a.rounds + b.rounds;
      // Every round asks about all 250 channels in 3 calls (a round may be under way).
      expect(calls.length).toBeGreaterThanOrEqual(rounds * 3);
      expect(calls.length).toBeLessThanOrEqual((rounds + 1) * 3);

      const table = await new LiveStatusTable(p.redis, keys).all();
      expect(Object.keys(table)).toHaveLength(250);
      expect(table.chan000?.live).toBe(true);
      expect(table.chan000?.userId).toBe(p.channel('chan000').id);
      // The same answer's title and game are kept (for clip titles; no call of their own).
      expect(table.chan000).toMatchObject({ title: 'chan000 live', gameName: 'Chess' });
      expect(table.chan249).toMatchObject({ live: true, title: 'chan249 live', gameName: 'Chess' });
      expect(table.chan001?.live).toBe(false);
      expect(table.chan001?.title).toBeUndefined();

      // The holder goes away: the other takes the lease and carries on.
      const [holder, other] = a.rounds > 0 ? [a, b] : [b, a];
      await holder.stop();
      await waitFor(() => other.rounds >= 2, { what: 'the other refresher taking over' });
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it('a live check answered by a fresh table makes no Get Streams call', async () => {
    const p = await harness({ clipVisibleAfterMs: 100 });
    const keys = new ClipKeys(p.prefix, 'clips');
    await refreshOnce(p, keys, ['streamer']);
    const req = p.clipRequest('streamer');
    await p.pipeline.service.request(req);
    await waitFor(() => p.senders.twitch.answersFor(req.requestId).length > 0, {
      what: 'the answer',
    });
    expect(p.senders.twitch.answersFor(req.requestId)[0]?.result.outcome.status).toBe('created');
    // The refresh asks by login; a live check would ask by user id.
    const calls = streamCalls(p.standIn.journal);
    expect(calls.filter((c) => c.query.user_id !== undefined)).toHaveLength(0);
    expect(calls.filter((c) => c.query.user_login !== undefined)).toHaveLength(1);
    expect(p.pipeline.worker?.live.tablesUsed).toBe(1);
  });

  it('a table saying live is overruled by Create Clip 404: answered offline, table corrected', async () => {
    const p = await harness();
    const keys = new ClipKeys(p.prefix, 'clips');
    const table = new LiveStatusTable(p.redis, keys);
    const now = Date.now();
    await table.put({
      streamer: {
        live: true,
        userId: p.channel('streamer').id,
        checkedAt: now,
        trustUntil: now + 60_000,
      },
    });
    p.standIn.setLive('streamer', false);
    const req = p.clipRequest('streamer');
    await p.pipeline.service.request(req);
    await waitFor(() => p.senders.twitch.answersFor(req.requestId).length > 0, {
      what: 'the answer',
    });
    const outcome = p.senders.twitch.answersFor(req.requestId)[0]?.result.outcome;
    expect(outcome?.status === 'failed' && outcome.reason).toBe('offline');
    expect(streamCalls(p.standIn.journal)).toHaveLength(0);
    const entry = await table.get('streamer');
    expect(entry?.live).toBe(false);
    expect(entry?.trustUntil).toBeGreaterThan(Date.now());
  });

  it('an unknown channel is asked about once and written to the table', async () => {
    const p = await harness({ clipVisibleAfterMs: 100 });
    p.standIn.setLive('streamer', true, { title: 'Ranked grind', gameName: 'Tetris' });
    const keys = new ClipKeys(p.prefix, 'clips');
    const req = p.clipRequest('streamer');
    await p.pipeline.service.request(req);
    await waitFor(() => p.senders.twitch.answersFor(req.requestId).length > 0, {
      what: 'the answer',
    });
    expect(streamCalls(p.standIn.journal)).toHaveLength(1);
    const entry = await new LiveStatusTable(p.redis, keys).get('streamer');
    expect(entry?.live).toBe(true);
    expect(entry?.userId).toBe(p.channel('streamer').id);
    // The live check's own Get Streams answer brings the title and game along.
    expect(entry).toMatchObject({ title: 'Ranked grind', gameName: 'Tetris' });
  });

  it('streamInfo: a fresh live entry of this broadcaster gives its title and game; else ask', async () => {
    const p = await harness();
    p.standIn.setLive('streamer', true, { title: 'Ranked grind', gameName: '' });
    const keys = new ClipKeys(p.prefix, 'clips');
    const table = new LiveStatusTable(p.redis, keys);
    const refresher = new LiveStatusRefresher({
      redis: p.redis,
      keys,
      helix: p.helix,
      log: testLogger(),
      channels: async () => ['streamer'],
    });
    await refresher.refresh(['streamer'], 60_000);
    const id = p.channel('streamer').id;
    // A stream with no category: Twitch sends game_name "" (an answer, not a missing one).
    expect(await table.streamInfo('streamer', id)).toEqual({ title: 'Ranked grind', gameName: '' });
    expect(await table.streamInfo('STREAMER', id)).toBeDefined();
    // Another broadcaster now under that login (a rename): not this one's stream.
    expect(await table.streamInfo('streamer', `${id}9`)).toBeUndefined();
    // Older than the bound: the caller asks Twitch (a game changed shows within it).
    const checkedAt = (await table.get('streamer'))!.checkedAt;
    expect(await table.streamInfo('streamer', id, 1_000, checkedAt + 1_001)).toBeUndefined();
    expect(await table.streamInfo('streamer', id, 1_000, checkedAt + 1_000)).toBeDefined();
    // An entry without the words (written by an older version) and an offline one: ask.
    const now = Date.now();
    await table.put({
      streamer: { live: true, userId: id, checkedAt: now, trustUntil: now + 60_000 },
    });
    expect(await table.streamInfo('streamer', id)).toBeUndefined();
    await table.markOffline('streamer', { offlineMs: 60_000 });
    expect(await table.streamInfo('streamer', id)).toBeUndefined();
    // Words of another type in a damaged entry are not taken as words.
    await p.redis.hset(
      keys.liveStatus(),
      'streamer',
      JSON.stringify({
        live: true,
        userId: id,
        title: 7,
        gameName: ['x'],
        checkedAt: now,
        trustUntil: now + 60_000,
      }),
    );
    expect(await table.get('streamer')).not.toHaveProperty('title');
    expect(await table.streamInfo('streamer', id)).toBeUndefined();
  });
});
