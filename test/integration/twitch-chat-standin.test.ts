import tmi from 'tmi.js';
import { afterEach, describe, expect, it } from 'vitest';
import { TwitchChatStandIn } from '../../src/sandbox/chat/index.js';

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
});
