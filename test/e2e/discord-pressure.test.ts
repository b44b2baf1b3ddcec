import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app/app.js';
import type { MessageBody } from '../../standins/discord/index.js';
import { ANSWER_WAIT_MS, clipLinks, startE2E, waitFor, type E2E } from '../helpers/e2e-harness.js';
import { anotherApp } from '../helpers/second-app.js';

/** Discord under pressure: a rate-limited acknowledgement, and two processes on one token. */

let scene: E2E | undefined;
const extra: App[] = [];
afterEach(async () => {
  await Promise.all(extra.splice(0).map((a) => a.stop().catch(() => undefined)));
  await scene?.stop();
  scene = undefined;
});

const DANA = { id: '200000000000000001', username: 'dana', globalName: 'Dana' };
const CALLBACK_ROUTE = '/api/v10/interactions/:id/:token/callback';

function textOf(body: { content?: string; embeds?: MessageBody['embeds'] }): string {
  const parts = [body.content ?? ''];
  for (const e of body.embeds ?? [])
    parts.push(
      e.title ?? '',
      e.description ?? '',
      ...(e.fields ?? []).flatMap((f) => [f.name, f.value]),
    );
  return parts.join('\n').replace(/\\([^A-Za-z0-9\s])/g, '$1');
}

describe('/clip whose acknowledgement is rate limited past the 3 s deadline', () => {
  it('is still clipped, posted in the channel naming the asker, and the callback is not retried', async () => {
    scene = await startE2E({ discord: true });
    const s = scene;
    await s.link();
    const general = s.channelId('general');

    s.discord.rateLimitCallbacks(4000);
    const dispatchedAt = Date.now();
    const { interactionId } = s.discord.invokeCommand({
      guildId: s.guild.id,
      channelId: general,
      user: DANA,
      name: 'clip',
      options: {},
    });

    const posted = await s.discord.waitForMessage(
      general,
      (m) => /clips\.twitch\.tv/.test(textOf(m.body)),
      ANSWER_WAIT_MS,
    );
    const created = s.world.twitch.createdClips();
    expect(created).toHaveLength(1);
    expect(textOf(posted.body)).toContain(clipLinks(created[0]!).watch);
    expect(textOf(posted.body)).toContain('Dana');
    // Nothing ever answered the dead interaction itself.
    expect(s.discord.entries('callback').filter((e) => e.interactionId === interactionId)).toEqual(
      [],
    );
    expect(s.discord.entries('edit').filter((e) => e.interactionId === interactionId)).toEqual([]);

    // Past the 429's end (4 s), a retrying client would have called again: count on the
    // stand-in that every callback attempt came before the 3 s deadline.
    await new Promise((r) => setTimeout(r, Math.max(0, dispatchedAt + 4500 - Date.now())));
    const attempts = s.discord.entries('rejected').filter((e) => e.route === CALLBACK_ROUTE);
    expect(attempts.length).toBeGreaterThanOrEqual(1);
    expect(attempts.filter((e) => e.status !== 429)).toEqual([]);
    expect(attempts.filter((e) => e.at - dispatchedAt >= 3000)).toEqual([]);
  });
});

describe('two bot processes logged in with one Discord token', () => {
  it('acknowledge and answer a /clip once, with one clip', async () => {
    scene = await startE2E({ discord: true });
    const s = scene;
    await s.link();
    extra.push(await anotherApp(s));
    await waitFor(() => s.discord.gatewayConnections() === 2, { what: 'two gateway sessions' });

    const { interactionId } = s.discord.invokeCommand({
      guildId: s.guild.id,
      user: DANA,
      name: 'clip',
      options: {},
    });
    const edit = await s.discord.waitForEdit(
      interactionId,
      (e) => (e.body.embeds?.length ?? 0) > 0,
      ANSWER_WAIT_MS,
    );
    expect(textOf(edit.body)).toContain('Dana');
    // Both processes received it: the one that lost the claim never called Discord (a
    // second acknowledgement would show as a rejected 40060).
    expect(
      s.discord.entries('callback').filter((e) => e.interactionId === interactionId),
    ).toHaveLength(1);
    expect(s.discord.entries('rejected').filter((e) => e.route === CALLBACK_ROUTE)).toEqual([]);
    expect(s.discord.entries('edit').filter((e) => e.interactionId === interactionId)).toHaveLength(
      1,
    );
    expect(s.discord.messagesIn(s.channelId('general'))).toEqual([]);
    expect(s.world.twitch.createdClips()).toHaveLength(1);
  });
});
