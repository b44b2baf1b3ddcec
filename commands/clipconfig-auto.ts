import { SETTINGS_LIMITS } from '../src/core/settings-validation.js';
import {
  AUTOCLIP_SENSITIVITIES,
  type AutoClipSensitivity,
  type ChannelSettings,
} from '../src/core/channel-settings.js';
import { UserError, type CommandContext, type SubcommandDefinition } from '../src/core/command.js';

/**
 * `!clipconfig auto on|off|sensitivity|cooldown|chat|raids [value]`: the channel's automatic
 * clips (off by default). One subcommand with a setting and a value, so `!clipconfig` keeps
 * one word per area.
 */
export const AUTO_SUBCOMMAND: SubcommandDefinition = {
  name: 'auto',
  description: 'Automatic clips when chat erupts',
  options: [
    {
      name: 'setting',
      description: 'What to change',
      type: 'string',
      required: true,
      choices: ['on', 'off', 'sensitivity', 'cooldown', 'chat', 'raids'].map((c) => ({
        name: c,
        value: c,
      })),
    },
    { name: 'value', description: 'low|normal|high, seconds, or on|off', type: 'string' },
  ],
};

const ON = ['on', 'true', 'yes'];
const OFF = ['off', 'false', 'no'];

function usage(ctx: CommandContext, rest: string): UserError {
  return new UserError(`Usage: ${ctx.services.config.CHAT_COMMAND_PREFIX}clipconfig auto ${rest}`);
}

function onOff(ctx: CommandContext, setting: string, value: string | undefined): boolean {
  const v = value?.toLowerCase() ?? '';
  if (ON.includes(v)) return true;
  if (OFF.includes(v)) return false;
  throw usage(ctx, `${setting} on|off`);
}

function where(s: ChannelSettings): string {
  return s.autoChat ? 'announced in chat' : 'quiet in chat, posted to the linked Discord channel';
}

/** The change `!clipconfig auto ...` asks for, and its answer once stored. */
export function autoChange(ctx: CommandContext): {
  patch: Partial<ChannelSettings>;
  answer: (s: ChannelSettings) => string;
} {
  const setting = String(ctx.options.setting ?? '');
  const raw = typeof ctx.options.value === 'string' ? ctx.options.value.trim() : undefined;
  const value = raw === '' ? undefined : raw;
  if ((setting === 'on' || setting === 'off') && value !== undefined)
    throw usage(ctx, 'on|off|sensitivity|cooldown|chat|raids [value]');
  switch (setting) {
    case 'on':
      return {
        patch: { autoEnabled: true },
        answer: (s) =>
          `Automatic clips are now on (sensitivity ${s.autoSensitivity}, at most one every ${s.autoCooldownS}s; ${where(s)}).`,
      };
    case 'off':
      return { patch: { autoEnabled: false }, answer: () => 'Automatic clips are now off.' };
    case 'sensitivity': {
      const level = value?.toLowerCase() as AutoClipSensitivity | undefined;
      if (!level || !AUTOCLIP_SENSITIVITIES.includes(level))
        throw usage(ctx, `sensitivity ${AUTOCLIP_SENSITIVITIES.join('|')}`);
      return {
        patch: { autoSensitivity: level },
        answer: (s) => `Automatic clip sensitivity is now ${s.autoSensitivity}.`,
      };
    }
    case 'cooldown': {
      const { min, max } = SETTINGS_LIMITS.autoCooldownS;
      const n = value !== undefined && /^\d{1,6}s?$/i.test(value) ? parseInt(value, 10) : NaN;
      if (Number.isNaN(n)) throw usage(ctx, `cooldown <seconds, ${min}-${max}>`);
      return {
        patch: { autoCooldownS: n },
        answer: (s) => `Automatic clips now come at most one every ${s.autoCooldownS}s.`,
      };
    }
    case 'chat': {
      const on = onOff(ctx, 'chat', value);
      return {
        patch: { autoChat: on },
        answer: (s) => `Automatic clips are now ${where(s)}.`,
      };
    }
    case 'raids': {
      const on = onOff(ctx, 'raids', value);
      return {
        patch: { autoRaids: on },
        answer: (s) =>
          s.autoRaids
            ? 'Raid greetings can now make an automatic clip.'
            : 'Raid greetings no longer make automatic clips.',
      };
    }
    default:
      throw usage(ctx, 'on|off|sensitivity|cooldown|chat|raids [value]');
  }
}

/** The automatic-clip part of the one-line settings summary. */
export function autoSummary(s: ChannelSettings): string {
  return (
    `auto clips ${s.autoEnabled ? 'on' : 'off'} (${s.autoSensitivity}, cooldown ${s.autoCooldownS}s, ` +
    `chat ${s.autoChat ? 'on' : 'quiet'}, raids ${s.autoRaids ? 'on' : 'off'})`
  );
}
