import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { startE2E, waitFor, type E2E } from '../helpers/e2e-harness.js';

/** /healthz, /metrics and the logs of a running bot. */

let scene: E2E | undefined;
afterEach(async () => {
  await scene?.stop();
  scene = undefined;
});

const CLIP_LINK = 'clips.twitch.tv/';

async function health(s: E2E): Promise<{
  code: number;
  body: { status: string; checks: Record<string, { status: string; detail?: string }> };
}> {
  const res = await fetch(`${s.app.opsUrl}/healthz`, {
    headers: { authorization: `Bearer ${s.world.opsToken}` },
  });
  return { code: res.status, body: (await res.json()) as never };
}

async function metrics(s: E2E): Promise<string> {
  const res = await fetch(`${s.app.opsUrl}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
}

/** The value of one sample, e.g. metric('x_total{kind="a"}'); undefined when absent. */
function sample(text: string, name: string): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name} `)) return Number(line.slice(name.length + 1));
  }
  return undefined;
}

describe('/healthz', () => {
  it('reports ok with the chat connected, and degraded once chat is unreachable', async () => {
    scene = await startE2E({ opsServer: true, discord: true });
    const s = scene;
    expect(s.app.opsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const ok = await health(s);
    expect(ok.code).toBe(200);
    expect(ok.body.status).toBe('ok');
    expect(ok.body.checks.redis?.status).toBe('ok');
    expect(ok.body.checks.twitchToken?.status).toBe('ok');
    expect(ok.body.checks.twitchChat).toEqual({ status: 'ok', detail: '1 channel(s) joined' });
    expect(ok.body.checks.discord?.status).toBe('ok');

    await s.world.chat.stop();
    await waitFor(async () => (await health(s)).body.checks.twitchChat?.status === 'degraded', {
      what: '/healthz to notice the chat connection is gone',
    });
    const degraded = await health(s);
    expect(degraded.code).toBe(200);
    expect(degraded.body.status).toBe('degraded');
  });
});

describe('/metrics', () => {
  it('counts a created clip, and the requests a burst coalesced', async () => {
    // No reuse of a finished clip: the burst below makes a clip of its own.
    scene = await startE2E({ opsServer: true, env: { COALESCE_WINDOW_S: '0' } });
    const s = scene;

    const first = s.say('!clip', { login: 'alice' });
    expect((await s.replyTo(first)).text).toContain(CLIP_LINK);
    const afterOne = await metrics(s);
    expect(afterOne).toMatch(/^clipbot_clips_created_total 1$/m);
    expect(sample(afterOne, 'clipbot_clip_requests_total{kind="queued"}')).toBe(1);
    expect(sample(afterOne, 'clipbot_clip_requests_total{kind="coalesced"}') ?? 0).toBe(0);

    const ids = Array.from({ length: 10 }, (_, i) => s.say('!clip', { login: `burst_${i}` }));
    await s.waitForBot((m) => ids.includes(m.replyParentMsgId ?? '') && m.text.includes(CLIP_LINK));
    const afterBurst = await metrics(s);
    expect(afterBurst).toMatch(/^clipbot_clips_created_total 2$/m);
    expect(sample(afterBurst, 'clipbot_clip_requests_total{kind="queued"}')).toBe(2);
    expect(sample(afterBurst, 'clipbot_clip_requests_total{kind="coalesced"}')).toBe(9);
    expect(sample(afterBurst, 'clipbot_commands_total{platform="twitch",command="clip"}')).toBe(11);
    expect(afterBurst).toMatch(/^clipbot_helix_calls_total\{endpoint="[^"]+",status="202"\} 2$/m);
    expect(s.world.twitch.count('POST', '/clips')).toBe(2);
  });
});

describe('logs', () => {
  it('never contain a token or secret, even at trace level through a token refresh', async () => {
    let logged = '';
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        logged += chunk.toString();
        done();
      },
    });
    scene = await startE2E({
      discord: true,
      log: createLogger({ level: 'trace', format: 'json', destination }),
      // Each request below makes its own clip (and its own Helix calls).
      env: { COALESCE_WINDOW_S: '0' },
    });
    const s = scene;
    await s.link(s.channel, 'clips');
    const interactionTokens: string[] = [];

    // A clip from each platform.
    const asked = s.say('!clip first', { login: 'alice' });
    await s.replyTo(asked);
    const discordCall = s.discord.invokeCommand({
      guildId: s.guild.id,
      user: { id: '200000000000000002', username: 'erin' },
      name: 'clip',
      options: { title: 'second' },
    });
    interactionTokens.push(discordCall.token);
    await s.discord.waitForEdit(discordCall.interactionId, () => true, 8000);

    // The token dies: Helix answers 401, the bot refreshes it, and chat logs in with the new one.
    s.world.twitch.expireToken(s.config.TWITCH_ACCESS_TOKEN!);
    const again = s.say('!clip third', { login: 'bob' });
    expect((await s.replyTo(again)).text).toContain(CLIP_LINK);
    const relogin = new Promise<void>((resolve) =>
      s.world.chat.events.once('login', () => resolve()),
    );
    s.world.chat.dropConnections();
    await relogin;
    const newToken = await s.tokens.getToken('user');
    expect(newToken).not.toBe(s.config.TWITCH_ACCESS_TOKEN);
    const stored = await storedSecrets(s);
    await s.app.stop();

    expect(logged).toContain('"level":10'); // trace lines were written: the test saw everything
    const secrets = [
      s.config.TWITCH_ACCESS_TOKEN!,
      s.config.TWITCH_REFRESH_TOKEN!,
      s.config.TWITCH_CLIENT_SECRET!,
      s.config.DISCORD_TOKEN!,
      newToken,
      ...stored,
      ...interactionTokens,
    ];
    expect(stored.length).toBeGreaterThanOrEqual(2);
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(8);
      expect(logged.includes(secret), `a secret (${secret.slice(0, 4)}...) was logged`).toBe(false);
    }
  });
});

/** Every access and refresh token the bot keeps in Redis (the refreshed ones included). */
async function storedSecrets(s: E2E): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await s.redis.scan(cursor, 'MATCH', `${s.prefix}*`, 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      if ((await s.redis.type(key)) !== 'string') continue;
      const raw = await s.redis.get(key);
      try {
        const v = JSON.parse(raw ?? '') as Record<string, unknown>;
        for (const f of ['accessToken', 'refreshToken'])
          if (typeof v[f] === 'string') out.push(v[f] as string);
      } catch {
        // not JSON: not a token record
      }
    }
  } while (cursor !== '0');
  return out;
}
