import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { applyTitleTemplate } from '../../commands/clip-title.js';
import {
  AutoClipManager,
  AutoClipper,
  AutoClipSettingsSync,
  ObservationBatcher,
  type AutoClipManagerOptions,
  type AutoClipTitleParts,
  type ClipWindowOptions,
  type ObservationBatcherOptions,
} from '../autoclip/index.js';
import type { AutoClipHooks } from '../chat/twitch/autoclip-feed.js';
import { LiveStatusTable } from '../clips/live-status-table.js';
import type { SettingsStore } from '../core/stores.js';
import type { Metrics } from '../ops/metrics.js';
import type { BotIdentity } from '../twitch/token-manager.js';
import type { ClipPipeline } from './clip-pipeline.js';

/** Knobs of automatic clips that tests (and the bench) change; production uses the defaults. */
export interface AutoClipTuning {
  /** The detectors' options, e.g. a shorter warm-up for a test's quiet channel. */
  manager?: AutoClipManagerOptions;
  window?: Partial<ClipWindowOptions>;
  /** How often every joined channel's settings are read again (AUTOCLIP_SYNC_DEFAULTS). */
  settingsRefreshMs?: number;
  /** How chat lines wait to be taken together (OBSERVATION_BATCH_DEFAULTS). */
  batch?: ObservationBatcherOptions;
}

/** One process's automatic clips: the detectors, what turns a fire into a clip, the settings. */
export interface AutoClipParts {
  readonly manager: AutoClipManager;
  readonly clipper: AutoClipper;
  readonly sync: AutoClipSettingsSync;
  /** What the Twitch chat adapter feeds. */
  readonly hooks: AutoClipHooks;
  /** No more settings reads; lines still waiting are dropped. */
  stop(): void;
}

/** An automatic clip's title: the channel's template filled in, never refused. */
export function autoClipTitle(template: string, parts: AutoClipTitleParts): string | undefined {
  try {
    return applyTitleTemplate(template, parts);
  } catch {
    // Only a viewer's own title is refused when too long. A token with a long game or
    // template takes the stream title's place instead: the text is cut to Twitch's 100.
    return applyTitleTemplate(template, { ...parts, title: '', streamTitle: parts.title });
  }
}

export function buildAutoClip(opts: {
  redis: Redis;
  pipeline: ClipPipeline;
  settings: SettingsStore;
  bot: () => BotIdentity | undefined;
  log: Logger;
  metrics?: Metrics;
  tuning?: AutoClipTuning;
}): AutoClipParts {
  const { tuning = {} } = opts;
  const log = opts.log.child({ component: 'autoclip' });
  const manager = new AutoClipManager(tuning.manager);
  const clipper = new AutoClipper({
    clips: opts.pipeline.service,
    settings: opts.settings,
    live: new LiveStatusTable(opts.redis, opts.pipeline.keys),
    bot: () => {
      const id = opts.bot();
      return id ? { id: id.userId, displayName: id.login } : undefined;
    },
    title: autoClipTitle,
    log,
    metrics: opts.metrics,
    ...(tuning.window ? { window: tuning.window } : {}),
  });
  // Who a fire's channel is: its login from the join, the broadcaster's name once they chat.
  const channels = new Map<string, { login: string; displayName?: string }>();
  const batcher = new ObservationBatcher(
    manager,
    (fire) => {
      const channel = channels.get(fire.channel);
      if (channel) void clipper.fire(fire, channel);
    },
    (err) => log.warn({ err }, 'a chat line could not be read for automatic clips'),
    tuning.batch,
  );
  const sync = new AutoClipSettingsSync({
    // Through the batcher: lines that came before a change are taken before it.
    manager: batcher,
    settings: opts.settings,
    log,
    ...(tuning.settingsRefreshMs !== undefined ? { refreshMs: tuning.settingsRefreshMs } : {}),
  });
  const hooks: AutoClipHooks = {
    channelId: (id) => manager.idOf(id),
    observe: (m, channelId) => {
      if (m.broadcasterName) {
        const channel = channels.get(m.channel);
        if (channel) channel.displayName = m.broadcasterName;
      }
      batcher.add(m, channelId);
    },
    raidArrived: (id, at) => batcher.raidArrived(id, at),
    onJoined: (id, login) => {
      channels.set(id, { ...channels.get(id), login });
      sync.joined(id);
    },
    onLeft: (id) => {
      channels.delete(id);
      sync.left(id);
    },
  };
  const stop = (): void => {
    sync.stop();
    batcher.close();
  };
  return { manager, clipper, sync, hooks, stop };
}
