import type { TwitchChatLimits } from '../src/chat/twitch/index.js';

/** What the benchmark tells the bot process it runs (BENCH_CHILD, JSON). */
export interface ChildOptions {
  /** Raised chat limits, kept equal to the chat stand-in's. */
  chatLimits?: Partial<TwitchChatLimits>;
  /** A command text (after the prefix) that ends a routing run when the router sees it. */
  marker?: string;
  /** Only report memory; do not start the bot (the runtime's own footprint). */
  baseline?: boolean;
}

export interface MemorySample {
  rss: number;
  heapUsed: number;
  external: number;
}

/** Parent -> child. */
export type ToChild =
  { type: 'memory'; id: number } | { type: 'probe'; id: number; what: Probe } | { type: 'stop' };

/**
 * A number the bench asks the bot for: `cpu` is the process's CPU time so far (user +
 * system, µs); `autoclip-sync` re-reads every joined channel's settings as the periodic
 * sync does and answers how many channels then have a detector.
 */
export type Probe = 'cpu' | 'autoclip-sync';

/** Child -> parent. */
export type FromChild =
  | { type: 'ready' }
  | { type: 'failed'; error: string }
  | { type: 'memory'; id: number; sample: MemorySample }
  | { type: 'probe'; id: number; value: number }
  | {
      type: 'job-active';
      jobId: string;
      requestId: string;
      /** When the bot read the request (ClipRequest.requestedAt). */
      requestedAt: number;
      processedOn: number;
    }
  /** The router received the marker command; `routed` counts every command it received. */
  | {
      type: 'marker';
      at: number;
      routed: number;
      /** Channels with automatic clips on when the marker arrived. */
      detectors?: number;
      /** The bot's CPU time so far (user + system, µs), read as the marker arrived. */
      cpuUs: number;
      /** Automatic-clip fires since the bot started. */
      fires: number;
    }
  | { type: 'stopped' };
