import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { applyTitleTemplate } from '../../commands/clip-title.js';
import {
  AutoClipManager,
  AutoClipper,
  AutoClipSettingsSync,
  type AutoClipManagerOptions,
  type AutoClipTitleParts,
  type ClipWindowOptions,
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
}

/** One process's automatic clips: the detectors, what turns a fire into a clip, the settings. */
export interface AutoClipParts {
  readonly manager: AutoClipManager;
  readonly clipper: AutoClipper;
  readonly sync: AutoClipSettingsSync;
  /** What the Twitch chat adapter feeds. */
  readonly hooks: AutoClipHooks;
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
  const sync = new AutoClipSettingsSync({
    manager,
    settings: opts.settings,
    log,
    ...(tuning.settingsRefreshMs !== undefined ? { refreshMs: tuning.settingsRefreshMs } : {}),
  });
  const hooks: AutoClipHooks = {
    observe: (m) => manager.observe(m),
    raidArrived: (id, at) => manager.raidArrived(id, at),
    onFire: (fire, channel) => void clipper.fire(fire, channel),
    onJoined: (id) => sync.joined(id),
    onLeft: (id) => sync.left(id),
  };
  return { manager, clipper, sync, hooks };
}
