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
export type ToChild = { type: 'memory'; id: number } | { type: 'stop' };

/** Child -> parent. */
export type FromChild =
  | { type: 'ready' }
  | { type: 'failed'; error: string }
  | { type: 'memory'; id: number; sample: MemorySample }
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
      /** Channels with an automatic-clip detector when the marker arrived. */
      detectors?: number;
    }
  | { type: 'stopped' };
