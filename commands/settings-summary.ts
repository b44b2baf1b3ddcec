import type { ChannelSettings } from '../src/core/channel-settings.js';
import { autoSummary } from './clipconfig-auto.js';

const WHO: Record<ChannelSettings['permission'], string> = {
  everyone: 'everyone',
  subscriber: 'subscribers',
  vip: 'VIPs',
  moderator: 'mods',
};

/** "who" as !clipconfig spells it. */
export function whoWord(permission: ChannelSettings['permission']): string {
  return WHO[permission];
}

/** One line, for chat and for an embed field. */
export function settingsSummary(s: ChannelSettings): string {
  return [
    `clipping ${s.enabled ? 'on' : 'off'}`,
    `who: ${WHO[s.permission]}`,
    `cooldown: channel ${s.channelCooldownS}s, user ${s.userCooldownS}s`,
    `duration ${s.defaultDuration}s (${s.minDuration}-${s.maxDuration})`,
    `title: ${s.titleTemplate}`,
    `delay ${s.delayS}s`,
    autoSummary(s),
  ].join(' · ');
}
