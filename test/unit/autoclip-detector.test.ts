import { describe, expect, it } from 'vitest';
import { ChannelDetector } from '../../src/autoclip/detector.js';
import { AutoClipManager } from '../../src/autoclip/manager.js';
import type { AutoClipFire, ChatObservation, DetectorSettings } from '../../src/autoclip/types.js';

type Line = ChatObservation & { raid?: boolean };

/** Background chat: `perS` lines a second from `users` chatters, each line a different word. */
function chat(from: number, to: number, perS: number, users: number, prefix = 'u'): Line[] {
  const out: Line[] = [];
  for (let i = 0, at = from; at < to; i++, at = from + (i * 1000) / perS)
    out.push({
      channel: 'c',
      userId: `${prefix}${i % users}`,
      text: `word${i % 997} more${i % 991}`,
      at,
    });
  return out;
}

/** `n` distinct viewers, one line each, 300 ms apart from `at0`. */
function wave(at0: number, n: number, line: (k: number) => Partial<Line>, prefix = 'fan'): Line[] {
  return Array.from({ length: n }, (_, k) => ({
    channel: 'c',
    userId: `${prefix}${k}`,
    text: '',
    at: at0 + k * 300,
    ...line(k),
  }));
}

function run(lines: Line[], settings: Partial<DetectorSettings> = {}): AutoClipFire[] {
  const d = new ChannelDetector('c', { cooldownS: 30, ...settings }, {}, 0);
  const fires: AutoClipFire[] = [];
  for (const l of [...lines].sort((a, b) => a.at - b.at)) {
    if (l.raid) d.raidArrived(l.at);
    else {
      const f = d.observe(l);
      if (f) fires.push(f);
    }
  }
  return fires;
}

const T = 180_000; // the moment, after the detector has learnt the chat
const quiet = () => chat(0, 400_000, 0.3, 20);

describe('automatic clips: each kind of moment fires once', () => {
  it('an emote from many viewers', () => {
    const fires = run([
      ...quiet(),
      ...wave(T, 15, () => ({ text: 'PogChamp PogChamp', emotes: ['PogChamp'] })),
    ]);
    expect(fires).toHaveLength(1);
    expect(fires[0]).toMatchObject({
      channel: 'c',
      kind: 'emote',
      token: 'PogChamp',
      startedAt: T,
    });
    expect(fires[0]!.firedAt - T).toBeLessThan(5000);
  });

  it('a word from many viewers, whatever its case and punctuation', () => {
    const fires = run([
      ...quiet(),
      ...wave(T, 15, (k) => ({ text: k % 2 ? 'LETSGOOO!!' : 'letsgooo' })),
    ]);
    expect(fires.map((f) => [f.kind, f.token])).toEqual([['word', 'letsgooo']]);
  });

  it('"clip it" from several viewers', () => {
    const lines = ['clip it', 'CLIP THAT', 'someone clip that', 'clip'];
    const fires = run([...quiet(), ...wave(T, 4, (k) => ({ text: lines[k]! }))]);
    expect(fires.map((f) => f.kind)).toEqual(['clip']);
  });

  it('a burst of bits and subs', () => {
    const fires = run([
      ...quiet(),
      ...wave(T, 5, (k) => (k % 2 ? { bits: 500, text: 'Cheer500' } : { support: 'subgift' })),
    ]);
    expect(fires.map((f) => f.kind)).toEqual(['support']);
  });

  it('a jump in rate and distinct chatters with no common word', () => {
    const burst = wave(T, 40, (k) => ({ text: `omg${k} what${k}` }));
    const fires = run([...quiet(), ...burst]);
    expect(fires.map((f) => f.kind)).toEqual(['rate']);
  });
});

