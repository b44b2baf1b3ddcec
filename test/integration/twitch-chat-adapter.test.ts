import { afterEach, describe, expect, it } from 'vitest';
import { ChatNotReadyError } from '../../src/chat/twitch/index.js';
import { isUndeliverable } from '../../src/replies/delivery-errors.js';
import { FAILURE_TEXT } from '../../src/clips/reasons.js';
import {
  cleanupRigs,
  connectedTo,
  CREATED,
  envelope,
  request,
  rig,
  RULES,
  ADAPTER_LIMITS,
  startDispatcher,
  waitFor,
} from './twitch-chat-rig.js';
import { encodeReplyEntry } from '../../src/core/reply-envelope.js';

/**
 * Real tmi.js over a real WebSocket to the chat stand-in, channels from Redis. Twitch's
 * windows are shrunk (same rules, smaller numbers) so the suite runs in seconds.
 */

afterEach(cleanupRigs);

describe('TwitchChatAdapter', () => {
  it('connects, joins the configured channels and reports it', async () => {
    const r = await rig({ configured: ['streamer', 'other'] });
    await connectedTo(r, 'streamer', 'other');
    expect(r.adapter.joinedChannels().sort()).toEqual(['other', 'streamer']);
    expect(r.chat.joinedChannels().sort()).toEqual(['other', 'streamer']);
    expect(r.adapter.ready()).toBe(true);
    expect(r.adapter.ready('nowhere')).toBe(false);
  });

  it('turns chat lines into IncomingCommands with the right role, and ignores the rest', async () => {
    const r = await rig({ before: (chat) => chat.setChannel('streamer', { roomId: '4242' }) });
    await connectedTo(r, 'streamer');
    const id = r.chat.say('streamer', {
      login: 'viewer1',
      displayName: 'Viewer1',
      userId: '1001',
      role: 'viewer',
      text: '!clip 45 what a play',
    });
    r.chat.say('streamer', { login: 'sub1', role: 'subscriber', text: '!clip' });
    r.chat.say('streamer', { login: 'vip1', role: 'vip', text: '!clip' });
    r.chat.say('streamer', { login: 'mod1', role: 'moderator', text: '!clipconfig' });
    r.chat.say('streamer', { login: 'streamer', role: 'broadcaster', text: '!clip' });
    // No badge, but the user id is the room id: still the broadcaster.
    r.chat.say('streamer', { login: 'streamer', userId: '4242', role: 'viewer', text: '!clip x' });
    r.chat.say('streamer', { login: 'chatty', text: 'just chatting !clip' });
    r.chat.say('streamer', { login: 'chatty', text: '! clip' });
    r.chat.say('streamer', { login: 'clipbot', text: '!clip from myself' });
    r.chat.say('streamer', {
      login: 'threader',
      text: '@Viewer1 !cliphelp',
      replyTo: { messageId: id, login: 'viewer1' },
    });
    // Lines arrive in order: once the last one is in, every ignored line has been seen.
    await waitFor(() => r.commands.some((c) => c.user.login === 'threader'));
    expect(r.commands).toHaveLength(7);

    const [viewer, sub, vip, mod, caster, casterById, threader] = r.commands;
    expect(viewer).toMatchObject({
      platform: 'twitch',
      requestId: id,
      user: { id: '1001', login: 'viewer1', displayName: 'Viewer1', role: 'everyone' },
      twitchChannel: { id: '4242', login: 'streamer' },
      replyTarget: { platform: 'twitch', channel: 'streamer', parentMessageId: id },
      chatText: 'clip 45 what a play',
    });
    expect(viewer!.receivedAt).toBeGreaterThan(Date.now() - 10_000);
    expect(sub!.user.role).toBe('subscriber');
    expect(vip!.user.role).toBe('vip');
    expect(mod!.user.role).toBe('moderator');
    expect(mod!.chatText).toBe('clipconfig');
    expect(caster!.user.role).toBe('broadcaster');
    expect(casterById!.user.role).toBe('broadcaster');
    expect(threader!.chatText).toBe('cliphelp');

    // reply() answers in the thread of the command's message.
    await viewer!.reply({ text: 'queued!', embed: { title: 'ignored on Twitch' } });
    const sent = await r.chat.waitForMessage((m) => m.text === 'queued!');
    expect(sent.replyParentMsgId).toBe(id);
  });

  it('delivers one threaded message naming every requester, within 500 characters', async () => {
    const r = await rig();
    await connectedTo(r, 'streamer');
    const reqs = [
      request('streamer', 'Alice', '1', 'msg-a'),
      request('streamer', 'Bob', '2', 'msg-b'),
      request('streamer', 'Alice', '1', 'msg-a2'),
      request('streamer', 'Carol', '3', 'msg-c'),
    ];
    await r.adapter.deliver(envelope(reqs));
    const msg = await r.chat.waitForMessage(() => true);
    expect(msg.text).toBe(
      '@Alice @Bob @Carol Clip: https://clips.twitch.tv/AbcClip (edit: https://clips.twitch.tv/AbcClip/edit)',
    );
    expect(msg.replyParentMsgId).toBe('msg-a');

    // 150 requesters: one message, as many names as fit, then "+N others".
    const many = Array.from({ length: 150 }, (_, i) =>
      request('streamer', `LongDisplayName${i}`, `u${i}`, `m${i}`),
    );
    await r.adapter.deliver(envelope(many, { status: 'failed', reason: 'offline' }, 'job-2'));
    const big = await r.chat.waitForMessage((m) => m.text.includes('No clip'));
    expect(big.text.length).toBeLessThanOrEqual(500);
    expect(big.text).toMatch(/^@LongDisplayName0 @LongDisplayName1 .* \+\d+ others No clip: /);
    expect(big.text.endsWith(FAILURE_TEXT.offline)).toBe(true);
    expect(big.replyParentMsgId).toBe('m0');

    await r.adapter.deliver(
      envelope(
        [request('streamer', 'Dan', '4', 'msg-d')],
        { status: 'not_visible', clipId: 'Late', editUrl: 'https://clips.twitch.tv/Late/edit' },
        'job-3',
      ),
    );
    const late = await r.chat.waitForMessage((m) => m.text.startsWith('@Dan'));
    // Viewers cannot open the edit link (only the bot's account can): they get the watch link.
    expect(late.text).toBe(
      '@Dan Twitch accepted the clip but has not published it yet; it may still appear here: https://clips.twitch.tv/Late (edit: https://clips.twitch.tv/Late/edit)',
    );
    expect(r.chat.violations).toEqual([]);
    expect(
      await r.metrics.registry.getSingleMetricAsString('clipbot_chat_messages_sent_total'),
    ).toMatch(/platform="twitch"} 3/);
  });

  it('queues 30 deliveries to a channel where it is not moderator and breaks no limit', async () => {
    const r = await rig();
    await connectedTo(r, 'streamer');
    // Runs of three identical answers (of different clip jobs, so they are not merged):
    // Twitch would drop a repeat within its window.
    const deliveries = Array.from({ length: 30 }, (_, i) => {
      const n = Math.floor(i / 3);
      const req = request('streamer', `User${n}`, `u${n}`, `m${n}`);
      return r.adapter.deliver(envelope([req], CREATED, `job-${i}`));
    });
    await Promise.all(deliveries);
    await waitFor(() => r.chat.sent.length === 30);
    expect(r.chat.violations).toEqual([]);
    // Every answer arrived; each repeat was made different (an invisible suffix).
    const texts = r.chat.sent.map((m) => m.text);
    expect(texts.filter((t) => t.startsWith('@User4 '))).toHaveLength(3);
    expect(texts.filter((t) => t.endsWith(' \u034f'))).toHaveLength(10);
    // 20 per window: the 21st had to wait for the window to move. Sound on the receiving side:
    // the bot counts a line from Twitch's answer to it, which comes after it arrived.
    expect(r.chat.sent[20]!.at - r.chat.sent[0]!.at).toBeGreaterThanOrEqual(RULES.messageWindowMs);
    expect(r.adapter.queuedMessages()).toBe(0);
  });

  it('uses the moderator limit where USERSTATE says the bot is moderator', async () => {
    // A window of ten minutes: kept to the normal limit (20), the 21st would wait that long.
    const window = { messageWindowMs: 600_000 };
    const r = await rig({
      before: (chat) => chat.setChannel('streamer', { botIsModerator: true }),
      standIn: { limits: window },
      adapter: { limits: { ...ADAPTER_LIMITS, ...window } },
    });
    await connectedTo(r, 'streamer');
    const delivered = Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        r.adapter.deliver(
          envelope([request('streamer', `U${i}`, `u${i}`, `m${i}`)], CREATED, `job-${i}`),
        ),
      ),
    );
    // No spacing and 100 per window: all 40 go within the window.
    await waitFor(() => r.chat.sent.length >= 40);
    await delivered;
    expect(r.chat.violations).toEqual([]);
    // Each once: Twitch's echo of one message never lets it go a second time.
    expect(r.chat.sent).toHaveLength(40);
  });

  it('merges answers of one clip that wait for the limits into few messages', async () => {
    const r = await rig();
    await connectedTo(r, 'streamer');
    // Late requesters of one clip, each delivered on its own while chat is rate-limited.
    const reqs = Array.from({ length: 60 }, (_, i) =>
      request('streamer', `Late${i}`, `l${i}`, `late-${i}`),
    );
    await Promise.all(reqs.map((q) => r.adapter.deliver(envelope([q], CREATED, 'job-late'))));
    // The first went at once; the 59 that waited for the spacing share one message.
    const [lone, merged] = r.chat.sent;
    expect(lone!.text).toBe(
      '@Late0 Clip: https://clips.twitch.tv/AbcClip (edit: https://clips.twitch.tv/AbcClip/edit)',
    );
    expect(lone!.replyParentMsgId).toBe('late-0');
    const named = merged!.text.match(/@Late\d+/g)!;
    expect(named).toEqual(
      reqs.slice(1, 1 + named.length).map((q) => `@${q.requester.displayName}`),
    );
    expect(merged!.text).toContain(` +${59 - named.length} others Clip: `);
    expect(merged!.text.length).toBeLessThanOrEqual(500);
    expect(merged!.replyParentMsgId).toBe('late-1');
    // Every delivery is done (Twitch showed its message) and nothing waits: two messages.
    expect(r.adapter.queuedMessages()).toBe(0);
    expect(r.chat.sent).toHaveLength(2);
    expect(r.chat.violations).toEqual([]);
  });

  it('survives a 10,000-character line and control characters', async () => {
    const r = await rig();
    await connectedTo(r, 'streamer');
    r.chat.say('streamer', { login: 'spammer', text: `!clip ${'A'.repeat(10_000)}` });
    r.chat.say('streamer', { login: 'weird', text: '!clip \u0000ti\u0007tle\u001b[31m \u0085x' });
    await waitFor(() => r.commands.length === 2);
    expect(r.commands[0]!.chatText!.length).toBeLessThanOrEqual(500);
    // eslint-disable-next-line no-control-regex
    expect(r.commands[1]!.chatText).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);

    // Control characters in an answer (CR/LF would inject IRC commands) are cleaned.
    await r.commands[1]!.reply('line one\r\nPRIVMSG #streamer :injected\u0000');
    const m = await r.chat.waitForMessage((x) => x.text.startsWith('line one'));
    expect(m.text).toBe('line one PRIVMSG #streamer :injected');
    expect(r.chat.sent.filter((x) => x.text === 'injected')).toHaveLength(0);

    // A long answer is split into messages of at most 500 characters, all threaded.
    await r.commands[0]!.reply(`${'word '.repeat(250)}end`);
    await waitFor(() => r.chat.sent.some((x) => x.text.endsWith('end')));
    const parts = r.chat.sent.filter((x) => x.text.startsWith('word'));
    expect(parts.length).toBe(3);
    for (const p of parts) {
      expect(p.text.length).toBeLessThanOrEqual(500);
      expect(p.replyParentMsgId).toBe(r.commands[0]!.requestId);
    }
    expect(r.chat.violations).toEqual([]);
  });

  it('reconnects after a dropped connection, rejoins and keeps answering', async () => {
    const r = await rig({ configured: ['streamer', 'second'] });
    await connectedTo(r, 'streamer', 'second');
    r.chat.dropConnections();
    await waitFor(() => !r.adapter.isConnected());
    expect(r.adapter.ready('streamer')).toBe(false);
    const offline = await r.adapter
      .deliver(envelope([request('streamer', 'A', '1', 'x')]))
      .catch((e: unknown) => e);
    // Retried by the dispatcher: the connection comes back.
    expect(offline).toBeInstanceOf(ChatNotReadyError);
    expect(isUndeliverable(offline)).toBe(false);
    await connectedTo(r, 'streamer', 'second');
    r.chat.say('second', { login: 'viewer', text: '!clip after' });
    await waitFor(() => r.commands.length === 1);
    await r.commands[0]!.reply('still here');
    await r.chat.waitForMessage((m) => m.text === 'still here' && m.channel === 'second');
  });

  it('follows a RECONNECT from the server', async () => {
    const r = await rig();
    await connectedTo(r, 'streamer');
    const disconnects: string[] = [];
    r.chat.events.on('disconnect', (e: { login: string }) => disconnects.push(e.login));
    r.chat.sendReconnect();
    await waitFor(() => disconnects.length === 1);
    await connectedTo(r, 'streamer');
    r.chat.say('streamer', { login: 'viewer', text: '!clip' });
    await waitFor(() => r.commands.length === 1);
    await r.adapter.deliver(
      envelope([request('streamer', 'Viewer', '1', r.commands[0]!.requestId)]),
    );
    const m = await r.chat.waitForMessage(() => true);
    expect(m.replyParentMsgId).toBe(r.commands[0]!.requestId);
  });

  it('joins and leaves channels as ChatChannels changes, from Redis', async () => {
    const r = await rig();
    await connectedTo(r, 'streamer');
    await r.channels.add('newchan');
    await waitFor(() => r.adapter.ready('newchan') && r.chat.joined('newchan'));
    r.chat.say('newchan', { login: 'v', text: '!clip' });
    await waitFor(() => r.commands.length === 1);
    expect(r.commands[0]!.twitchChannel?.login).toBe('newchan');

    await r.channels.remove('newchan');
    await waitFor(() => !r.chat.joined('newchan') && !r.adapter.ready('newchan'));
    await expect(r.adapter.reply({ platform: 'twitch', channel: 'newchan' }, 'x')).rejects.toThrow(
      /not ready/,
    );
  });

  it("joins 60 channels within Twitch's join rate", async () => {
    const configured = Array.from({ length: 60 }, (_, i) => `chan${i}`);
    const started = Date.now();
    const r = await rig({ configured });
    await waitFor(() => r.adapter.joinedChannels().length === 60);
    expect(r.chat.joinedChannels()).toHaveLength(60);
    expect(r.chat.violations).toEqual([]);
    // Three bursts of 20: at least two full windows.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * RULES.joinWindowMs);
  });

  it('logs in again after a refused token once the token is updated', async () => {
    let valid = 'newtoken';
    const r = await rig({ validator: (t) => (t === valid ? 'clipbot' : undefined) });
    // The first token ("bottoken") is refused; the adapter keeps trying with backoff.
    await new Promise<void>((resolve) => r.chat.events.once('login-failed', () => resolve()));
    expect(r.adapter.isConnected()).toBe(false);
    r.setToken('newtoken');
    await r.adapter.updateToken();
    await connectedTo(r, 'streamer');

    // A forced update replaces a live connection with one using the new token.
    valid = 'third';
    r.setToken('third');
    const logins: string[] = [];
    r.chat.events.on('login', (e: { login: string }) => logins.push(e.login));
    await r.adapter.updateToken({ force: true });
    await waitFor(() => logins.length === 1);
    await connectedTo(r, 'streamer');
  });
  it('refuses for good an answer for a channel removed from the list', async () => {
    const r = await rig();
    await r.channels.add('gone');
    await connectedTo(r, 'streamer', 'gone');
    await r.channels.remove('gone');
    await waitFor(() => !r.adapter.ready('gone'));
    const err = await r.adapter
      .deliver(envelope([request('gone', 'A', '1', 'x')]))
      .catch((e: unknown) => e);
    expect(isUndeliverable(err)).toBe(true);
    expect((err as { reason?: string }).reason).toBe('not_in_channel');
    // A channel still on the list is delivered to as before.
    await r.adapter.deliver(envelope([request('streamer', 'B', '2', 'y')]));
    await r.chat.waitForMessage((m) => m.channel === 'streamer' && m.text.startsWith('@B '));
    expect(r.chat.sent.filter((m) => m.channel === 'gone')).toEqual([]);
  });

  it('refuses for good an answer for a channel Twitch will not let it join', async () => {
    const r = await rig({
      configured: ['streamer', 'suspended'],
      refuseJoins: { suspended: 'msg_channel_suspended' },
    });
    await connectedTo(r, 'streamer');
    const answer = envelope([request('suspended', 'A', '1', 'x')]);
    const seen: unknown[] = [];
    // Until the refusal arrives the join is under way: worth retrying, not dropped.
    for (const until = Date.now() + 8_000; Date.now() < until;) {
      const err = await r.adapter.deliver(answer).catch((e: unknown) => e);
      seen.push(err);
      if (isUndeliverable(err)) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const last = seen.at(-1);
    expect(isUndeliverable(last)).toBe(true);
    expect((last as { reason?: string }).reason).toBe('join_refused');
    expect((last as Error).message).toContain('msg_channel_suspended');
    for (const before of seen.slice(0, -1)) expect(before).toBeInstanceOf(ChatNotReadyError);
    await expect(
      r.adapter.reply({ platform: 'twitch', channel: 'suspended' }, 'x'),
    ).rejects.toThrow(ChatNotReadyError);
    expect(r.adapter.ready('streamer')).toBe(true);
    expect(r.chat.joined('suspended')).toBe(false);
  });

  it('takes a refused JOIN (suspended channel, bot banned) as final, counts it and serves the rest', async () => {
    const r = await rig({
      configured: ['streamer', 'banned'],
      refuseJoins: { suspended: 'msg_channel_suspended', banned: 'msg_banned' },
    });
    const refusals: { channel: string; msgId: string }[] = [];
    r.chat.events.on('join-refused', (e: { channel: string; msgId: string }) => refusals.push(e));
    await connectedTo(r, 'streamer');
    // One from the configured list, one added while running (as /clipbot link does).
    await r.channels.add('suspended');
    await waitFor(() => r.adapter.refusedChannels().length === 2);
    expect(r.adapter.refusedChannels().sort((a, b) => a.channel.localeCompare(b.channel))).toEqual([
      { channel: 'banned', reason: 'msg_banned' },
      { channel: 'suspended', reason: 'msg_channel_suspended' },
    ]);
    const counted = await r.metrics.chatJoinsRefused.get();
    expect(counted.values.map((v) => [v.labels.reason, v.value]).sort()).toEqual([
      ['msg_banned', 1],
      ['msg_channel_suspended', 1],
    ]);
    // A channel added afterwards is joined; the refused ones were not asked for again.
    await r.channels.add('later');
    await connectedTo(r, 'later');
    r.chat.say('later', { login: 'viewer', text: '!clip' });
    await waitFor(() => r.commands.length === 1);
    expect(refusals.map((e) => e.msgId).sort()).toEqual(['msg_banned', 'msg_channel_suspended']);
    // Lifted and added again: joined.
    r.chat.setChannel('suspended', { refuseJoin: null });
    await r.channels.remove('suspended');
    await r.channels.add('suspended');
    await connectedTo(r, 'suspended');
    expect(r.adapter.refusedChannels()).toEqual([{ channel: 'banned', reason: 'msg_banned' }]);
  });

  it('never lets a later part of a split reply start as a chat command', async () => {
    const r = await rig();
    await connectedTo(r, 'streamer');
    r.chat.say('streamer', { login: 'viewer', text: '!clip' });
    await waitFor(() => r.commands.length === 1);
    // The cut falls right before user text reading "/me ...", then ".ban ...".
    const text = `${'word '.repeat(99)}/me dances ${'more '.repeat(96)}abc .ban someone`;
    await r.commands[0]!.reply(text);
    await waitFor(() => r.chat.sent.length === 3);
    const parts = r.chat.sent.map((m) => m.text);
    for (const p of parts) {
      expect(p).not.toMatch(/^\s*[./\\]/);
      expect(p.length).toBeLessThanOrEqual(500);
    }
    expect(parts[1]).toMatch(/^\u200b\/me dances/);
    expect(parts[2]).toMatch(/^\u200b\.ban someone/);
    expect(r.chat.violations).toEqual([]);
  });

  it('is timed once per answer, by the reply dispatcher', async () => {
    const r = await rig();
    await connectedTo(r, 'streamer');
    const { keys } = await startDispatcher(r);
    const reqs = [request('streamer', 'Ann', '1', 'm1'), request('streamer', 'Bob', '2', 'm2')];
    await r.redis.xadd(keys.replies('twitch'), '*', ...encodeReplyEntry(envelope(reqs)));
    await r.chat.waitForMessage((m) => m.text.startsWith('@Ann @Bob '));
    const count = async () =>
      (await r.metrics.requestToAnswer.get()).values.find((v) => v.metricName?.endsWith('_count'))
        ?.value ?? 0;
    const until = Date.now() + 5_000;
    while ((await count()) < 2 && Date.now() < until) await new Promise((x) => setTimeout(x, 10));
    // Settled and acknowledged: nothing more will be recorded for it.
    while ((await r.redis.xlen(keys.replies('twitch'))) > 0 && Date.now() < until) {
      await new Promise((x) => setTimeout(x, 10));
    }
    expect(await r.redis.xlen(keys.replies('twitch'))).toBe(0);
    expect(await count()).toBe(2);
  });
});
