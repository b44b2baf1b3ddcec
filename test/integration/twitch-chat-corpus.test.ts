import { afterEach, describe, expect, it } from 'vitest';
import { channelOf, isPrivmsg, realIrcLines, withCommand } from '../helpers/real-irc.js';
import { cleanupRigs, connectedTo, rig, waitFor } from './twitch-chat-rig.js';

/**
 * Every real IRC line of the corpus through the chat stand-in into the adapter (real tmi.js
 * over a socket): what it reads from each, down to the role.
 */

afterEach(cleanupRigs);

const ROLE = {
  broadcaster: 'broadcaster',
  moderator: 'moderator',
  vip: 'vip',
  subscriber: 'subscriber',
  viewer: 'everyone',
} as const;

const corpus = realIrcLines();
const channels = [...new Set(corpus.map((e) => channelOf(e.line)).filter((c) => c !== undefined))];

describe('real Twitch IRC lines', () => {
  it('reads no command from real chatter, and the role Twitch meant from a command', async () => {
    const r = await rig({ configured: channels });
    await connectedTo(r, ...channels);
    // As Twitch sent them (RECONNECT has its own test): no line is a command.
    for (const e of corpus) {
      if (e.line.includes(' RECONNECT')) continue;
      r.chat.sendRaw(e.line, channelOf(e.line));
    }
    // The same tags carrying a command.
    const privmsgs = corpus.filter(isPrivmsg);
    privmsgs.forEach((e, n) =>
      r.chat.sendRaw(withCommand(e, '!clipconfig', `replay-${n}`), channelOf(e.line)),
    );
    r.chat.say(channels[0]!, { login: 'last_one', id: 'replay-end', text: '!cliphelp' });
    await waitFor(() => r.commands.some((c) => c.requestId === 'replay-end'));

    const read = new Map(r.commands.map((c) => [c.requestId, c]));
    expect(r.commands.every((c) => c.requestId.startsWith('replay-'))).toBe(true);
    privmsgs.forEach((e, n) => {
      const cmd = read.get(`replay-${n}`);
      if (e.expect === 'ignored') {
        expect(cmd, e.name).toBeUndefined();
        return;
      }
      expect(cmd, e.name).toBeDefined();
      expect(cmd!.chatText, e.name).toBe('clipconfig');
      expect(cmd!.user.role, e.name).toBe(ROLE[e.expect ?? 'viewer']);
      expect(cmd!.twitchChannel?.login, e.name).toBe(channelOf(e.line));
    });
    expect(r.adapter.isConnected()).toBe(true);
  });

  it("follows Twitch's RECONNECT and keeps reading chat", async () => {
    const r = await rig({ configured: ['pajlada'] });
    await connectedTo(r, 'pajlada');
    const reconnect = corpus.find((e) => e.line.endsWith(' RECONNECT'))!;
    const logins: unknown[] = [];
    r.chat.events.on('login', (e) => logins.push(e));
    r.chat.sendRaw(reconnect.line);
    await waitFor(() => logins.length === 1 && r.adapter.ready('pajlada'));
    r.chat.say('pajlada', { login: 'viewer', id: 'after', text: '!clip' });
    await waitFor(() => r.commands.some((c) => c.requestId === 'after'));
  });
});
