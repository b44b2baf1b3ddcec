import { createReadStream } from 'node:fs';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { Redis } from 'ioredis';
import { allCommands } from '../../commands/index.js';
import { App } from '../app/app.js';
import { registerCommands } from '../chat/discord/index.js';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { attachErrorLogging } from '../redis/connection.js';
import { RedisServerMissingError } from '../redis/embedded-redis.js';
import type { BotMessage } from '../../standins/chat/index.js';
import type { JournalEntry } from '../../standins/discord/index.js';
import { DEMO_HELP, parseDemoLine, type DemoAction } from './demo-lines.js';

export interface DemoOptions {
  /** Read lines from this file; otherwise the keyboard, or standard input when piped. */
  script?: string;
  visibleAfterMs: number;
  /** Where the transcript goes (default stdout). */
  output?: NodeJS.WritableStream;
  input?: NodeJS.ReadableStream;
}

const CHANNEL = 'demo_streamer';
/** A second live channel, not linked yet, so `/clipbot link` can be shown succeeding. */
const SECOND_CHANNEL = 'demo_second';
const DISCORD_USER = { id: '100000000000000001', username: 'discord_dana' };

/**
 * `npm run demo`: the real bot (embedded Redis, BullMQ, tmi.js, discord.js, axios) against
 * the local stand-ins, driven from the terminal. Returns the exit code.
 */
