import { describe, expect, it } from 'vitest';
import { parseLine } from '../../standins/chat/irc.js';
import { giftLines, raidLine } from '../../standins/chat/user-notices.js';

/**
 * The chat stand-in's USERNOTICEs carry the tags real Twitch sends. The reference lines are
 * real captures from robotty/twitch-irc-rs src/message/commands/usernotice.rs (commit
 * 14e727a196d3d5f99fffd034ff69726341faed35; test_raid, test_subgift, test_submysterygift).
 */
const REAL = {
  raid: '@badge-info=;badges=glhf-pledge/1;color=#FF69B4;display-name=iamelisabete;emotes=;flags=;id=bb99dda7-3736-4583-9114-52aa11b23d17;login=iamelisabete;mod=0;msg-id=raid;msg-param-displayName=iamelisabete;msg-param-login=iamelisabete;msg-param-profileImageURL=https://static-cdn.jtvnw.net/jtv_user_pictures/cae3ca63-510d-4715-b4ce-059dcf938978-profile_image-70x70.png;msg-param-viewerCount=430;room-id=71092938;subscriber=0;system-msg=430\\sraiders\\sfrom\\siamelisabete\\shave\\sjoined!;tmi-sent-ts=1594517796120;user-id=155874595;user-type= :tmi.twitch.tv USERNOTICE #xqcow',
  subgift:
    '@badge-info=;badges=sub-gifter/50;color=;display-name=AdamAtReflectStudios;emotes=;flags=;id=e21409b1-d25d-4a1a-b5cf-ef27d8b7030e;login=adamatreflectstudios;mod=0;msg-id=subgift;msg-param-gift-months=1;msg-param-months=2;msg-param-origin-id=da\\s39\\sa3\\see\\s5e\\s6b\\s4b\\s0d\\s32\\s55\\sbf\\sef\\s95\\s60\\s18\\s90\\saf\\sd8\\s07\\s09;msg-param-recipient-display-name=qatarking24xd;msg-param-recipient-id=236653628;msg-param-recipient-user-name=qatarking24xd;msg-param-sender-count=0;msg-param-sub-plan-name=Channel\\sSubscription\\s(xqcow);msg-param-sub-plan=1000;room-id=71092938;subscriber=0;system-msg=AdamAtReflectStudios\\sgifted\\sa\\sTier\\s1\\ssub\\sto\\sqatarking24xd!;tmi-sent-ts=1594583782376;user-id=211711554;user-type= :tmi.twitch.tv USERNOTICE #xqcow',
  submysterygift:
    "@badge-info=;badges=sub-gifter/50;color=;display-name=AdamAtReflectStudios;emotes=;flags=;id=049e6371-7023-4fca-8605-7dec60e72e12;login=adamatreflectstudios;mod=0;msg-id=submysterygift;msg-param-mass-gift-count=20;msg-param-origin-id=1f\\sbe\\sbb\\s4a\\s81\\s9a\\s65\\sd1\\s4b\\s77\\sf5\\s23\\s16\\s4a\\sd3\\s13\\s09\\se7\\sbe\\s55;msg-param-sender-count=100;msg-param-sub-plan=1000;room-id=71092938;subscriber=0;system-msg=AdamAtReflectStudios\\sis\\sgifting\\s20\\sTier\\s1\\sSubs\\sto\\sxQcOW's\\scommunity!\\sThey've\\sgifted\\sa\\stotal\\sof\\s100\\sin\\sthe\\schannel!;tmi-sent-ts=1594583777669;user-id=211711554;user-type= :tmi.twitch.tv USERNOTICE #xqcow",
};

const ROOM = { login: 'streamer', roomId: '71092938' };
const user = (login: string, userId: string) => ({ login, displayName: login, userId });

function parsed(raw: string) {
  const line = parseLine(raw);
  if (!line) throw new Error(`not IRC: ${raw}`);
  return line;
}

describe('chat stand-in USERNOTICEs', () => {
  it('a raid has the tags of a real one', () => {
    const now = Date.now();
    const ours = parsed(raidLine(ROOM, user('raiding_rita', '42'), 120, now));
    const real = parsed(REAL.raid);
    expect(Object.keys(ours.tags).sort()).toEqual(Object.keys(real.tags).sort());
    expect(ours).toMatchObject({ prefix: 'tmi.twitch.tv', command: 'USERNOTICE' });
    expect(ours.params).toEqual(['#streamer']);
    expect(ours.tags).toMatchObject({
      'msg-id': 'raid',
      'room-id': '71092938',
      'user-id': '42',
      'msg-param-viewerCount': '120',
      'tmi-sent-ts': String(now),
      'system-msg': '120 raiders from raiding_rita have joined!',
    });
  });

  it('a community gift is a submysterygift, then a subgift per recipient, one origin id', () => {
    const lines = giftLines(
      ROOM,
      user('gifter', '7'),
      [user('lucky1', '11'), user('lucky2', '12')],
      Date.now(),
    ).map(parsed);
    expect(lines.map((l) => l.tags['msg-id'])).toEqual(['submysterygift', 'subgift', 'subgift']);
    const [mystery, ...gifts] = lines;
    expect(Object.keys(mystery!.tags).sort()).toEqual(
      Object.keys(parsed(REAL.submysterygift).tags).sort(),
    );
    for (const g of gifts)
      expect(Object.keys(g.tags).sort()).toEqual(Object.keys(parsed(REAL.subgift).tags).sort());
    expect(new Set(lines.map((l) => l.tags['msg-param-origin-id'])).size).toBe(1);
    expect(new Set(lines.map((l) => l.tags.id)).size).toBe(3);
    expect(mystery!.tags['msg-param-mass-gift-count']).toBe('2');
    expect(gifts.map((g) => g.tags['msg-param-recipient-user-name'])).toEqual(['lucky1', 'lucky2']);
    // Every line names the gifter: the detector counts each gifter once.
    expect(lines.map((l) => l.tags['user-id'])).toEqual(['7', '7', '7']);
  });

  it('a gift to one viewer is a lone subgift', () => {
    const lines = giftLines(ROOM, user('gifter', '7'), [user('lucky1', '11')], Date.now());
    expect(lines.map((l) => parsed(l).tags['msg-id'])).toEqual(['subgift']);
  });
});
