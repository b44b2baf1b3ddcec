import type { Logger } from 'pino';
import type { ChannelSettings } from '../core/channel-settings.js';
import type { ClipRequest, ClipService } from '../core/clip.js';
import { errMessage } from '../core/err-message.js';
import type { SettingsStore } from '../core/stores.js';
import type { LiveStatus } from '../clips/live-status-table.js';
import type { Metrics } from '../ops/metrics.js';
import { autoClipWindow, type ClipWindowOptions } from './clip-window.js';
import type { AutoClipFire } from './types.js';

/** The bot account: it is the requester of every automatic clip (`{user}` in titles). */
export interface AutoClipBot {
  id: string;
  displayName: string;
}

/** The channel a fire happened in, as the chat adapter knows it. */
export interface AutoClipChannel {
  login: string;
  displayName?: string;
}

export interface AutoClipperOptions {
  /** The same service `!clip` uses: a pending clip of the channel is joined, or joins this. */
  clips: ClipService;
  settings: Pick<SettingsStore, 'get'>;
  /** The shared live table (LiveStatusTable.trusted): no Helix call of its own. */
  live: { trusted(login: string): Promise<LiveStatus | undefined> };
  /** The bot account; undefined while unknown (no clip then). */
  bot: () => AutoClipBot | undefined;
  /** The channel's title template filled in (commands/clip-title.ts's applyTitleTemplate). */
  title: (template: string, parts: AutoClipTitleParts) => string | undefined;
  log: Logger;
  metrics?: Metrics;
  window?: Partial<ClipWindowOptions>;
}

/** What an automatic clip's title is made of (commands/clip-title.ts's TitleParts). */
export interface AutoClipTitleParts {
  /** The emote or word that carried the moment; '' when none did (rate, "clip it", subs). */
  title: string;
  user: string;
  channel: string;
  /** From the live table's entry (a Get Streams answer): `{title}` when no word carried it. */
  streamTitle?: string;
  game?: string;
}

/** Why a fire made no clip (logged, and returned for tests). */
export type AutoClipSkip = 'not_live' | 'turned_off' | 'no_bot';

/**
 * Turns a detector's fire into a clip request: only while the live table says the channel
 * is live (offline, or an entry too old to trust, drops it: a moment not worth a Helix
 * call), with the window autoClipWindow gives, through the clip service so that a `!clip`
 * pending for the channel is joined (and joins this one). Never throws; runs off the chat's
 * hot path.
 */
export class AutoClipper {
  constructor(private readonly opts: AutoClipperOptions) {}

  /** Asks for the clip of a moment; resolves with the job, or why none was asked for. */
  async fire(
    fire: AutoClipFire,
    channel: AutoClipChannel,
  ): Promise<{ jobId: string; joined: boolean } | AutoClipSkip> {
    const { log } = this.opts;
    const at = { broadcasterId: fire.channel, kind: fire.kind, token: fire.token };
    try {
      const status = await this.opts.live.trusted(channel.login);
      const sameChannel = status?.userId === undefined || status.userId === fire.channel;
      if (!status?.live || !sameChannel) {
        log.debug(at, 'automatic clip: the live table does not say live; dropped');
        return 'not_live';
      }
      const settings = await this.opts.settings.get(fire.channel);
      // Turned off in another process since this one last read the settings.
      if (!settings.autoEnabled) return 'turned_off';
      const bot = this.opts.bot();
      if (!bot) return 'no_bot';
      const request = this.request(fire, channel, settings, bot, status);
      const answer = await this.opts.clips.request(request);
      this.opts.metrics?.autoClips.inc({ kind: fire.kind });
      log.info({ ...at, ...answer }, 'automatic clip requested');
      return answer;
    } catch (err) {
      log.warn({ ...at, err: errMessage(err) }, 'automatic clip could not be requested');
      return 'not_live';
    }
  }

  private request(
    fire: AutoClipFire,
    channel: AutoClipChannel,
    settings: ChannelSettings,
    bot: AutoClipBot,
    stream: LiveStatus,
  ): ClipRequest {
    const w = autoClipWindow(fire, this.opts.window);
    const displayName = channel.displayName ?? channel.login;
    // The title names what chat said (an emote or word); a rate or support burst has none.
    const named = fire.kind === 'emote' || fire.kind === 'word' ? (fire.token ?? '') : '';
    // The stream's title and game come with the entry that said live: no call of their own.
    const title = this.opts.title(settings.titleTemplate, {
      title: named,
      user: bot.displayName,
      channel: displayName,
      ...(stream.title !== undefined ? { streamTitle: stream.title } : {}),
      ...(stream.gameName !== undefined ? { game: stream.gameName } : {}),
    });
    const request: ClipRequest = {
      // The same fire seen by two bot processes is one request (the join script dedupes ids).
      requestId: `auto-${fire.channel}-${fire.firedAt}`,
      broadcasterId: fire.channel,
      broadcasterLogin: channel.login,
      broadcasterName: displayName,
      duration: w.duration,
      requester: { platform: 'twitch', userId: bot.id, displayName: bot.displayName },
      replyTo: { platform: 'twitch', channel: channel.login },
      requestedAt: fire.firedAt,
      auto: {
        kind: fire.kind,
        ...(fire.token !== undefined ? { token: fire.token } : {}),
        announce: settings.autoChat,
      },
    };
    if (title !== undefined) request.title = title;
    return request;
  }
}
