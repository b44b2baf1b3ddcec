import { afterEach, describe, expect, it } from 'vitest';
import { startE2E, waitFor, type E2E } from '../helpers/e2e-harness.js';
import { channelOf, isPrivmsg, realIrcLines, withCommand } from '../helpers/real-irc.js';

/**
 * The corpus of real Twitch IRC lines replayed through the chat stand-in into the real App
 * (tmi.js over a socket, Redis, the router): it survives every line, answers the commands
 * real tags carry as each chatter's role allows, and ignores what is not for it.
 */

let scene: E2E | undefined;
afterEach(async () => {
  await scene?.stop();
  scene = undefined;
});

const corpus = realIrcLines();
const channels = [...new Set(corpus.map((e) => channelOf(e.line)).filter((c) => c !== undefined))];
const tag = (line: string, name: string): string | undefined =>
  new RegExp(`[@;]${name}=([^; ]*)`).exec(line)?.[1];

describe('replaying real Twitch traffic into the bot', () => {
  it('answers, refuses or ignores each real line as Twitch meant it, and stays up', async () => {
    scene = await startE2E({ channels });
    const s = scene;
    // A moderator everywhere: its answers need no spacing, so the replay runs fast.
    for (const c of channels) s.world.chat.setChannel(c, { botIsModerator: true });
    const reconnect = corpus.find((e) => e.line.endsWith(' RECONNECT'))!;

    for (const e of corpus) if (e !== reconnect) s.world.chat.sendRaw(e.line, channelOf(e.line));
    const privmsgs = corpus.filter(isPrivmsg);
    privmsgs.forEach((e, n) =>
      s.world.chat.sendRaw(withCommand(e, '!clipconfig', `replay-${n}`), channelOf(e.line)),
    );
    // A refusal is answered once per chatter and channel, then the bot stays quiet.
    const refused = new Set<string>();
    const expected = privmsgs.map((e): 'settings' | 'refusal' | 'none' => {
      if (e.expect === 'ignored') return 'none';
      if (e.expect === 'broadcaster' || e.expect === 'moderator') return 'settings';
      const who = `${tag(e.line, 'room-id')}/${tag(e.line, 'user-id')}`;
      if (refused.has(who)) return 'none';
      refused.add(who);
      return 'refusal';
    });
    const repliesTo = (n: number) =>
      s.world.chat.sent.filter((m) => m.replyParentMsgId === `replay-${n}`);
    await waitFor(() => expected.every((x, n) => x === 'none' || repliesTo(n).length > 0), {
      what: 'an answer to every command the bot should answer',
      timeoutMs: 15_000,
    });
    // Lines are read in order: a command typed after the replay is answered once all of it
    // has been read, so anything still owed would have had its turn.
    const probe = s.say('!cliphelp', { login: 'probe' });
    await s.replyTo(probe, 15_000);
    privmsgs.forEach((e, n) => {
      const replies = repliesTo(n);
      if (expected[n] === 'none') {
        expect(replies, e.name).toEqual([]);
        return;
      }
      expect(replies, e.name).toHaveLength(1);
      expect(replies[0]!.channel, e.name).toBe(channelOf(e.line));
      if (expected[n] === 'refusal') {
        expect(replies[0]!.text, e.name).toMatch(/Only moderators and the broadcaster/);
      } else {
        expect(replies[0]!.text, e.name).not.toMatch(/Only moderators|went wrong/);
      }
    });
    // Real chatter's own words (none is a command) got no answer at all.
    const answered = new Set(s.world.chat.sent.map((m) => m.replyParentMsgId));
    for (const e of corpus) {
      const id = tag(e.line, 'id');
      if (id) expect(answered.has(id), e.name).toBe(false);
    }
    expect(s.world.chat.violations).toEqual([]);

    // Twitch's RECONNECT: the bot comes back, rejoins and answers.
    const logins: unknown[] = [];
    s.world.chat.events.on('login', (e) => logins.push(e));
    s.world.chat.sendRaw(reconnect.line);
    await waitFor(() => logins.length === 1 && s.world.chat.joined(s.channel), {
      what: 'the bot to reconnect',
    });
    await waitFor(() => s.twitchChat?.ready(s.channel) === true, { what: 'a rejoin' });
    const after = s.say('!cliphelp clip', { login: 'after_reconnect' });
    expect((await s.replyTo(after, 15_000)).channel).toBe(s.channel);
  }, 60_000);
});
