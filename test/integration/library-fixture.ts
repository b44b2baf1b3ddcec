import { afterEach } from 'vitest';
import type { Logger } from 'pino';
import type {
  CommandServices,
  CommandUser,
  IncomingCommand,
  OptionValue,
  RichReply,
} from '../../src/core/command.js';
import { buildCommands } from '../../src/app/build-commands.js';
import { buildPipeline } from '../../src/app/build-pipeline.js';
import type { ClipPipeline, ClipPipelineSettings } from '../../src/app/clip-pipeline.js';
import { createRescueLink } from '../../src/clips/rescue-link.js';
import type { ReplyEnvelope } from '../../src/core/clip.js';
import { VodLocator } from '../../src/core/vod-locator.js';
import { defaultConfig } from '../../src/config.js';
import { RedisConnections } from '../../src/redis/connection.js';
import { TwitchStandIn } from '../../standins/twitch/index.js';
import { RedisChatChannels } from '../../src/store/redis-chat-channels.js';
import { RedisDiscordLinks } from '../../src/store/redis-discord-links.js';
import type { HelixClient } from '../../src/twitch/helix-client.js';
import type { TokenManager } from '../../src/twitch/token-manager.js';
import {
  BOT_LOGIN,
  FAST_SETTINGS,
  FAST_TUNING,
  RecordingSender,
  testLogger,
  twitchClients,
  waitFor,
} from '../helpers/pipeline-harness.js';
import { cleanupPrefix, testRedis, testRedisUrl, uniquePrefix } from '../helpers/redis.js';

/**
 * The clip library and rescue, built by the App's own build functions: the router with every
 * command, the clip pipeline with the VOD rescue link and clips of the past, the real
 * HelixClient and TokenManager against the Twitch stand-in, and a real Redis.
 */

export type Answer = string | RichReply;
export const textOf = (a: Answer | undefined): string =>
  typeof a === 'string' ? a : (a?.text ?? '');

export interface LibraryFixtureOptions {
  /** The bot token's scopes (default: clips:edit and editor:manage:clips). */
  botScopes?: string[];
  /** When the streamer's stream started (default: 10 minutes ago). */
  streamStartedAgoS?: number;
  settings?: Partial<ClipPipelineSettings>;
  clipVisibleAfterMs?: number | 'never';
  /** How long the broadcaster has to confirm a video deletion (default: the command's). */
  vodConfirmS?: number;
  /** The router's window for repeated informational calls in a chat (default: its own). */
  repeatAnswerS?: number;
  /** The clip library's cache of top lists (default 0: every call asks Twitch). */
  topCacheS?: number;
}

export interface LibraryFixture {
  standIn: TwitchStandIn;
  prefix: string;
  tokens: TokenManager;
  helix: HelixClient;
  pipeline: ClipPipeline;
  services: Omit<CommandServices, 'commands'>;
  senders: { twitch: RecordingSender; discord: RecordingSender };
  streamer: { id: string; login: string; displayName: string };
  /** epoch ms the streamer's stream (and its VOD) started, as Twitch reports it (whole s). */
  streamStartMs: number;
  /** A chat line in the streamer's room, or in `room`'s. */
  twitch(
    text: string,
    user?: Partial<CommandUser>,
    room?: { id: string; login: string; displayName: string },
  ): Promise<{ requestId: string; answers: Answer[] }>;
  discord(
    command: string,
    subcommand: string | undefined,
    options: Record<string, OptionValue | undefined>,
    user?: Partial<CommandUser>,
    guildId?: string,
  ): Promise<{ requestId: string; answers: Answer[] }>;
  /** The pipeline's answer to one request. */
  clipAnswer(requestId: string, platform?: 'twitch' | 'discord'): Promise<ReplyEnvelope>;
  close(): Promise<void>;
}

const viewer: CommandUser = {
  id: 'u-viewer',
  login: 'viewer',
  displayName: 'Viewer',
  role: 'everyone',
};

