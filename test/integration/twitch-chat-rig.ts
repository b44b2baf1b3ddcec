import type { Redis } from 'ioredis';
import type { IncomingCommand } from '../../src/core/command.js';
import {
  TwitchChatAdapter,
  type TwitchChatAdapterOptions,
  type TwitchChatLimits,
} from '../../src/chat/twitch/index.js';
import { ClipKeys } from '../../src/clips/keys.js';
import { ReplyDispatcher } from '../../src/replies/reply-dispatcher.js';
import type { ClipOutcome, ClipRequest, ReplyEnvelope } from '../../src/core/clip.js';
import { silentLogger } from '../../src/logger.js';
import { Metrics } from '../../src/ops/metrics.js';
import {
  TwitchChatStandIn,
  type ChatStandInLimits,
  type ChatStandInOptions,
} from '../../standins/chat/index.js';
import { RedisChatChannels } from '../../src/store/redis-chat-channels.js';
import { cleanupPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';

/**
 * The Twitch chat adapter's test rig: real tmi.js over a real WebSocket to the chat
 * stand-in, channels from Redis. Twitch's windows are shrunk (same rules, smaller numbers)
 * so the suites run in seconds.
 */
export const RULES: Omit<ChatStandInLimits, 'maxMessageLength'> = {
  messageWindowMs: 1_500,
  normalLimit: 20,
  moderatorLimit: 100,
  channelSpacingMs: 30,
  duplicateWindowMs: 1_500,
  joinWindowMs: 400,
  joinLimit: 20,
};
export const ADAPTER_LIMITS: TwitchChatLimits = { ...RULES, marginMs: 40 };

export interface Rig {
  chat: TwitchChatStandIn;
  adapter: TwitchChatAdapter;
  channels: RedisChatChannels;
  commands: IncomingCommand[];
  metrics: Metrics;
  redis: Redis;
  prefix: string;
  setToken(token: string): void;
}

const cleanups: (() => Promise<void>)[] = [];

/** Closes everything the rigs of the test opened (call in afterEach). */
export async function cleanupRigs(): Promise<void> {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => undefined);
}

/** Something of the test's own to close with the rig. */
export function onCleanup(fn: () => Promise<void>): void {
  cleanups.push(fn);
}

export async function rig(
  opts: {
    configured?: string[];
    validator?: (token: string) => string | undefined;
    before?: (chat: TwitchChatStandIn) => void;
    /** Channels whose JOIN Twitch refuses, with the NOTICE msg-id it sends. */
    refuseJoins?: Record<string, 'msg_channel_suspended' | 'msg_banned'>;
    standIn?: ChatStandInOptions;
    adapter?: Partial<TwitchChatAdapterOptions>;
  } = {},
): Promise<Rig> {
  const chat = new TwitchChatStandIn({
    reconnectGraceMs: 200,
    ...opts.standIn,
    limits: { ...RULES, ...opts.standIn?.limits },
  });
  const started = await chat.start();
  cleanups.push(() => chat.stop());
  const url = started.url;
  for (const [channel, msgId] of Object.entries(opts.refuseJoins ?? {})) {
    chat.setChannel(channel, { refuseJoin: msgId });
  }
  if (opts.validator) chat.setTokenValidator(opts.validator);
  opts.before?.(chat);

  const redis = testRedis();
  const subscriber: Redis = testRedis();
  const prefix = uniquePrefix('tchat');
  const channels = new RedisChatChannels({
    redis,
    subscriber,
    prefix,
    configured: opts.configured ?? ['streamer'],
  });
  await channels.ready();
  cleanups.push(async () => {
    await channels.close();
    await cleanupPrefix(redis, prefix);
    await redis.quit();
    await subscriber.quit();
  });

  const commands: IncomingCommand[] = [];
  const metrics = new Metrics();
  let token = 'bottoken';
  const adapter = new TwitchChatAdapter({
    chatUrl: url,
    botLogin: 'clipbot',
    getToken: async () => token,
    channels,
    onCommand: async (input) => {
      commands.push(input);
    },
    log: silentLogger(),
    metrics,
    commandPrefix: '!',
    limits: ADAPTER_LIMITS,
    reconnectIntervalMs: 50,
    maxReconnectIntervalMs: 200,
    authRetryMs: 50,
    ...opts.adapter,
  });
  cleanups.push(() => adapter.stop());
  await adapter.start();
  return {
    chat,
    adapter,
    channels,
    commands,
    metrics,
    redis,
    prefix,
    setToken: (t) => (token = t),
  };
}

export async function waitFor(cond: () => boolean, timeoutMs = 8_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const connectedTo = (r: Rig, ...channels: string[]) =>
  waitFor(() => r.adapter.isConnected() && channels.every((c) => r.adapter.ready(c)));

export function request(
  channel: string,
  name: string,
  userId: string,
  msgId?: string,
): ClipRequest {
  return {
    requestId: msgId ?? `req-${userId}`,
    broadcasterId: '4242',
    broadcasterLogin: channel,
    broadcasterName: channel,
    requester: { platform: 'twitch', userId, displayName: name },
    replyTo: msgId
      ? { platform: 'twitch', channel, parentMessageId: msgId }
      : { platform: 'twitch', channel },
    requestedAt: Date.now() - 2_000,
  };
}

export const CREATED: ClipOutcome = {
  status: 'created',
  clip: {
    id: 'AbcClip',
    url: 'https://clips.twitch.tv/AbcClip',
    editUrl: 'https://clips.twitch.tv/AbcClip/edit',
    title: 't',
    broadcasterName: 'Streamer',
  },
};

export function envelope(
  requests: ClipRequest[],
  outcome: ClipOutcome = CREATED,
  jobId = 'job-1',
): ReplyEnvelope {
  return {
    platform: 'twitch',
    requests,
    result: {
      jobId,
      broadcasterId: '4242',
      broadcasterLogin: 'streamer',
      broadcasterName: 'Streamer',
      outcome,
      finishedAt: Date.now(),
    },
  };
}

/**
 * A real ReplyDispatcher reading the rig's reply stream and delivering through its adapter;
 * closed with the rig. Returns the dispatcher and the keys to XADD envelopes to.
 */
export async function startDispatcher(
  r: Rig,
  extra: { retryMs?: number } = {},
): Promise<{ dispatcher: ReplyDispatcher; keys: ClipKeys }> {
  const keys = new ClipKeys(r.prefix, 'clips');
  const blocking: Redis[] = [];
  const dispatcher = new ReplyDispatcher({
    redis: r.redis,
    blocking: () => {
      const b = testRedis();
      blocking.push(b);
      return b;
    },
    keys,
    log: silentLogger(),
    metrics: r.metrics,
    blockMs: 100,
    readyPollMs: 20,
    ...extra,
  });
  onCleanup(async () => {
    await dispatcher.close();
    for (const b of blocking) b.disconnect();
  });
  dispatcher.register(r.adapter);
  await dispatcher.start();
  return { dispatcher, keys };
}
