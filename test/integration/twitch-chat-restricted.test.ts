import { afterEach, describe, expect, it } from 'vitest';
import { ChatRefusedError, JOINED_NOTE } from '../../src/chat/twitch/index.js';
import { isUndeliverable } from '../../src/replies/delivery-errors.js';
import type { ClipOutcome } from '../../src/core/clip.js';
import {
  cleanupRigs,
  connectedTo,
  CREATED,
  envelope,
  request,
  rig,
  type Rig,
  startDispatcher,
  waitFor,
} from './twitch-chat-rig.js';
import { encodeReplyEntry } from '../../src/core/reply-envelope.js';

/**
 * Chats that restrict who may talk (slow, followers-only, subscribers-only, emote-only,
 * unique-chat), a bot banned or timed out: Twitch refuses the bot's message with a NOTICE,
 * and an answer so refused is not counted as delivered.
 */

afterEach(cleanupRigs);

/** What deliver() ended with: 'ok', or the error. */
const outcome = (p: Promise<void>): Promise<unknown> =>
  p.then(
    () => 'ok',
    (err: unknown) => err,
  );

const reasonOf = (err: unknown): string | undefined =>
  isUndeliverable(err) ? (err as { reason: string }).reason : undefined;

/** Retries while the adapter has not yet read a ROOMSTATE just sent (it is on its way). */
async function deliverOnceReady(r: Rig, fn: () => Promise<void>): Promise<void> {
  for (let until = Date.now() + 5_000; ;) {
    const result = await outcome(fn());
    if (result === 'ok') return;
    if (Date.now() > until) throw result;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('TwitchChatAdapter in restricted chats', () => {
  it('keeps slow mode where it is not privileged, so Twitch shows every answer', async () => {
    const r = await rig();
    await connectedTo(r, 'streamer');
    // Turned on while the bot is in the channel: only the changed mode comes.
    r.chat.setRoomState('streamer', { slow: 1 });
    const answers = [1, 2, 3].map((i) =>
      r.adapter.deliver(envelope([request('streamer', `User${i}`, `u${i}`)], CREATED, `job-${i}`)),
    );
    await Promise.all(answers);
    expect(r.chat.rejected).toEqual([]);
    expect(r.chat.sent.map((m) => m.text.split(' ')[0])).toEqual(['@User1', '@User2', '@User3']);
    for (let i = 1; i < 3; i++) {
      expect(r.chat.sent[i]!.at - r.chat.sent[i - 1]!.at).toBeGreaterThanOrEqual(1_000);
    }
  });

  it('does not slow down where it is VIP', async () => {
    const r = await rig({
      before: (chat) => {
        chat.setChannel('streamer', { botIsVip: true });
        chat.setRoomState('streamer', { slow: 30 });
      },
    });
    await connectedTo(r, 'streamer');
    const delivered = Promise.all(
      [1, 2, 3].map((i) =>
        r.adapter.deliver(envelope([request('streamer', `V${i}`, `v${i}`)], CREATED, `job-${i}`)),
      ),
    );
    // Slowed down, the second would wait 30 s.
    await waitFor(() => r.chat.sent.length >= 3, 10_000);
    await delivered;
    expect(r.chat.sent).toHaveLength(3);
    expect(r.chat.rejected).toEqual([]);
  });

  it('drops at once an answer for a subscribers-only or emote-only chat it cannot talk in', async () => {
    const r = await rig({
      configured: ['streamer', 'subsroom', 'emoteroom', 'subbed'],
      before: (chat) => {
        chat.setRoomState('subsroom', { subsOnly: true });
        chat.setRoomState('emoteroom', { emoteOnly: true });
        chat.setRoomState('subbed', { subsOnly: true });
        chat.setChannel('subbed', { botIsSubscriber: true });
      },
    });
    await connectedTo(r, 'streamer', 'subsroom', 'emoteroom', 'subbed');
    const subs = await outcome(r.adapter.deliver(envelope([request('subsroom', 'A', '1')])));
    expect(reasonOf(subs)).toBe('subs_only');
    const emote = await outcome(r.adapter.deliver(envelope([request('emoteroom', 'A', '1')])));
    expect(reasonOf(emote)).toBe('emote_only');
    // Known from ROOMSTATE: nothing was sent to find out.
    expect(r.chat.sent).toEqual([]);
    expect(r.chat.rejected).toEqual([]);
    // A subscriber may talk there.
    await r.adapter.deliver(envelope([request('subbed', 'A', '1')]));
    expect(r.chat.sent.map((m) => m.channel)).toEqual(['subbed']);
    // An immediate answer is refused alike.
    const reply = await outcome(r.adapter.reply({ platform: 'twitch', channel: 'subsroom' }, 'x'));
    expect(reasonOf(reply)).toBe('subs_only');

    // The mode turned off: answers go again.
    r.chat.setRoomState('subsroom', { subsOnly: false });
    await deliverOnceReady(r, () => r.adapter.deliver(envelope([request('subsroom', 'B', '2')])));
    expect(r.chat.sent.map((m) => m.channel)).toEqual(['subbed', 'subsroom']);
  });

  it('drops an answer Twitch refused in a followers-only chat, and those after it', async () => {
    const r = await rig({
      configured: ['streamer', 'folroom'],
      before: (chat) => chat.setRoomState('folroom', { followersOnly: 10 }),
    });
    await connectedTo(r, 'streamer', 'folroom');
    // Only Twitch knows whether the bot follows: the first answer finds out.
    const first = await outcome(r.adapter.deliver(envelope([request('folroom', 'A', '1')])));
    expect(reasonOf(first)).toBe('followers_only');
    expect((first as Error).message).toContain('msg_followersonly');
    expect(r.chat.rejected.map((m) => m.msgId)).toEqual(['msg_followersonly']);
    expect(r.chat.sent).toEqual([]);
    // The next ones are dropped without costing another message.
    const second = await outcome(
      r.adapter.deliver(envelope([request('folroom', 'B', '2')], CREATED, 'job-2')),
    );
    expect(reasonOf(second)).toBe('followers_only');
    expect(r.chat.rejected).toHaveLength(1);
    // Other channels are not affected.
    await r.adapter.deliver(envelope([request('streamer', 'C', '3')]));
    expect(r.chat.sent.map((m) => m.channel)).toEqual(['streamer']);

    // A moderator turns followers-only off: answers go again.
    r.chat.setRoomState('folroom', { followersOnly: false });
    await deliverOnceReady(r, () =>
      r.adapter.deliver(envelope([request('folroom', 'D', '4')], CREATED, 'job-4')),
    );
    expect(r.chat.sent.map((m) => m.channel)).toEqual(['streamer', 'folroom']);
  });

  it('drops answers while it is timed out or banned, but not elsewhere', async () => {
    const r = await rig({
      configured: ['streamer', 'timeout', 'banned'],
      before: (chat) => {
        chat.setChannel('timeout', { botTimedOutUntil: Date.now() + 60_000 });
        chat.setChannel('banned', { botBanned: true });
      },
    });
    await connectedTo(r, 'streamer', 'timeout', 'banned');
    const timedOut = await outcome(r.adapter.deliver(envelope([request('timeout', 'A', '1')])));
    expect(reasonOf(timedOut)).toBe('timed_out');
    const banned = await outcome(r.adapter.deliver(envelope([request('banned', 'A', '1')])));
    expect(reasonOf(banned)).toBe('banned');
    const again = await outcome(r.adapter.reply({ platform: 'twitch', channel: 'banned' }, 'hi'));
    expect(reasonOf(again)).toBe('banned');
    expect(r.chat.rejected.map((m) => [m.channel, m.msgId])).toEqual([
      ['timeout', 'msg_timedout'],
      ['banned', 'msg_banned'],
    ]);
    await r.adapter.deliver(envelope([request('streamer', 'B', '2')]));
    expect(r.chat.sent.map((m) => m.channel)).toEqual(['streamer']);
  });

  it('sends again, in other words, a message unique-chat mode refused as a repeat', async () => {
    const r = await rig({ before: (chat) => chat.setRoomState('streamer', { r9k: true }) });
    await connectedTo(r, 'streamer');
    r.chat.say('streamer', { login: 'viewer', text: 'hello there' });
    await r.adapter.reply({ platform: 'twitch', channel: 'streamer' }, 'hello there');
    expect(r.chat.rejected.map((m) => m.msgId)).toEqual(['msg_r9k']);
    expect(r.chat.sent.map((m) => m.text)).toEqual(['hello there \u034f']);
  });

  it('backs off and sends again when Twitch says it is sending too fast', async () => {
    // Twitch allows fewer messages than the adapter believes: it refuses the surplus.
    const r = await rig({
      standIn: { limits: { normalLimit: 3, messageWindowMs: 500 } },
      adapter: { retryAfterRefusalMs: 150, maxRefusals: 8 },
    });
    await connectedTo(r, 'streamer');
    await Promise.all(
      [1, 2, 3, 4, 5].map((i) =>
        r.adapter.deliver(envelope([request('streamer', `U${i}`, `u${i}`)], CREATED, `job-${i}`)),
      ),
    );
    expect(r.chat.rejected.map((m) => m.msgId)).toContain('msg_ratelimit');
    expect(r.chat.sent.map((m) => m.text.split(' ')[0]).sort()).toEqual([
      '@U1',
      '@U2',
      '@U3',
      '@U4',
      '@U5',
    ]);
  });

  it('gives an answer back for later after too many refusals for passing reasons', async () => {
    const r = await rig({
      standIn: { limits: { normalLimit: 1, messageWindowMs: 60_000 } },
      adapter: { retryAfterRefusalMs: 10, maxRefusals: 2 },
    });
    await connectedTo(r, 'streamer');
    await r.adapter.deliver(envelope([request('streamer', 'First', '1')]));
    const second = await outcome(
      r.adapter.deliver(envelope([request('streamer', 'Second', '2')], CREATED, 'job-2')),
    );
    // Not undeliverable: the reply dispatcher tries it again with its own backoff.
    expect(second).toBeInstanceOf(ChatRefusedError);
    expect(isUndeliverable(second)).toBe(false);
    expect(r.chat.rejected).toHaveLength(2);
  });

  it('counts a message Twitch never answers as shown once the window is over', async () => {
    const r = await rig({ standIn: { echoUserstate: false }, adapter: { confirmWindowMs: 150 } });
    await connectedTo(r, 'streamer');
    let done = false;
    const started = Date.now();
    const delivered = r.adapter.deliver(envelope([request('streamer', 'A', '1')])).then(() => {
      done = true;
    });
    // Not done when the line has left: only once the window is over.
    await r.chat.waitForMessage(() => true);
    expect(done).toBe(false);
    await delivered;
    // A timer can fire a few ms early against Date.now(); far more than a round trip all the same.
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(r.chat.sent).toHaveLength(1);
  });

  it('lets the reply dispatcher drop and count an answer Twitch will not show', async () => {
    const r = await rig({
      configured: ['streamer', 'folroom'],
      before: (chat) => chat.setRoomState('folroom', { followersOnly: 0 }),
    });
    await connectedTo(r, 'streamer', 'folroom');
    const { keys } = await startDispatcher(r, { retryMs: 50 });
    await r.redis.xadd(
      keys.replies('twitch'),
      '*',
      ...encodeReplyEntry(envelope([request('folroom', 'Ann', '1', 'm1')])),
    );
    const undeliverable = async () =>
      (await r.metrics.replyDeliveries.get()).values.find(
        (v) => v.labels.result === 'undeliverable',
      )?.value ?? 0;
    for (const until = Date.now() + 5_000; (await undeliverable()) < 1 && Date.now() < until;) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await undeliverable()).toBe(1);
    await waitFor(() => r.chat.rejected.length === 1);
    expect(await r.redis.xlen(keys.replies('twitch'))).toBe(0);
    expect(r.chat.sent).toEqual([]);
  });
});

describe('TwitchChatAdapter answers for requesters who joined a clip already being made', () => {
  it('says so once in the message when someone asked for another length or title', async () => {
    const r = await rig();
    await connectedTo(r, 'streamer');
    const made: ClipOutcome = {
      status: 'created',
      clip: { ...(CREATED.status === 'created' ? CREATED.clip : never()), duration: 20 },
    };
    const starter = { ...request('streamer', 'Ann', '1', 'm1'), duration: 20 };
    const late = { ...request('streamer', 'Bob', '2', 'm2'), duration: 45 };
    const titled = { ...request('streamer', 'Cid', '3', 'm3'), duration: 20, title: 'mine' };
    const env = envelope([starter, late, titled], made);
    env.result.requested = { duration: 20 };
    await r.adapter.deliver(env);
    const [msg] = r.chat.sent;
    expect(msg!.text).toBe(
      `@Ann @Bob @Cid Clip: https://clips.twitch.tv/AbcClip (edit: https://clips.twitch.tv/AbcClip/edit) ${JOINED_NOTE}`,
    );
    // Alone, the one who started it gets no note.
    await r.adapter.deliver(envelope([starter], made, 'job-2'));
    await waitFor(() => r.chat.sent.length === 2);
    expect(r.chat.sent[1]!.text).not.toContain(JOINED_NOTE);
  });
});

function never(): never {
  throw new Error('unreachable');
}