export async function startLibraryFixture(
  opts: LibraryFixtureOptions = {},
): Promise<LibraryFixture> {
  const log: Logger = testLogger();
  const prefix = uniquePrefix('lib');
  const standIn = new TwitchStandIn({ clipVisibleAfterMs: opts.clipVisibleAfterMs ?? 100 });
  await standIn.start();
  standIn.addUser({ login: BOT_LOGIN });
  const streamer = standIn.addUser({ login: 'streamer', displayName: 'Streamer' });
  // Whole seconds, as Twitch reports started_at.
  const streamStartMs =
    Math.floor(Date.now() / 1000) * 1000 - (opts.streamStartedAgoS ?? 600) * 1000;
  standIn.setLive('streamer', true, { startedAt: new Date(streamStartMs), title: 'Speedrun' });
  standIn.setChannel('streamer', { editors: [BOT_LOGIN] });
  const userToken = standIn.issueUserToken({
    login: BOT_LOGIN,
    scopes: opts.botScopes ?? ['clips:edit', 'editor:manage:clips'],
  });

  const connections = new RedisConnections({ url: testRedisUrl(), log });
  const redis = connections.create('test');
  const { tokens, helix } = await twitchClients({
    redis,
    prefix,
    apiUrl: standIn.apiUrl,
    authUrl: standIn.authUrl,
    clientId: standIn.clientId,
    clientSecret: standIn.clientSecret,
    userToken,
    log,
  });
  const pipeline = buildPipeline({
    role: 'all',
    connections,
    settings: { ...FAST_SETTINGS, prefix, ...opts.settings },
    log,
    helix,
    rescueLink: createRescueLink({ locator: new VodLocator({ helix }), log }),
    clipEditor: () => tokens.botIdentity(),
    tuning: FAST_TUNING,
  });
  const senders = {
    twitch: new RecordingSender('twitch'),
    discord: new RecordingSender('discord'),
  };
  pipeline.registerSender(senders.twitch);
  pipeline.registerSender(senders.discord);
  await pipeline.start();

  const config = defaultConfig({
    REDIS_KEY_PREFIX: prefix,
    TWITCH_CHANNELS: ['streamer'],
    COALESCE_WINDOW_S: 2,
  });
  const subscribers: ReturnType<typeof testRedis>[] = [];
  const chatChannels = new RedisChatChannels({
    redis,
    prefix,
    configured: config.TWITCH_CHANNELS,
    subscriber: () => {
      const s = testRedis();
      subscribers.push(s);
      return s;
    },
  });
  const { services, router } = buildCommands({
    config,
    redis,
    helix,
    pipeline,
    links: new RedisDiscordLinks({ redis, prefix }),
    chatChannels,
    log,
    tuning: {
      topCacheS: opts.topCacheS ?? 0,
      vodConfirmS: opts.vodConfirmS,
      repeatAnswerS: opts.repeatAnswerS,
    },
  });

  let n = 0;
  return {
    standIn,
    prefix,
    tokens,
    helix,
    pipeline,
    services,
    senders,
    streamer,
    streamStartMs,
    async twitch(text, user = {}, room = streamer) {
      const requestId = `msg-${++n}`;
      const answers: Answer[] = [];
      const input: IncomingCommand = {
        platform: 'twitch',
        requestId,
        receivedAt: Date.now(),
        // A distinct viewer per call unless named: cooldowns stay out of the way.
        user: { ...viewer, id: `u-${n}`, ...user },
        twitchChannel: room,
        replyTarget: { platform: 'twitch', channel: room.login, parentMessageId: requestId },
        reply: async (a) => {
          answers.push(a);
        },
        chatText: text,
      };
      await router.handle(input);
      return { requestId, answers };
    },
    async discord(command, subcommand, options, user = {}, guildId = 'g1') {
      const requestId = `int-${++n}`;
      const answers: Answer[] = [];
      await router.handle({
        platform: 'discord',
        requestId,
        receivedAt: Date.now(),
        user: { ...viewer, id: `d-${n}`, ...user },
        guildId,
        discordChannelId: '5550000000000009',
        replyTarget: {
          platform: 'discord',
          interactionId: requestId,
          guildId,
          channelId: '5550000000000009',
        },
        reply: async (a) => {
          answers.push(a);
        },
        structured: { command, subcommand, options },
      });
      return { requestId, answers };
    },
    async clipAnswer(requestId, platform = 'twitch') {
      const sender = senders[platform];
      await waitFor(() => sender.answersFor(requestId).length > 0, {
        what: `answer to ${requestId}`,
      });
      return sender.answersFor(requestId)[0]!;
    },
    async close() {
      await pipeline.close();
      tokens.stop();
      await chatChannels.close();
      await Promise.all(subscribers.map((s) => s.quit().catch(() => undefined)));
      await cleanupPrefix(redis, prefix).catch(() => undefined);
      await connections.closeAll();
      await standIn.stop();
    },
  };
}

/**
 * For a test file: a `fixture(opts)` that starts a library fixture and closes every one it
 * started after each test.
 */
export function libraryFixtures(): (opts?: LibraryFixtureOptions) => Promise<LibraryFixture> {
  const open: LibraryFixture[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((f) => f.close()));
  });
  return async (opts = {}) => {
    const f = await startLibraryFixture(opts);
    open.push(f);
    return f;
  };
}
