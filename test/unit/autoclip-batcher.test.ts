import { describe, expect, it } from 'vitest';
import {
  AutoClipManager,
  ObservationBatcher,
  type AutoClipFire,
  type ChatObservation,
} from '../../src/autoclip/index.js';

const T0 = 1_700_000_000_000;
const opts = { detector: { warmupS: 0 } };

/**
 * Two channels, interleaved: quiet chat, then in `a` a word wave ("OMEGALUL!!" from many,
 * mixed case) and in `b` an emote wave, and a few commands and bot lines in both.
 */
function chat(): ChatObservation[] {
  const lines: ChatObservation[] = [];
  for (let s = 0; s < 120; s++)
    for (const channel of ['a', 'b'])
      lines.push({ channel, userId: `u${s % 7}`, text: `hm${s}${channel}`, at: T0 + s * 1000 });
  for (let k = 0; k < 20; k++) {
    const at = T0 + 120_000 + k * 250;
    lines.push({ channel: 'a', userId: `fan${k}`, text: k % 2 ? 'OMEGALUL!!' : 'omegalul', at });
    lines.push({ channel: 'b', userId: `fan${k}`, text: 'Kappa Kappa', emotes: ['Kappa'], at });
    if (k % 5 === 0) {
      lines.push({ channel: 'a', userId: 'x', text: '!enter', at });
      lines.push({
        channel: 'b',
        userId: 'nb',
        text: 'Kappa',
        emotes: ['Kappa'],
        at,
        fromBot: true,
      });
    }
  }
  return lines.sort((x, y) => x.at - y.at);
}

function manager(): AutoClipManager {
  const m = new AutoClipManager(opts);
  m.enable('a');
  m.enable('b');
  return m;
}

function batched(o: ConstructorParameters<typeof ObservationBatcher>[3] = {}) {
  const fires: AutoClipFire[] = [];
  const failures: unknown[] = [];
  let firedNow: () => void = () => undefined;
  const fired = new Promise<void>((resolve) => (firedNow = resolve));
  const batcher = new ObservationBatcher(
    manager(),
    (f) => {
      fires.push(f);
      firedNow();
    },
    (err) => failures.push(err),
    o,
  );
  return { batcher, fires, failures, fired };
}

const byChannel = (fires: AutoClipFire[]) =>
  [...fires].sort((x, y) => x.channel.localeCompare(y.channel));

describe('ObservationBatcher', () => {
  it('makes the fires a line-by-line manager makes, token names and times alike', () => {
    const direct = manager();
    const expected = chat()
      .map((m) => direct.observe(m))
      .filter((f): f is AutoClipFire => f !== undefined);
    expect(expected.map((f) => [f.channel, f.kind, f.token])).toEqual([
      ['a', 'word', 'omegalul'],
      ['b', 'emote', 'Kappa'],
    ]);
    const { batcher, fires } = batched({ batchMs: 60_000 });
    for (const m of chat()) batcher.add(m);
    expect(fires).toEqual([]);
    expect(batcher.pending).toBe(chat().length);
    batcher.flush();
    expect(byChannel(fires)).toEqual(byChannel(expected));
    expect(batcher.pending).toBe(0);
  });

  it('takes waiting lines by itself after batchMs', async () => {
    const { batcher, fires, fired } = batched({ batchMs: 20 });
    for (const m of chat()) batcher.add(m);
    await fired;
    expect(fires.length).toBeGreaterThan(0);
    expect(batcher.pending).toBe(0);
  });

  it('takes each line at once when batchMs is 0, and a flood at once past maxLines', () => {
    const now = batched({ batchMs: 0 });
    for (const m of chat()) now.batcher.add(m);
    expect(now.fires).toHaveLength(2);
    expect(now.batcher.pending).toBe(0);
    const capped = batched({ batchMs: 60_000, maxLines: 10 });
    for (const m of chat().slice(0, 25)) capped.batcher.add(m);
    expect(capped.batcher.pending).toBe(5);
    capped.batcher.close();
  });

  it('a line that fails is reported; the others are taken', () => {
    class Failing extends AutoClipManager {
      override observeReadById(...args: Parameters<AutoClipManager['observeReadById']>) {
        if (args[0] === this.idOf('a')) throw new Error('broken detector');
        return super.observeReadById(...args);
      }
    }
    const failing = new Failing(opts);
    failing.enable('a');
    failing.enable('b');
    const fires: AutoClipFire[] = [];
    const failures: unknown[] = [];
    const batcher = new ObservationBatcher(
      failing,
      (f) => fires.push(f),
      (e) => failures.push(e),
      {
        batchMs: 60_000,
      },
    );
    for (const m of chat()) batcher.add(m);
    batcher.flush();
    expect(fires.map((f) => f.channel)).toEqual(['b']);
    expect(failures.length).toBe(chat().filter((m) => m.channel === 'a').length);
  });

  it('takes the waiting lines before a raid arrives or the channel is turned off', () => {
    const raidAt = Math.max(...chat().map((m) => m.at)) + 1000;
    const raided = batched({ batchMs: 60_000 });
    for (const m of chat()) raided.batcher.add(m);
    raided.batcher.raidArrived('a', raidAt);
    raided.batcher.raidArrived('b', raidAt);
    expect(raided.fires.map((f) => f.channel).sort()).toEqual(['a', 'b']);
    const turnedOff = batched({ batchMs: 60_000 });
    for (const m of chat()) turnedOff.batcher.add(m);
    turnedOff.batcher.disable('a');
    expect(turnedOff.fires.map((f) => f.channel).sort()).toEqual(['a', 'b']);
    // The control: told of the raid behind the batcher's back, the same lines are taken for
    // its greetings, and turned off first, channel a's are not read at all.
    const behind = manager();
    const fires: AutoClipFire[] = [];
    const batcher = new ObservationBatcher(
      behind,
      (f) => fires.push(f),
      () => undefined,
      {
        batchMs: 60_000,
      },
    );
    for (const m of chat()) batcher.add(m);
    behind.raidArrived('b', raidAt);
    behind.disable('a');
    batcher.flush();
    expect(fires).toEqual([]);
  });

  it('close drops what waits', () => {
    const { batcher, fires } = batched({ batchMs: 60_000 });
    for (const m of chat()) batcher.add(m);
    batcher.close();
    batcher.flush();
    expect(fires).toEqual([]);
    expect(batcher.pending).toBe(0);
  });
});
