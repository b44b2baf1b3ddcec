import { describe, expect, it } from 'vitest';
import type { ChatObservation } from '../../src/autoclip/index.js';
import {
  AutoClipFeed,
  emoteNames,
  type AutoClipHooks,
} from '../../src/chat/twitch/autoclip-feed.js';

/** Records what the feed hands the automatic-clip side. */
function recorder() {
  const seen: ChatObservation[] = [];
  const raids: { id: string }[] = [];
  const joined: string[][] = [];
  const left: string[] = [];
  const hooks: AutoClipHooks = {
    channelId: (id) => (id === 'off' ? 0 : 1),
    observe: (m) => void seen.push(m),
    raidArrived: (id) => raids.push({ id }),
    onJoined: (id, login) => joined.push([id, login]),
    onLeft: (id) => left.push(id),
  };
  return { hooks, seen, raids, joined, left };
}

const base = {
  'room-id': '100',
  'user-id': '7',
  username: 'viewer',
  'tmi-sent-ts': '1700000000000',
};

describe('emoteNames', () => {
  it('slices by code point: an emoji before the emote shifts UTF-16 but not positions', () => {
    // "😂 Kappa": Twitch counts 😂 as one character, so Kappa is 2-6.
    expect(emoteNames({ '25': ['2-6'] }, '😂 Kappa')).toEqual(['Kappa']);
    expect(emoteNames('25:2-6/1902:8-12', '😂 Kappa Keepo')).toEqual(['Kappa', 'Keepo']);
  });

  it('reads nothing from an empty or broken tag', () => {
    expect(emoteNames('', 'Kappa')).toBeUndefined();
    expect(emoteNames(null, 'Kappa')).toBeUndefined();
    expect(emoteNames({ '25': ['9-2'] }, 'Kappa')).toBeUndefined();
  });
});

describe('AutoClipFeed', () => {
  it('observes a chat line by room id, with its time, emotes and bits; a known bot is marked', () => {
    const r = recorder();
    const feed = new AutoClipFeed(r.hooks, 'clipbot');
    feed.message({ ...base, emotes: { '25': ['0-4'] } }, 'Kappa Kappa');
    feed.message({ ...base, bits: '100' }, 'Cheer100 PogChamp');
    feed.message({ ...base, username: 'Nightbot' }, 'Join the giveaway');
    expect(r.seen).toEqual([
      { channel: '100', userId: '7', text: 'Kappa Kappa', at: 1700000000000, emotes: ['Kappa'] },
      { channel: '100', userId: '7', text: 'PogChamp', at: 1700000000000, bits: 100 },
      { channel: '100', userId: '7', text: 'Join the giveaway', at: 1700000000000, fromBot: true },
    ]);
  });

  it('in Shared Chat, only the copy in the origin room is observed', () => {
    const r = recorder();
    const feed = new AutoClipFeed(r.hooks, 'clipbot');
    // The same message delivered to a partner room (room-id 200) and to its origin (100).
    feed.message({ ...base, 'room-id': '200', 'source-room-id': '100' }, 'LUL');
    feed.message({ ...base, 'source-room-id': '100' }, 'LUL');
    expect(r.seen.map((m) => m.channel)).toEqual(['100']);
  });

  it('subs and gifts are support; a raid mutes its greetings; other notices are ignored', () => {
    const r = recorder();
    const feed = new AutoClipFeed(r.hooks, 'clipbot');
    feed.userNotice({ ...base, 'msg-id': 'resub' }, 'two years!');
    feed.userNotice({ ...base, 'msg-id': 'submysterygift' }, '');
    feed.userNotice({ ...base, 'msg-id': 'raid' }, '');
    feed.userNotice({ ...base, 'msg-id': 'announcement' }, 'hello');
    expect(r.seen.map((m) => [m.support, m.text])).toEqual([
      ['resub', 'two years!'],
      ['subgift', ''],
    ]);
    expect(r.raids).toEqual([{ id: '100' }]);
  });

  it('joins and parts by room id, once each; a broadcaster line carries their name', () => {
    const r = recorder();
    const feed = new AutoClipFeed(r.hooks, 'clipbot');
    feed.roomState('streamer', { 'room-id': '100', 'emote-only': '0' });
    feed.roomState('streamer', { 'room-id': '100', slow: '10' });
    feed.message(base, 'KEKW');
    const own = { ...base, badges: { broadcaster: '1' }, 'display-name': 'StreamEr' };
    feed.message(own, 'thanks chat');
    feed.parted('streamer');
    feed.parted('streamer');
    expect(r.joined).toEqual([['100', 'streamer']]);
    expect(r.left).toEqual(['100']);
    expect(r.seen.map((m) => m.broadcasterName)).toEqual([undefined, 'StreamEr']);
  });

  it('reads nothing of a channel whose automatic clips are off', () => {
    const r = recorder();
    const feed = new AutoClipFeed(r.hooks, 'clipbot');
    feed.message({ ...base, 'room-id': 'off' }, 'LUL');
    feed.userNotice({ ...base, 'room-id': 'off', 'msg-id': 'resub' }, 'two years!');
    feed.message(base, 'LUL');
    expect(r.seen.map((m) => m.channel)).toEqual(['100']);
  });
});
