import { afterEach, describe, expect, it } from 'vitest';
import { startE2E, type E2E } from '../helpers/e2e-harness.js';

/**
 * What real Twitch chat does that a reading of the docs misses, against the real bot: the
 * duplicate rule after Twitch drops the tag block, Shared Chat copies, /me and bits lines.
 */

let scene: E2E | undefined;
afterEach(async () => {
  await scene?.stop();
  scene = undefined;
});

const CLIP_LINK = 'clips.twitch.tv/';

describe('Twitch chat as it is in the wild', () => {
  it('delivers every one of six identical answers to two viewers, none lost to the duplicate rule', async () => {
    scene = await startE2E();
    const s = scene;
    // Not a moderator: Twitch's duplicate rule applies (30 s), and the stand-in drops the
    // tag block before comparing, as Twitch has since August 2025.
    const asked = [
      s.say('!clipconfig', { login: 'ann' }),
      s.say('!clipconfig off', { login: 'bob' }),
      s.say('!clips', { login: 'ann' }),
      s.say('!clips week', { login: 'bob' }),
      s.say('!clips month', { login: 'ann' }),
      s.say('!clips all', { login: 'bob' }),
    ];
    const replies = [];
    for (const id of asked) replies.push(await s.replyTo(id, 20_000));
    const texts = replies.map((r) => r.text);
    for (const t of texts) expect(t).not.toMatch(/went wrong/i);
    // Identical answers really were due (the same refusal, the same empty list, the same
    // cooldown; their order depends on how fast each command runs): wherever one followed
    // its twin, only the invisible U+034F suffix told it apart for Twitch.
    const sent = s.botMessages().map((m) => m.text);
    const plain = sent.map((t) => t.replace(/ \u034f$/, ''));
    expect(new Set(plain).size).toBeLessThan(sent.length);
    for (let i = 1; i < sent.length; i++) expect(sent[i]).not.toBe(sent[i - 1]);
    for (const t of sent) expect(t).not.toMatch(/[\u{E0000}-\u{E007F}]/u);
    expect(s.world.chat.rejected).toEqual([]);
    expect(s.world.chat.violations).toEqual([]);
    expect(s.botMessages()).toHaveLength(6);
  }, 40_000);

  it('acts once on a Shared Chat message, in the channel it was typed in', async () => {
    scene = await startE2E({ channels: ['streamer', 'partner'] });
    const s = scene;
    s.world.chat.startSharedChat(['streamer', 'partner']);
    const partnerId = s.world.twitch.userId('partner');

    const id = s.say('!clip from the partner', { login: 'vera', channel: 'partner' });
    const reply = await s.replyTo(id);
    expect(reply.channel).toBe('partner');
    expect(reply.text).toContain(CLIP_LINK);
    const created = s.world.twitch.createdClips();
    expect(created.map((c) => c.broadcasterId)).toEqual([partnerId]);

    // A moderator of the partner channel is a viewer here: the copy in #partner is not
    // acted on, and the origin room judges by the badges the chatter has there.
    const asked = s.world.chat.say('streamer', {
      login: 'mod_of_partner',
      role: 'viewer',
      partnerRoles: { partner: 'moderator' },
      text: '!clipconfig off',
    });
    const refused = await s.replyTo(asked);
    expect(refused.channel).toBe('streamer');
    expect(refused.text).toMatch(/Only moderators and the broadcaster/);
    const streamerId = s.world.twitch.userId('streamer');
    expect((await s.services.settings.get(streamerId)).enabled).toBe(true);
    expect((await s.services.settings.get(partnerId)).enabled).toBe(true);
    expect(s.world.twitch.createdClips()).toHaveLength(1);
    expect(s.botMessages('partner')).toHaveLength(1);
    expect(s.botMessages('streamer')).toHaveLength(1);
  });

  it('ignores a Shared Chat copy from a partner channel the bot does not serve', async () => {
    scene = await startE2E({ channels: ['streamer', 'outsider'], joinChannels: ['streamer'] });
    const s = scene;
    s.world.chat.startSharedChat(['streamer', 'outsider']);
    s.say('!clip', { login: 'olga', channel: 'outsider' });
    // Lines arrive in order: once a later command is answered, the copy was read.
    const later = s.say('!cliphelp clip', { login: 'walt' });
    await s.replyTo(later);
    expect(s.world.twitch.count('POST', '/clips')).toBe(0);
    // No live check (by user id); the live table's refresh asks by login on its own.
    const liveChecks = s.world.twitch.journal.filter(
      (e) => e.path === '/helix/streams' && e.query.user_id !== undefined,
    );
    expect(liveChecks).toHaveLength(0);
    expect(s.botMessages()).toHaveLength(1);
  });

  it('reads /me lines and bits messages as chat, leaving cheermotes out of the title', async () => {
    scene = await startE2E();
    const s = scene;
    const action = s.world.chat.say(s.channel, {
      login: 'amy',
      text: '!clip what a play',
      action: true,
    });
    const first = await s.replyTo(action);
    expect(first.text).toContain(CLIP_LINK);
    expect(s.world.twitch.createdClips().map((c) => c.title)).toEqual(['what a play']);

    // Cheermotes before and after the command: neither is part of what the bot reads.
    const cheer = s.world.chat.say(s.channel, {
      login: 'ben',
      text: 'Cheer100 !clipinfo nonexistentclip BibleThump50',
      bits: 150,
    });
    const info = await s.replyTo(cheer);
    expect(info.text).not.toMatch(/cheer|biblethump/i);
    expect(info.text).toMatch(/nonexistentclip/i);
  });
});
