import { afterEach, describe, expect, it } from 'vitest';
import { startE2E, waitFor, type E2E } from '../helpers/e2e-harness.js';

/** Many viewers at once, hostile lines and dropped connections, against the real bot. */

let scene: E2E | undefined;
afterEach(async () => {
  await scene?.stop();
  scene = undefined;
});

const CLIP_LINK = 'clips.twitch.tv/';
// Control characters a message can carry (CR and LF cannot: they end an IRC line).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Everyone a clip answer covers: its @names plus its "+N others". */
function named(text: string): { names: string[]; others: number } {
  const names = [...text.matchAll(/@(\w+)/g)].map((m) => m[1]!.toLowerCase());
  const others = Number(/\+(\d+) others?/.exec(text)?.[1] ?? 0);
  return { names, others };
}

describe('a chat full of !clip', () => {
  it('turns 100 viewers clipping within one second into one clip and a handful of messages', async () => {
    scene = await startE2E();
    const s = scene;
    const viewers = Array.from({ length: 100 }, (_, i) => `viewer_${String(i).padStart(3, '0')}`);
    for (const [i, login] of viewers.entries()) {
      s.say('!clip', { login });
      // Spread over most of the second: later requests arrive after the clip is finished.
      // (No check of the wall time: a loaded machine may stretch it, and every assertion
      // below holds for any spread within the coalescing window.)
      if (i % 10 === 9) await sleep(80);
    }

    // Every viewer is covered by some answer: named, or counted in "+N others".
    let covered = 0;
    await waitFor(
      () => {
        const answers = s.botMessages().filter((m) => m.text.includes(CLIP_LINK));
        covered = answers.reduce((n, m) => {
          const { names, others } = named(m.text);
          return n + names.length + others;
        }, 0);
        return covered >= 100;
      },
      { timeoutMs: 60_000, what: 'answers covering all 100 viewers' },
    );
    const messages = s.botMessages();
    expect(covered).toBe(100);
    expect(s.world.twitch.count('POST', '/clips')).toBe(1);
    expect(messages.length).toBeLessThanOrEqual(5);
    const namedLogins = messages.flatMap((m) => named(m.text).names);
    expect(new Set(namedLogins).size).toBe(namedLogins.length);
    for (const n of namedLogins) expect(viewers).toContain(n);
    for (const m of messages) expect(m.text.length).toBeLessThanOrEqual(500);
    expect(s.world.chat.violations).toEqual([]);
  });
});

describe('hostile and odd chat lines', () => {
  it('survives a 10,000-character line, control characters and unknown commands', async () => {
    scene = await startE2E();
    const s = scene;
    const huge = 'W'.repeat(10_000);
    const ignored = [
      s.say(huge, { login: 'flooder' }),
      s.say(`!${huge}`, { login: 'flooder2' }),
      s.say('!clipz', { login: 'typo' }),
      s.say('!foo bar baz', { login: 'otherbot_fan' }),
      s.say('!', { login: 'bang' }),
      s.say('!!!!', { login: 'bang2' }),
      s.say('\u0001ACTION dances\u0001', { login: 'dancer' }),
    ];
    // A title over the limit is refused with one short answer, not cut or passed on.
    const longTitle = s.say(`!clip ${huge}`, { login: 'flooder3' });
    // A title full of control characters is cleaned and still makes a clip.
    const nasty = s.say('!clip \u0000bell\u0007 \u001b[31mred\u001b[0m \u202eevil\u200b', {
      login: 'nasty',
    });
    const after = s.say('!clip', { login: 'after_all', displayName: 'after_all' });

    const answer = await s.waitForBot(
      (m) => m.text.includes(CLIP_LINK) && m.text.includes('@after_all'),
    );
    expect([nasty, after]).toContain(answer.replyParentMsgId);
    const created = s.world.twitch.createdClips();
    expect(created).toHaveLength(1);
    expect(created[0]!.title).not.toMatch(CONTROLS);
    expect(created[0]!.title).toMatch(/^bell .*red.* evil$/);
    expect((await s.replyTo(longTitle)).text).toMatch(/title is too long/);

    // Unknown commands and plain lines get no answer; nothing the bot said is out of bounds.
    const help = s.say('!cliphelp', { login: 'helen' });
    await s.replyTo(help);
    for (const id of ignored) {
      expect(s.botMessages().some((m) => m.replyParentMsgId === id)).toBe(false);
    }
    for (const m of s.botMessages()) {
      expect(m.text.length).toBeLessThanOrEqual(500);
      expect(m.text).not.toMatch(CONTROLS);
    }
    expect(s.twitchChat?.isConnected()).toBe(true);
    expect(s.world.chat.violations).toEqual([]);
  });
});

describe('a dropped chat connection', () => {
  it('reconnects, rejoins and keeps answering', async () => {
    scene = await startE2E();
    const s = scene;
    const first = s.say('!clip', { login: 'alice' });
    expect((await s.replyTo(first)).text).toContain(CLIP_LINK);

    const rejoined = new Promise<void>((resolve) =>
      s.world.chat.events.on('join', (e: { channel: string }) => {
        if (e.channel === s.channel) resolve();
      }),
    );
    s.world.chat.dropConnections();
    await waitFor(() => !s.world.chat.joined(s.channel), { what: 'the drop' });
    await rejoined;
    expect(s.world.chat.connectionCount()).toBe(1);

    const second = s.say('!clip', { login: 'bob', displayName: 'bob' });
    const answer = await s.replyTo(second);
    expect(answer.text).toContain(CLIP_LINK);
    expect(answer.text).toContain('@bob');
    expect(s.world.chat.violations).toEqual([]);
  });

  it('logs in again when Twitch revoked the token while the bot sat in chat', async () => {
    scene = await startE2E();
    const s = scene;
    const oldToken = s.config.TWITCH_ACCESS_TOKEN!;
    // Revoked without the bot calling Helix since: only the chat login can notice.
    s.world.twitch.expireToken(oldToken);
    const refused: unknown[] = [];
    s.world.chat.events.on('login-failed', (e) => refused.push(e));
    const loggedIn = new Promise<void>((resolve) =>
      s.world.chat.events.once('login', () => resolve()),
    );
    s.world.chat.dropConnections();
    await loggedIn;
    await waitFor(() => s.world.chat.joined(s.channel), { what: 'the rejoin' });
    expect(await s.tokens.getToken('user')).not.toBe(oldToken);
    // The dead token was refreshed before chat ever saw it.
    expect(refused).toEqual([]);

    const asked = s.say('!clip', { login: 'carol' });
    expect((await s.replyTo(asked)).text).toContain(CLIP_LINK);
    expect(s.world.chat.violations).toEqual([]);
  });
});
