import { UserError } from './command.js';
import {
  AUTOCLIP_SENSITIVITIES,
  DEFAULT_CHANNEL_SETTINGS,
  type AutoClipSensitivity,
  type ChannelSettings,
} from './channel-settings.js';

/** Bounds of every channel setting, in one place for the store, the commands and their help. */
/** What a title template may contain in braces (see commands/clip-title.ts). */
export const TEMPLATE_PLACEHOLDERS = ['title', 'user', 'channel', 'game'];

export const SETTINGS_LIMITS = {
  /** Twitch's own range for Create Clip. */
  duration: { min: 5, max: 60 },
  cooldownS: { min: 0, max: 3600 },
  delayS: { min: 0, max: 60 },
  titleTemplateLength: 100,
  /** An automatic clip's moment lasts 30 s at least; more is the moderators' choice. */
  autoCooldownS: { min: 30, max: 3600 },
} as const;

export const CLIP_PERMISSIONS: readonly ChannelSettings['permission'][] = [
  'everyone',
  'subscriber',
  'vip',
  'moderator',
];

type Key = keyof ChannelSettings;
const KEYS = Object.keys(DEFAULT_CHANNEL_SETTINGS) as Key[];

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/** Why one field's value is not acceptable, or undefined when it is. */
function fieldProblem(key: Key, v: unknown): string | undefined {
  switch (key) {
    case 'enabled':
      return typeof v === 'boolean' ? undefined : 'enabled must be on or off.';
    case 'autoEnabled':
    case 'autoChat':
    case 'autoRaids':
      return typeof v === 'boolean' ? undefined : 'Use on or off.';
    case 'autoSensitivity':
      return AUTOCLIP_SENSITIVITIES.includes(v as AutoClipSensitivity)
        ? undefined
        : 'Sensitivity is low, normal or high.';
    case 'autoCooldownS': {
      const { min, max } = SETTINGS_LIMITS.autoCooldownS;
      return isInt(v) && v >= min && v <= max
        ? undefined
        : `The automatic clip cooldown is ${min} to ${max} seconds.`;
    }
    case 'permission':
      return CLIP_PERMISSIONS.includes(v as ChannelSettings['permission'])
        ? undefined
        : 'who must be everyone, subscribers, vips or mods.';
    case 'channelCooldownS':
    case 'userCooldownS': {
      const { min, max } = SETTINGS_LIMITS.cooldownS;
      return isInt(v) && v >= min && v <= max
        ? undefined
        : `Cooldowns are ${min} to ${max} seconds.`;
    }
    case 'defaultDuration':
    case 'minDuration':
    case 'maxDuration': {
      const { min, max } = SETTINGS_LIMITS.duration;
      return isInt(v) && v >= min && v <= max
        ? undefined
        : `Durations are ${min} to ${max} seconds.`;
    }
    case 'titleTemplate': {
      const max = SETTINGS_LIMITS.titleTemplateLength;
      if (typeof v !== 'string' || v.trim() === '') return 'The title template cannot be empty.';
      // eslint-disable-next-line no-control-regex
      if (/[\u0000-\u001f\u007f-\u009f]/.test(v))
        return 'The title template has control characters.';
      if (v.length > max) return `The title template is at most ${max} characters.`;
      // A typo such as {usr} would otherwise end up, braces and all, in every clip's title.
      const unknown = [...v.matchAll(/\{([^{}]*)\}/g)]
        .map((m) => m[1] ?? '')
        .filter((name) => !TEMPLATE_PLACEHOLDERS.includes(name));
      return unknown.length === 0
        ? undefined
        : `Unknown placeholder {${unknown[0]}}: use ${TEMPLATE_PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}.`;
    }
    case 'delayS': {
      const { min, max } = SETTINGS_LIMITS.delayS;
      return isInt(v) && v >= min && v <= max
        ? undefined
        : `The delay is ${min} to ${max} seconds.`;
    }
  }
}

/** Checks a complete settings object; throws UserError with the first problem found. */
export function validateSettings(s: ChannelSettings): ChannelSettings {
  for (const key of KEYS) {
    const problem = fieldProblem(key, s[key]);
    if (problem) throw new UserError(problem);
  }
  const order = durationOrderProblem(s.minDuration, s.defaultDuration, s.maxDuration);
  if (order) throw new UserError(order);
  return s;
}

/** Applies a patch to settings and validates the result. Unknown keys in the patch are refused. */
export function applyPatch(
  current: ChannelSettings,
  patch: Partial<ChannelSettings>,
): ChannelSettings {
  const next: ChannelSettings = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (!KEYS.includes(key as Key)) throw new UserError(`Unknown setting ${key}.`);
    if (value === undefined) continue;
    (next as unknown as Record<string, unknown>)[key] =
      key === 'titleTemplate' ? String(value).trim() : value;
  }
  return validateSettings(next);
}

/**
 * A patch with every field checked on its own, as Redis hash fields (strings). Unknown keys
 * and bad values are refused; what depends on other fields (min <= default <= max) is left
 * to whoever combines the patch with the stored settings.
 */
export function patchFields(patch: Partial<ChannelSettings>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, raw] of Object.entries(patch)) {
    if (!KEYS.includes(key as Key)) throw new UserError(`Unknown setting ${key}.`);
    if (raw === undefined) continue;
    const value = key === 'titleTemplate' ? String(raw).trim() : raw;
    const problem = fieldProblem(key as Key, value);
    if (problem) throw new UserError(problem);
    out[key] = String(value);
  }
  return out;
}

/** The cross-field rule, in the words a moderator reads. */
export function durationOrderProblem(min: number, def: number, max: number): string | undefined {
  return min <= def && def <= max
    ? undefined
    : `Durations need min <= default <= max (now ${min} <= ${def} <= ${max}).`;
}

/** Redis hash fields (strings) for a settings object. */
export function toHash(s: ChannelSettings): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of KEYS) out[key] = String(s[key]);
  return out;
}

/**
 * Settings from a stored hash. A field that is missing or no longer valid (an older
 * version wrote it, or someone edited Redis by hand) falls back to its default, and an
 * inconsistent duration range falls back as a whole, so a bad record never stops clipping.
 */
export function fromHash(
  hash: Record<string, string>,
  defaults: ChannelSettings = DEFAULT_CHANNEL_SETTINGS,
): ChannelSettings {
  const s: ChannelSettings = { ...defaults };
  const target = s as unknown as Record<string, unknown>;
  for (const key of KEYS) {
    const raw = hash[key];
    if (raw === undefined) continue;
    const def = defaults[key];
    let value: unknown = raw;
    if (typeof def === 'boolean') value = raw === 'true' ? true : raw === 'false' ? false : raw;
    else if (typeof def === 'number') value = /^-?\d+$/.test(raw) ? Number(raw) : raw;
    if (fieldProblem(key, value) === undefined) target[key] = value;
  }
  if (!(s.minDuration <= s.defaultDuration && s.defaultDuration <= s.maxDuration)) {
    s.minDuration = defaults.minDuration;
    s.maxDuration = defaults.maxDuration;
    s.defaultDuration = defaults.defaultDuration;
  }
  return s;
}
