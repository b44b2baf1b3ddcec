import { describe, expect, it } from 'vitest';
import { CLIP_WINDOW_DEFAULTS, autoClipWindow } from '../../src/autoclip/clip-window.js';
import { readMessage } from '../../src/autoclip/scan.js';
import { mayMentionClip } from '../../src/autoclip/tokens.js';

describe('what an automatic clip covers', () => {
  const { leadS, tailS } = CLIP_WINDOW_DEFAULTS;

  it('a live clip reaches leadS before the burst began', () => {
    // Fired 3 s into the burst: 3 s of burst plus the lead.
    expect(autoClipWindow({ startedAt: 100_000, firedAt: 103_000 }).duration).toBe(3 + leadS);
    // A fractional second is rounded up, never cut.
    expect(autoClipWindow({ startedAt: 100_000, firedAt: 103_400 }).duration).toBe(4 + leadS);
  });

  it("stays within Twitch's 5-60 s", () => {
    expect(autoClipWindow({ startedAt: 0, firedAt: 0 }, { leadS: 1 }).duration).toBe(5);
    expect(autoClipWindow({ startedAt: 0, firedAt: 120_000 }).duration).toBe(60);
  });

  it('a start after the fire (clock skew) counts as the fire', () => {
    expect(autoClipWindow({ startedAt: 105_000, firedAt: 100_000 }).duration).toBe(leadS);
  });

  it('a VOD clip runs from leadS before the burst to tailS after it', () => {
    const w = autoClipWindow({ startedAt: 100_000, firedAt: 110_000 });
    expect(w.vodDuration).toBe(leadS + tailS);
    // It ends tailS after the start: 10 - tailS seconds before the fire.
    expect(w.vodAgoS).toBe(10 - tailS);
    const end = 110_000 - w.vodAgoS * 1000;
    expect(end - w.vodDuration * 1000).toBe(100_000 - leadS * 1000);
  });

  it('a VOD clip never ends after the fire', () => {
    const w = autoClipWindow({ startedAt: 100_000, firedAt: 102_000 });
    expect(w.vodAgoS).toBe(0);
    expect(102_000 - w.vodDuration * 1000).toBeLessThanOrEqual(100_000 - leadS * 1000);
  });
});

describe('what a message contributes', () => {
  it('emotes first, then words, lowercased, without chat grammar or greetings', () => {
    expect(readMessage('PogChamp LETS GO!!! hi the', ['PogChamp'], 6)).toEqual({
      command: false,
      clipMention: false,
      emotes: ['PogChamp'],
      words: ['lets', 'go'],
    });
  });

  it('commands and bare votes are not chat', () => {
    for (const text of ['!enter', '/me waves', '1', '2 ', '+1', '42', 'a'])
      expect(readMessage(text, undefined, 6).command).toBe(true);
    expect(readMessage('12345', undefined, 6).command).toBe(true);
  });

  it('a run of one digit is a cheer ("7777", "88888"), one token however long', () => {
    for (const text of ['7777', '77777777', '666'])
      expect(readMessage(text, undefined, 6)).toMatchObject({ command: false });
    expect(readMessage('7777', undefined, 6).words).toEqual(['777']);
    expect(readMessage('77777 8888', undefined, 6).words).toEqual(['777', '888']);
    for (const text of ['11', '2', '1234', '2024', '+1'])
      expect(readMessage(text, undefined, 6).command).toBe(true);
  });

  it('"clip" mentions, not "!clip" nor words that merely contain it', () => {
    for (const text of ['clip it', 'CLIP THAT', 'someone clip that', 'clipppp', 'clipit'])
      expect(readMessage(text, undefined, 6).clipMention).toBe(true);
    for (const text of ['!clip', 'eclipse tonight', 'paperclips are great'])
      expect(readMessage(text, undefined, 6).clipMention).toBe(false);
  });

  it('a long line gives its emotes but not its words; tokens are capped', () => {
    const long = readMessage('this is a long sentence about the game today', ['Kappa'], 6);
    expect([long.emotes, long.words]).toEqual([['Kappa'], []]);
    expect(readMessage('aa bb cc dd ee', undefined, 2).words).toEqual(['aa', 'bb']);
    const capped = readMessage('Kappa Kappa LUL aa bb', ['Kappa', 'LUL'], 3);
    expect([capped.emotes, capped.words]).toEqual([['Kappa', 'LUL'], ['aa']]);
  });
});

describe('mayMentionClip', () => {
  it('finds what /clip/i finds, in any ASCII case, and nothing else', () => {
    const texts = [
      'CLIP IT',
      'cLiPpp',
      'eclipse',
      'cli p',
      'clıp',
      'ＣＬＩＰ',
      'clİp',
      'Clip',
      'cli',
      '',
    ];
    for (const text of texts) expect(mayMentionClip(text)).toBe(/clip/i.test(text));
    expect(texts.filter(mayMentionClip)).toEqual(['CLIP IT', 'cLiPpp', 'eclipse', 'Clip']);
  });
});
