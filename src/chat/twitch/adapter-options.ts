import type { Logger } from 'pino';
import type { IncomingCommand } from '../../core/command.js';
import type { Metrics } from '../../ops/metrics.js';
import type { ChatChannels } from '../../core/stores.js';
import type { AutoClipHooks } from './autoclip-feed.js';
import type { TwitchChatLimits } from './limits.js';

export interface TwitchChatAdapterOptions {
  /** TWITCH_CHAT_URL, e.g. wss://irc-ws.chat.twitch.tv:443 */
  chatUrl: string;
  /** The bot account's login (lowercase). */
  botLogin: string;
  /** The bot's user token (chat:read, chat:edit); read again on every login. */
  getToken: () => Promise<string>;
  /** The channels to be in; changes from any process are followed live. */
  channels: ChatChannels;
  /** Receives every command line (the router's handle). */
  onCommand: (input: IncomingCommand) => Promise<void>;
  log: Logger;
  metrics?: Metrics;
  /** Automatic clips: every chat line, sub and raid is observed (src/autoclip). */
  autoclip?: AutoClipHooks;
  /** CHAT_COMMAND_PREFIX. Default "!". */
  commandPrefix?: string;
  /** Reconnect by itself after a dropped connection. Default true. */
  reconnect?: boolean;
  /** Twitch's limits; tests shrink the windows. */
  limits?: Partial<TwitchChatLimits>;
  /** First reconnect delay (tmi.js grows it by 1.5x up to maxReconnectIntervalMs). Default 1000. */
  reconnectIntervalMs?: number;
  maxReconnectIntervalMs?: number;
  /** First retry after a refused login. Default 10 s. */
  authRetryMs?: number;
  pingTimeoutMs?: number;
  /**
   * Where nothing else spaces the bot's messages, the next message answering a clip waits
   * this long after the previous one, so late requesters of a burst share it. Default 250 ms.
   */
  answerHoldMs?: number;
  /**
   * Messages one clip's answer may take in a channel to name everyone before the rest are
   * counted as "+N others". Default 1: one message per send, the fewest messages.
   */
  maxMessagesPerAnswer?: number;
  /**
   * How long a message waits for Twitch's answer (the bot's USERSTATE when shown, a NOTICE
   * when refused) before it counts as shown. Twitch answers within one round trip; the
   * channel's next message waits for it. Default 1000 ms.
   */
  confirmWindowMs?: number;
  /** After Twitch refused a message as too fast, the first wait before it goes again. Default 2000 ms. */
  retryAfterRefusalMs?: number;
  /** Refusals for passing reasons (slow mode, too fast, repeats) before a send fails. Default 5. */
  maxRefusals?: number;
  /**
   * After Twitch refused the bot in a channel for good (banned, a chat mode it cannot meet)
   * and nothing says it is over, answers there are dropped at once for this long; then one
   * message finds out. A timeout holds as long as Twitch says. Default 10 minutes.
   */
  refusalHoldMs?: number;
}

export const TWITCH_CHAT_DEFAULTS = {
  commandPrefix: '!',
  reconnect: true,
  reconnectIntervalMs: 1_000,
  maxReconnectIntervalMs: 30_000,
  authRetryMs: 10_000,
  pingTimeoutMs: 10_000,
  confirmWindowMs: 1_000,
  refusalHoldMs: 600_000,
} as const satisfies Partial<TwitchChatAdapterOptions>;
