import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { ClipKeys } from '../../src/clips/keys.js';
import { wantsOfflineRescue } from '../../src/clips/rescue-link.js';
import { clipEditUrl, UnconfirmedCreates } from '../../src/clips/unconfirmed-create.js';
import type { HelixApi } from '../../src/twitch/helix-api.js';

/** When the job whose Create Clip went unanswered looks for its clip. */
function lookup(learned: number | undefined, opts: { maxWaitMs?: number } = {}) {
  return new UnconfirmedCreates({
    // lookAt() touches neither Twitch nor Redis.
    helix: {} as HelixApi,
    redis: {} as Redis,
    keys: new ClipKeys('p', 'clips'),
    creatorId: () => 'bot',
    learnedDelayMs: () => learned,
    defaultWaitMs: 5000,
    marginMs: 250,
    ...opts,
  });
}

describe('the lookup of an unconfirmed Create Clip', () => {
  it('waits the learned time to appear (plus a margin), or the default before any', () => {
    expect(lookup(undefined).lookAt(1_000_000)).toBe(1_005_000);
    expect(lookup(1200).lookAt(1_000_000)).toBe(1_001_450);
  });

  it('never waits longer than its bound', () => {
    expect(lookup(40_000, { maxWaitMs: 15_000 }).lookAt(0)).toBe(15_000);
    expect(lookup(undefined, { maxWaitMs: 2000 }).lookAt(0)).toBe(2000);
  });

  it("builds a link in Create Clip's current edit_url form (the clip's page on the channel)", () => {
    expect(clipEditUrl('twitchdev', 'AwkwardHelplessSalamanderSwiftRage')).toBe(
      'https://www.twitch.tv/twitchdev/clip/AwkwardHelplessSalamanderSwiftRage',
    );
  });
});

describe('the rescue link of an offline answer', () => {
  it('is looked for a live request only', () => {
    const offline = { status: 'failed', reason: 'offline' } as const;
    expect(wantsOfflineRescue(offline, {})).toBe(true);
    expect(wantsOfflineRescue(offline, { vod: { agoS: 60 } })).toBe(false);
    expect(wantsOfflineRescue({ status: 'failed', reason: 'clips_disabled' }, {})).toBe(false);
  });
});