describe('automatic clips: look-alikes do not fire', () => {
  it('one viewer flooding the same emote and "clip it"', () => {
    const flood = Array.from({ length: 200 }, (_, i) => ({
      channel: 'c',
      userId: 'flooder',
      text: 'PogChamp clip it PogChamp',
      emotes: ['PogChamp'],
      at: T + i * 200,
    }));
    expect(run([...quiet(), ...flood])).toEqual([]);
  });

  it('a bot account, even with many names', () => {
    const bot = wave(T, 50, (k) => ({
      text: `PogChamp clip it ${k}`,
      emotes: ['PogChamp'],
      fromBot: true,
    }));
    expect(run([...quiet(), ...bot])).toEqual([]);
  });

  it('a giveaway (!enter) and a poll (1, 2)', () => {
    expect(run([...quiet(), ...wave(T, 80, () => ({ text: '!enter' }))])).toEqual([]);
    expect(run([...quiet(), ...wave(T, 80, (k) => ({ text: k % 2 ? '1' : '2' }))])).toEqual([]);
  });

  it('raid greetings, unless the channel lets raids clip', () => {
    const raid: Line[] = [
      { channel: 'c', userId: 'host', text: '', at: T, raid: true },
      ...wave(
        T + 1000,
        60,
        (k) => (k % 2 ? { text: 'hi' } : { text: 'raidHype raidHype', emotes: ['raidHype'] }),
        'raider',
      ),
    ];
    expect(run([...quiet(), ...raid])).toEqual([]);
    expect(run([...quiet(), ...raid], { raids: true }).map((f) => f.token)).toEqual(['raidHype']);
  });

  it('a chat that is always busy, where the same jump in a quiet chat fires', () => {
    const busy = chat(0, 600_000, 20, 300, 'b');
    expect(run(busy)).toEqual([]);
    // The same 20 lines a second arriving in a quiet chat is a moment.
    expect(run([...quiet(), ...chat(T, T + 15_000, 20, 300, 'b')]).map((f) => f.kind)).toEqual([
      'rate',
    ]);
  });
});

describe('automatic clips: once per moment, and the cooldown', () => {
  const emote = (at: number, n: number, prefix: string) =>
    wave(at, n, () => ({ text: 'PogChamp', emotes: ['PogChamp'] }), prefix);

  it('a long wave fires once', () => {
    const long = Array.from({ length: 6 }, (_, i) => emote(T + i * 4000, 15, `fan${i}-`)).flat();
    expect(run([...quiet(), ...long])).toHaveLength(1);
  });

  it('no second fire within the cooldown; one after it', () => {
    const two = [...quiet(), ...emote(T, 15, 'a'), ...emote(T + 60_000, 15, 'b')];
    expect(run(two, { cooldownS: 120 })).toHaveLength(1);
    expect(run(two, { cooldownS: 30 })).toHaveLength(2);
  });

  it('not before it has learnt the chat', () => {
    expect(run([...chat(0, 60_000, 0.3, 20), ...emote(10_000, 15, 'a')])).toEqual([]);
  });
});

describe('automatic clips: bounded memory', () => {
  it('a detector keeps a bounded number of tokens', () => {
    const d = new ChannelDetector('c', {}, { maxTokens: 100 }, 0);
    for (let i = 0; i < 5000; i++)
      d.observe({ channel: 'c', userId: `u${i}`, text: `unique${i}`, at: i * 5 });
    expect(d.tokenCount).toBeLessThanOrEqual(101);
  });

  it('the manager holds detectors only for enabled, active channels', () => {
    const m = new AutoClipManager({ maxChannels: 10, idleEvictS: 60 });
    for (let i = 0; i < 50; i++) m.enable(`c${i}`);
    for (let i = 0; i < 50; i++)
      m.observe({ channel: `c${i}`, userId: 'u', text: 'hello there', at: i * 100 });
    expect(m.activeChannels).toBe(10);
    // Idle channels go once time moves on.
    m.observe({ channel: 'c0', userId: 'u', text: 'back again', at: 200_000 });
    expect(m.activeChannels).toBe(1);
    m.observe({ channel: 'not-enabled', userId: 'u', text: 'hello there', at: 200_000 });
    expect(m.activeChannels).toBe(1);
    m.disable('c0');
    expect(m.activeChannels).toBe(0);
    expect(m.observe({ channel: 'c0', userId: 'u', text: 'x y', at: 201_000 })).toBeUndefined();
  });
});
