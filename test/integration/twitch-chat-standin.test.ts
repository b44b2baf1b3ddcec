import tmi from 'tmi.js';
import { afterEach, describe, expect, it } from 'vitest';
import { TwitchChatStandIn } from '../../standins/chat/index.js';

/** The stand-in speaks to the real tmi.js 1.8.5, with nothing of ours in between. */

const standIns: TwitchChatStandIn[] = [];
const clients: tmi.Client[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) {
    if (c.readyState() === 'OPEN') await c.disconnect().catch(() => undefined);
  }
  for (const s of standIns.splice(0)) await s.stop();
});

async function standIn(
  limits: ConstructorParameters<typeof TwitchChatStandIn>[0] = {},
): Promise<{ chat: TwitchChatStandIn; port: number }> {
  const chat = new TwitchChatStandIn(limits);
  standIns.push(chat);
  const { port } = await chat.start();
  return { chat, port };
}

function client(port: number, username = 'clipbot', password = 'tok123'): tmi.Client {
  const c = new tmi.Client({
    options: { skipUpdatingEmotesets: true },
    connection: { server: '127.0.0.1', port, secure: false, reconnect: false },
    identity: { username, password },
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  clients.push(c);
  return c;
}

async function waitFor(cond: () => boolean, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('TwitchChatStandIn with tmi.js', () => {
  it('logs in, joins with USERSTATE and ROOMSTATE, and delivers chatters with real tags', async () => {
    const { chat, port } = await standIn();
    chat.setChannel('streamer', { roomId: '4242', botIsModerator: true });
    const c = client(port);
    const roomstates: Record<string, unknown>[] = [];
    c.on('roomstate', (_ch, state) => roomstates.push(state as Record<string, unknown>));
    await c.connect();
    await expect(c.join('streamer')).resolves.toEqual(['#streamer']);
    expect(chat.joined('streamer')).toBe(true);
    expect(chat.joinedChannels()).toEqual(['streamer']);
    expect(roomstates[0]?.['room-id']).toBe('4242');
    // tmi.js reads the bot's moderator status from USERSTATE's user-type.
    expect(c.isMod('streamer', 'clipbot')).toBe(true);

    const seen: tmi.ChatUserstate[] = [];
    const texts: string[] = [];
    c.on('chat', (_ch, tags, text) => {
      seen.push(tags);
      texts.push(text);
    });
    const id = chat.say('streamer', {
      login: 'Alice',
      displayName: 'Alice',
      role: 'moderator',
      text: '!clip a; b \\ c',
    });
    chat.say('streamer', { login: 'bob', role: 'subscriber', text: 'hi', months: 14 });
    chat.say('streamer', { login: 'vee', role: 'vip', text: 'hi' });
    chat.say('streamer', { login: 'streamer', role: 'broadcaster', text: 'hi' });
    await waitFor(() => seen.length === 4);
    const [mod, sub, vip, caster] = seen;
    expect(texts[0]).toBe('!clip a; b \\ c');
    expect(mod).toMatchObject({
      id,
      username: 'alice',
      'display-name': 'Alice',
      mod: true,
      'user-type': 'mod',
      'room-id': '4242',
      badges: { moderator: '1' },
    });
    expect(sub).toMatchObject({ subscriber: true, badges: { subscriber: '12' } });
    expect(sub?.['badge-info']).toEqual({ subscriber: '14' });
    expect(vip).toMatchObject({ vip: true, badges: { vip: '1' } });
    expect(caster).toMatchObject({ badges: { broadcaster: '1' }, 'user-id': '4242' });
  });

  it('records what the bot sends, with the threaded reply parent', async () => {
    const { chat, port } = await standIn({ limits: { channelSpacingMs: 0 } });
    const c = client(port);
    await c.connect();
    await c.join('room');
    await c.say('room', 'plain');
    await c.raw('@reply-parent-msg-id=abc-123 PRIVMSG #room :threaded');
    const threaded = await chat.waitForMessage((m) => m.text === 'threaded');
    expect(threaded).toMatchObject({
      login: 'clipbot',
      channel: 'room',
      replyParentMsgId: 'abc-123',
    });
    expect(chat.sent.map((m) => m.text)).toEqual(['plain', 'threaded']);
  });

  it('refuses a token its validator does not know, the way Twitch does', async () => {
    const { chat, port } = await standIn();
    chat.setTokenValidator((token) => (token === 'good' ? 'clipbot' : undefined));
    const bad = client(port, 'clipbot', 'oauth:bad');
    const reason = new Promise<string>((resolve) => bad.once('disconnected', resolve));
    await expect(bad.connect()).rejects.toBeDefined();
    expect(await reason).toContain('Login authentication failed');

    const good = client(port, 'clipbot', 'good');
    await expect(good.connect()).resolves.toBeDefined();
  });

  it('answers PING, and cuts or asks clients to reconnect', async () => {
    const { chat, port } = await standIn({ reconnectGraceMs: 50 });
    const c = client(port);
    await c.connect();
    const [latency] = await c.ping();
    expect(latency).toBeGreaterThanOrEqual(0);

    const reconnectAsked = new Promise<void>((resolve) => {
      c.on('disconnected', () => resolve());
    });
    chat.sendReconnect();
    await reconnectAsked;
    await waitFor(() => chat.connectionCount() === 0);
  });

  it('drops connections on demand', async () => {
    const { chat, port } = await standIn();
    const c = client(port);
    await c.connect();
    const closed = new Promise<void>((resolve) => c.once('disconnected', () => resolve()));
    chat.dropConnections();
    await closed;
    expect(c.readyState()).not.toBe('OPEN');
  });

  it("records breaches of Twitch's spacing, length, rate and join limits", async () => {
    const { chat, port } = await standIn({
      limits: {
        channelSpacingMs: 10_000,
        messageWindowMs: 10_000,
        normalLimit: 3,
        joinLimit: 3,
        joinWindowMs: 10_000,
      },
    });
    chat.setChannel('modroom', { botIsModerator: true });
    const c = client(port);
    await c.connect();
    for (const ch of ['a', 'b', 'modroom', 'd']) await c.join(ch);
    expect(chat.violations.map((v) => [v.kind, v.channel])).toEqual([['join_rate', 'd']]);

    await c.raw('PRIVMSG #a :one');
    await c.raw('PRIVMSG #a :two');
    await c.raw('PRIVMSG #b :three');
    // Moderator: no spacing rule, and the higher limit.
    await c.raw('PRIVMSG #modroom :four');
    await c.raw('PRIVMSG #modroom :five');
    await c.raw(`PRIVMSG #d :${'x'.repeat(501)}`);
    await c.raw('PRIVMSG #d :seven');
    await chat.waitForMessage((m) => m.text === 'five');
    await waitFor(() => chat.violations.length === 4);
    expect(chat.violations.slice(1).map((v) => [v.kind, v.channel])).toEqual([
      ['too_fast', 'a'],
      ['too_long', 'd'],
      ['rate_limit', 'd'],
    ]);
    expect(chat.sent.map((m) => m.text)).toEqual(['one', 'three', 'four', 'five']);
  });

  it('drops a message identical to the previous one within the window unless the bot is VIP', async () => {
    const { chat, port } = await standIn({
      limits: { channelSpacingMs: 0, duplicateWindowMs: 10_000 },
    });
    chat.setChannel('vroom', { botIsVip: true });
    const c = client(port);
    await c.connect();
    await c.join('room');
    await c.join('vroom');
    for (const text of ['x', 'x', 'y', 'x']) await c.raw(`PRIVMSG #room :${text}`);
    for (const text of ['v', 'v']) await c.raw(`PRIVMSG #vroom :${text}`);
    await waitFor(() => chat.sent.length === 5);
    expect(chat.sent.map((m) => `${m.channel}:${m.text}`)).toEqual([
      'room:x',
      'room:y',
      'room:x',
      'vroom:v',
      'vroom:v',
    ]);
    expect(chat.violations.map((v) => v.kind)).toEqual(['duplicate']);
  });

  it('sends every chat mode in ROOMSTATE on JOIN, then only what changed, with the NOTICE', async () => {
    const { chat, port } = await standIn();
    chat.setChannel('room', { roomId: '77' });
    chat.setRoomState('room', { slow: 10, followersOnly: 0, subsOnly: true });
    const c = client(port);
    const lines: { command: string; tags: Record<string, unknown>; text?: string }[] = [];
    c.on('raw_message', (_copy, raw) => {
      const m = raw as RawLine;
      if (m.command !== 'ROOMSTATE' && m.command !== 'NOTICE') return;
      const line = { command: m.command, tags: { ...m.tags } };
      lines.push(m.params[1] === undefined ? line : { ...line, text: m.params[1] });
    });
    await c.connect();
    await c.join('room');
    expect(lines).toEqual([
      {
        command: 'ROOMSTATE',
        tags: {
          'emote-only': '0',
          'followers-only': '0',
          r9k: '0',
          'room-id': '77',
          slow: '10',
          'subs-only': '1',
        },
      },
    ]);
    // subs-only does not change: only slow and emote-only are sent.
    chat.setRoomState('room', { slow: 0, emoteOnly: true, subsOnly: true });
    chat.setRoomState('room', { followersOnly: 30 });
    await waitFor(() => lines.length === 6);
    expect(lines.slice(1)).toEqual([
      { command: 'ROOMSTATE', tags: { 'emote-only': '1', 'room-id': '77', slow: '0' } },
      {
        command: 'NOTICE',
        tags: { 'msg-id': 'slow_off' },
        text: 'This room is no longer in slow mode.',
      },
      {
        command: 'NOTICE',
        tags: { 'msg-id': 'emote_only_on' },
        text: 'This room is now in emote-only mode.',
      },
      { command: 'ROOMSTATE', tags: { 'followers-only': '30', 'room-id': '77' } },
      {
        command: 'NOTICE',
        tags: { 'msg-id': 'followers_on' },
        text: 'This room is now in 30 minutes followers-only mode.',
      },
    ]);
    expect(chat.roomState('room')).toEqual({
      slow: 0,
      followersOnly: 30,
      subsOnly: true,
      emoteOnly: true,
      r9k: false,
    });
  });

  it("refuses a non-privileged bot's messages the way Twitch does, and confirms the rest", async () => {
    const { chat, port } = await standIn({ limits: { channelSpacingMs: 0 } });
    const now = Date.now();
    const rooms: [string, Parameters<TwitchChatStandIn['setRoomState']>[1], object][] = [
      ['emote', { emoteOnly: true }, {}],
      ['subs', { subsOnly: true }, {}],
      ['subok', { subsOnly: true }, { botIsSubscriber: true }],
      ['fol', { followersOnly: 0 }, {}],
      ['fol10', { followersOnly: 10 }, { botFollowedAt: now - 2 * 60_000 }],
      ['folok', { followersOnly: 10 }, { botFollowedAt: now - 20 * 60_000 }],
      ['slow', { slow: 10 }, {}],
      ['uniq', { r9k: true }, {}],
      ['banned', {}, { botBanned: true }],
      ['timeout', {}, { botTimedOutUntil: now + 30_000 }],
      ['email', {}, { botNeedsVerifiedEmail: true }],
      ['vip', { subsOnly: true, emoteOnly: true, slow: 30, followersOnly: 0 }, { botIsVip: true }],
      ['mod', { subsOnly: true, r9k: true }, { botIsModerator: true }],
    ];
    for (const [room, modes, setup] of rooms) {
      chat.setChannel(room, setup);
      chat.setRoomState(room, modes);
    }
    chat.say('uniq', { login: 'viewer', text: 'hello world' });
    const c = client(port);
    const answers: string[] = [];
    c.on('raw_message', (_copy, raw) => {
      const m = raw as RawLine;
      const room = m.params[0]?.slice(1);
      if (m.command === 'USERSTATE') answers.push(`${room} USERSTATE`);
      if (m.command === 'NOTICE')
        answers.push(`${room} ${String(m.tags['msg-id'])}: ${m.params[1]}`);
    });
    await c.connect();
    for (const [room] of rooms) await c.join(room);
    answers.length = 0;
    for (const [room] of rooms) {
      await c.raw(`PRIVMSG #${room} :hello world`);
      if (room === 'slow' || room === 'mod') await c.raw(`PRIVMSG #${room} :second one`);
    }
    await waitFor(() => answers.length === rooms.length + 2);
    expect(answers).toEqual([
      'emote msg_emoteonly: This room is in emote-only mode. You can find your currently available emoticons using the smiley in the chat text area.',
      'subs msg_subsonly: This room is in subscribers only mode. To talk, purchase a channel subscription at https://www.twitch.tv/products/subs/ticket?ref=subscriber_only_mode_chat.',
      'subok USERSTATE',
      'fol msg_followersonly_zero: This room is in followers-only mode. Follow fol to join the community!',
      'fol10 msg_followersonly_followed: This room is in 10 minutes followers-only mode. You have been following for 2 minutes. Continue following to chat!',
      'folok USERSTATE',
      'slow USERSTATE',
      'slow msg_slowmode: This room is in slow mode and you are sending messages too quickly. You will be able to talk again in 10 seconds.',
      'uniq msg_r9k: This room is in unique-chat mode and the message you attempted to send is not unique.',
      'banned msg_banned: You are permanently banned from talking in banned.',
      'timeout msg_timedout: You are timed out for 30 more seconds.',
      'email msg_verified_email: This room requires a verified account to chat. Please verify your account at https://www.twitch.tv/settings/security.',
      'vip USERSTATE',
      'mod USERSTATE',
      'mod USERSTATE',
    ]);
    expect(chat.sent.map((m) => `${m.channel}:${m.text}`)).toEqual([
      'subok:hello world',
      'folok:hello world',
      'slow:hello world',
      'vip:hello world',
      'mod:hello world',
      'mod:second one',
    ]);
    expect(chat.rejected.map((r) => [r.channel, r.msgId, r.text])).toContainEqual([
      'slow',
      'msg_slowmode',
      'second one',
    ]);
    expect(chat.rejected).toHaveLength(9);
    // Chat modes are not Twitch's sending limits: nothing was breached.
    expect(chat.violations).toEqual([]);
  });

  it('says so when a message is a duplicate or too fast, and can stay silent on success', async () => {
    const { chat, port } = await standIn({
      limits: { channelSpacingMs: 5_000, duplicateWindowMs: 10_000 },
      echoUserstate: false,
    });
    const c = client(port);
    const answers: string[] = [];
    c.on('raw_message', (_copy, raw) => {
      const m = raw as RawLine;
      if (m.command === 'USERSTATE' || m.command === 'NOTICE') {
        answers.push(`${m.command} ${String(m.tags['msg-id'] ?? '')}`.trim());
      }
    });
    await c.connect();
    await c.join('room');
    answers.length = 0;
    await c.raw('PRIVMSG #room :x');
    await c.raw('PRIVMSG #room :y');
    await waitFor(() => answers.length === 1);
    // No USERSTATE for the message shown; the one too soon is refused out loud.
    expect(answers).toEqual(['NOTICE msg_ratelimit']);
    expect(chat.violations.map((v) => v.kind)).toEqual(['too_fast']);
    expect(chat.rejected.map((r) => r.msgId)).toEqual(['msg_ratelimit']);
  });
});

interface RawLine {
  command: string;
  tags: Record<string, unknown>;
  params: string[];
}
