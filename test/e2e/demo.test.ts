import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/cli/demo.js';
import { FAILURE_TEXT } from '../../src/clips/reasons.js';

/** `npm run demo --script FILE`: the whole bot, an embedded Redis, and nothing left behind. */

const savedTmp = process.env.TMPDIR;
let dir: string | undefined;

afterEach(async () => {
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

interface ServerInfo {
  pid?: number;
  port: number;
}

/** The demo's embedded redis-server, from the file it writes in its data directory. */
function demoServer(scratch: string): ServerInfo | undefined {
  for (const entry of readdirSync(scratch)) {
    if (!entry.startsWith('clipbot-demo-')) continue;
    try {
      const raw = readFileSync(path.join(scratch, entry, 'clipbot-redis.json'), 'utf8');
      return JSON.parse(raw) as ServerInfo;
    } catch {
      // not written yet
    }
  }
  return undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('the demo, run from a script', () => {
  it('shows the clip link, an offline answer and bye, and leaves nothing running', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'clipbot-e2e-demo-'));
    const scratch = dir;
    const script = path.join(scratch, 'script.txt');
    await writeFile(
      script,
      [
        '# a viewer clips, then the stream ends and another viewer tries',
        '!clip what a play',
        '/wait',
        '/offline',
        // Past the demo's coalescing window: the next request is a clip of its own.
        '/sleep 2200',
        'alice: !clip too late',
        '/wait',
        '',
      ].join('\n'),
    );
    // The demo makes its data directory under os.tmpdir(): ours, so its server can be found.
    process.env.TMPDIR = scratch;

    let transcript = '';
    const output = new PassThrough();
    output.on('data', (chunk: Buffer) => (transcript += chunk.toString()));
    let server: ServerInfo | undefined;
    let serverWasUp = false;
    const watcher = setInterval(() => {
      // The lock file is written twice: first the claim, then with the server's pid.
      if (server?.pid === undefined) server = demoServer(scratch);
      if (server?.pid !== undefined && alive(server.pid)) serverWasUp = true;
    }, 50);
    let code: number;
    try {
      code = await runDemo({ script, visibleAfterMs: 300, output });
    } finally {
      clearInterval(watcher);
    }

    expect(code).toBe(0);
    expect(transcript).toMatch(
      /clipbot: @viewer Clip: https:\/\/clips\.twitch\.tv\/\S+ \(edit: https:\/\/www\.twitch\.tv\/\w+\/clip\/\S+\)/,
    );
    expect(transcript).toMatch(new RegExp(`clipbot: @alice .*${escape(FAILURE_TEXT.offline)}`));
    expect(transcript.trimEnd().endsWith('bye')).toBe(true);

    // The embedded redis-server ran while the demo did, and is gone with its data directory.
    expect(serverWasUp).toBe(true);
    expect(alive(server!.pid!)).toBe(false);
    expect(await portAnswers(server!.port)).toBe(false);
    expect(await readdir(scratch)).toEqual(['script.txt']);
  });
});

describe('the demo, for a new user', () => {
  it('links its second channel from Discord, and points a bot command typed without discord: to it', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'clipbot-e2e-demo-'));
    const script = path.join(dir, 'script.txt');
    await writeFile(
      script,
      [
        '/clips top',
        'discord-admin: /clipbot link',
        '/wait',
        'discord-admin: /clipbot link twitch_channel:demo_second',
        '/wait',
        '',
      ].join('\n'),
    );
    process.env.TMPDIR = dir;
    let transcript = '';
    const output = new PassThrough();
    output.on('data', (chunk: Buffer) => (transcript += chunk.toString()));
    expect(await runDemo({ script, visibleAfterMs: 300, output })).toBe(0);
    expect(transcript).toContain(
      "To use the bot's /clips command, type it as a Discord member:  discord: /clips top",
    );
    expect(transcript).toContain(
      '[discord reply] Usage: /clipbot link <twitch_channel> [post_channel] (twitch_channel is missing)',
    );
    expect(transcript).toMatch(/\[discord reply\] Linked demo_second/);
    // Discord's markdown escapes are for Discord, not for the terminal.
    expect(transcript).not.toContain('\\[');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