export async function runDemo(opts: DemoOptions): Promise<number> {
  const out = opts.output ?? process.stdout;
  const color = out === process.stdout && process.stdout.isTTY === true;
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const interactive =
    !opts.script && (opts.input ?? process.stdin) === process.stdin && process.stdin.isTTY;

  const dataDir = await mkdtemp(path.join(tmpdir(), 'clipbot-demo-'));
  // The stand-ins live outside src/ and are loaded only here, when the demo runs: the
  // service itself never imports them.
  const { LocalWorld } = await import('../../standins/local-world.js');
  const world = new LocalWorld({
    channels: [CHANNEL, SECOND_CHANNEL],
    clipVisibleAfterMs: opts.visibleAfterMs,
  });
  let app: App | undefined;
  let watcher: Redis | undefined;
  let rl: Interface | undefined;
  const print = (line: string) => {
    if (rl && interactive) {
      // Keep the prompt and what is being typed below the new line.
      out.write(`\r\x1b[K${line}\n`);
      rl.prompt(true);
    } else {
      out.write(`${line}\n`);
    }
  };
  /** What the person typed, shown as the chat line it became (replacing the raw input). */
  const echo = (line: string) => {
    if (interactive) out.write('\x1b[1A\r\x1b[K');
    out.write(`${line}\n`);
  };
  let lastActivity = Date.now();
  let removeSigint = () => undefined as void;

  try {
    await world.start();
    const config = loadConfig(
      world.env({
        REDIS_DATA_DIR: dataDir,
        REDIS_KEY_PREFIX: 'demo',
        // Warnings (a clip not published in time) are answered in chat already.
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
        SHUTDOWN_GRACE_S: '3',
        LOG_FORMAT: 'pretty',
        CLIP_FIRST_POLL_MS: '500',
        CLIP_POLL_INTERVAL_MS: '500',
        CLIP_VISIBLE_DEADLINE_S: '20',
        // Short, so the demo's offline and clips-disabled answers are not answered by the
        // clip just made (the production default is 10 s).
        COALESCE_WINDOW_S: '2',
      }),
    );
    const log = createLogger({
      level: config.LOG_LEVEL,
      format: 'pretty',
      destination: process.stderr,
    });
    app = new App({ config, role: 'all', log });
    await app.start();

    // Discord: commands registered in the demo server, which links the Twitch channel and
    // wants clips posted in #clips.
    const discord = world.discord;
    const guild = world.guild;
    const clipsChannel = guild?.channels.find((c) => c.name === 'clips');
    const services = app.parts.chat?.services;
    if (discord && guild && services) {
      await registerCommands({
        token: discord.botToken,
        applicationId: discord.applicationId,
        apiUrl: config.DISCORD_API_URL,
        guildId: guild.id,
        defs: allCommands(),
      });
      const user = await services.channels.byLogin(CHANNEL);
      if (user) await services.links.link(guild.id, user, clipsChannel?.id);
    }
    await waitUntil(() => world.chat.joined(CHANNEL), 10_000);

    world.chat.events.on('bot-message', (m: BotMessage) => {
      lastActivity = Date.now();
      print(`${paint('35', `[twitch #${m.channel}]`)} ${paint('1', m.login)}: ${m.text}`);
    });
    const onDiscord = (e: JournalEntry) => {
      lastActivity = Date.now();
      if (e.kind === 'edit' || e.kind === 'followup') {
        print(`${paint('34', '[discord reply]')} ${describeDiscord(e.body)}`);
      } else if (e.kind === 'message') {
        const where = guild?.channels.find((c) => c.id === e.channelId)?.name ?? e.channelId;
        print(`${paint('34', `[discord #${where}]`)} ${describeDiscord(e.body)}`);
      }
    };
    for (const kind of ['edit', 'followup', 'message'] as const)
      discord?.events.on(kind, onDiscord);

    const { pipeline, redis, chat } = app.parts;
    const keys = pipeline.keys;
    watcher = new Redis(redis.url, { maxRetriesPerRequest: null });
    attachErrorLogging(watcher, log.child({ redis: 'demo-watcher' }));
    const settled = async (): Promise<boolean> => {
      const counts =
        (await pipeline.queue?.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized')) ??
        {};
      const jobs = Object.values(counts).reduce((a, b) => a + b, 0);
      const replies = (await watcher?.xlen(keys.replies('twitch'))) ?? 0;
      const discordReplies = (await watcher?.xlen(keys.replies('discord'))) ?? 0;
      const sending = chat?.twitchChat?.queuedMessages() ?? 0;
      return jobs + replies + discordReplies + sending === 0 && Date.now() - lastActivity > 400;
    };
    const settle = () => waitUntil(settled, (config.CLIP_VISIBLE_DEADLINE_S + 15) * 1000);

    out.write(
      `${paint('1', 'clipbot demo')}: the real bot against local stand-ins of Twitch and Discord.\n` +
        `#${CHANNEL} is live; new clips appear after ${opts.visibleAfterMs} ms. Discord server "Demo Server" links it and posts clips to #clips.\n` +
        `#${SECOND_CHANNEL} is live too and not linked: link it with  discord-admin: /clipbot link twitch_channel:${SECOND_CHANNEL}\n` +
        `${DEMO_HELP}\n\n`,
    );

    const act = async (action: DemoAction): Promise<boolean> => {
      lastActivity = Date.now();
      switch (action.kind) {
        case 'empty':
          return true;
        case 'quit':
          return false;
        case 'help':
          print(DEMO_HELP);
          return true;
        case 'error':
          print(paint('33', action.message));
          return true;
        case 'wait':
          await settle();
          return true;
        case 'sleep':
          await sleep(action.ms);
          return true;
        case 'live':
          world.twitch.setLive(CHANNEL, action.live, {
            title: 'Speedrun any% - world record pace',
            gameName: 'Celeste',
          });
          print(paint('2', `(stand-in: #${CHANNEL} is now ${action.live ? 'live' : 'offline'})`));
          return true;
        case 'clips':
          world.twitch.setChannel(CHANNEL, { clips: action.policy });
          print(paint('2', `(stand-in: clips on #${CHANNEL} are now ${action.policy})`));
          return true;
        case 'visibility':
          world.twitch.setChannel(CHANNEL, { clipVisibleAfterMs: action.afterMs });
          print(
            paint(
              '2',
              `(stand-in: new clips appear ${action.afterMs === 'never' ? 'never' : `after ${action.afterMs} ms`})`,
            ),
          );
          return true;
        case 'chat': {
          const role = action.role === 'viewer' ? 'viewer' : action.role;
          echo(`${paint('32', `[twitch #${CHANNEL}]`)} ${action.login}: ${visible(action.text)}`);
          world.chat.say(CHANNEL, { login: action.login, role, text: action.text });
          return true;
        }
        case 'discord': {
          if (!discord || !guild) {
            print(paint('33', 'Discord is not running in this demo'));
            return true;
          }
          const options = Object.entries(action.options).map(([k, v]) => `${k}:${v}`);
          const sub = action.subcommand ? ` ${action.subcommand}` : '';
          echo(
            `${paint('34', '[discord]')} ${DISCORD_USER.username}: /${action.name}${sub} ${options.join(' ')}`,
          );
          discord.invokeCommand({
            guildId: guild.id,
            user: DISCORD_USER,
            permissions: action.admin ? 'ManageGuild' : undefined,
            name: action.name,
            subcommand: action.subcommand,
            options: action.options,
          });
          return true;
        }
      }
    };

    const input = opts.script
      ? createReadStream(opts.script, 'utf8')
      : (opts.input ?? process.stdin);
    rl = interactive
      ? createInterface({ input, output: out, terminal: true })
      : createInterface({ input, terminal: false });
    if (interactive) {
      rl.setPrompt(paint('2', '> '));
      rl.prompt();
    }
    let stop = false;
    const quit = new Promise<void>((resolve) => rl?.once('close', () => resolve()));
    // First Ctrl-C: leave the input loop and shut down cleanly. Second: quit at once, still
    // removing the embedded Redis and its temporary folder.
    let interrupts = 0;
    const quitNow = () => {
      // The embedded Redis is stopped by its own exit hook.
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(130);
    };
    const onSigint = () => {
      interrupts += 1;
      if (interrupts === 1) {
        out.write('\nstopping (Ctrl-C again to quit at once)...\n');
        rl?.close();
        return;
      }
      quitNow();
    };
    process.on('SIGINT', onSigint);
    // In a terminal readline reads Ctrl-C itself (raw mode) instead of the process getting it.
    rl.on('SIGINT', onSigint);
    // npm and tsx pass a second Ctrl-C on as SIGTERM; a closed terminal sends SIGHUP.
    process.on('SIGTERM', quitNow);
    process.on('SIGHUP', quitNow);
    removeSigint = () => {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', quitNow);
      process.off('SIGHUP', quitNow);
    };
    for await (const raw of rl) {
      const keepGoing = await act(parseDemoLine(raw, CHANNEL));
      if (!keepGoing) {
        stop = true;
        break;
      }
      if (!interactive) await sleep(60);
      else rl.prompt();
    }
    if (!interactive && !stop) await settle();
    rl.close();
    await quit;
    out.write('\nbye\n');
    return 0;
  } catch (err) {
    if (err instanceof RedisServerMissingError) {
      // The demo always runs its own throwaway Redis, whatever REDIS_URL says, so the
      // general advice (set REDIS_URL) would not help here.
      process.stderr.write(
        'The demo needs redis-server on the PATH: it starts a throwaway Redis of its own (REDIS_URL is\n' +
          'not used, so your data is never touched). Install it: Debian/Ubuntu `sudo apt-get install\n' +
          'redis-server`, macOS `brew install redis`, then run `npm run demo` again.\n',
      );
    } else {
      process.stderr.write(`demo failed: ${(err as Error).stack ?? String(err)}\n`);
    }
    return 1;
  } finally {
    watcher?.disconnect();
    await app?.stop().catch(() => undefined);
    await world.stop().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
    removeSigint();
  }
}

function describeDiscord(body: { content?: string | null; embeds?: unknown[] }): string {
  const parts: string[] = [];
  for (const raw of body.embeds ?? []) {
    const e = raw as {
      title?: string;
      url?: string;
      description?: string;
      fields?: { name: string; value: string }[];
    };
    const asked = e.fields?.find((f) => /asked/i.test(f.name));
    if (asked) {
      // A clip: one line with what matters.
      const reason = e.fields?.find((f) => /why|reason/i.test(f.name));
      parts.push(
        [e.title, e.url, `asked by ${asked.value}`, reason?.value].filter(Boolean).join(' | '),
      );
      continue;
    }
    const lines = [[e.title, e.url].filter(Boolean).join(' | ')];
    if (e.description) lines.push(`    ${e.description}`);
    for (const f of e.fields ?? []) lines.push(`    ${f.name}: ${f.value}`);
    parts.push(lines.join('\n'));
  }
  if (parts.length === 0 && body.content) parts.push(body.content);
  // Discord's markdown escapes read badly in a terminal.
  return parts.join(' ').replace(/\\([^A-Za-z0-9\s])/g, '$1');
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/g;

/** What a person typed may hold terminal escapes: show it, do not obey it. */
function visible(text: string): string {
  return text.replace(
    CONTROL_CHARS,
    (c) => `^${String.fromCharCode((c.charCodeAt(0) + 64) % 128)}`,
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function waitUntil(cond: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) return;
    await sleep(100);
  }
}
