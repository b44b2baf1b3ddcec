import { SETTINGS_LIMITS } from '../src/core/settings-validation.js';
import { DEFAULT_CHANNEL_SETTINGS, type ChannelSettings } from '../src/core/channel-settings.js';
import { settingsSummary, whoWord } from './settings-summary.js';
import { AUTO_SUBCOMMAND, autoChange } from './clipconfig-auto.js';
import {
  UserError,
  type CommandContext,
  type CommandDefinition,
  type CommandOption,
} from '../src/core/command.js';

const seconds = (name: string, max: number): CommandOption => ({
  name,
  description: 'Seconds',
  type: 'integer',
  required: true,
  min: 0,
  max,
});

const duration = (name: string, required: boolean): CommandOption => ({
  name,
  description: 'Seconds',
  type: 'integer',
  required,
  min: SETTINGS_LIMITS.duration.min,
  max: SETTINGS_LIMITS.duration.max,
});

type Change = (ctx: CommandContext) => {
  patch: Partial<ChannelSettings>;
  answer: (s: ChannelSettings) => string;
};

const CHANGES: Record<string, Change> = {
  on: () => ({ patch: { enabled: true }, answer: () => 'Clipping is now on.' }),
  off: (ctx) => ({
    patch: { enabled: false },
    answer: () =>
      `Clipping is now off; ${ctx.services.config.CHAT_COMMAND_PREFIX}clipconfig on turns it back on.`,
  }),
  who: (ctx) => ({
    patch: { permission: ctx.options.level as ChannelSettings['permission'] },
    answer: (s) =>
      s.permission === 'everyone'
        ? 'Now everyone can clip.'
        : // Said here, where it is decided: Discord members have no Twitch role to show.
          `Now ${whoWord(s.permission)} and up can clip, in Twitch chat only (Discord cannot show Twitch roles).`,
  }),
  cooldown: (ctx) => {
    const which = ctx.options.target === 'channel' ? 'channelCooldownS' : 'userCooldownS';
    return {
      patch: { [which]: ctx.options.seconds as number },
      answer: (s) =>
        which === 'channelCooldownS'
          ? `Channel cooldown is now ${s.channelCooldownS}s.`
          : `Per-user cooldown is now ${s.userCooldownS}s.`,
    };
  },
  duration: (ctx) => {
    const patch: Partial<ChannelSettings> = { defaultDuration: ctx.options.default as number };
    if (typeof ctx.options.min === 'number') patch.minDuration = ctx.options.min;
    if (typeof ctx.options.max === 'number') patch.maxDuration = ctx.options.max;
    return {
      patch,
      answer: (s) =>
        `Clips are now ${s.defaultDuration}s by default, ${s.minDuration}-${s.maxDuration}s allowed.`,
    };
  },
  title: (ctx) => {
    const text = String(ctx.options.template ?? '').trim();
    const reset = text.toLowerCase() === 'reset';
    return {
      patch: { titleTemplate: reset ? DEFAULT_CHANNEL_SETTINGS.titleTemplate : text },
      answer: (s) =>
        reset
          ? "Title template reset: the viewer's title, else Twitch's default."
          : `Title template is now: ${s.titleTemplate}`,
    };
  },
  delay: (ctx) => ({
    patch: { delayS: ctx.options.seconds as number },
    answer: (s) =>
      s.delayS === 0
        ? 'Clips now capture at once.'
        : `Clips now capture ${s.delayS}s after the request.`,
  }),
  auto: autoChange,
};

/**
 * `!clipconfig ...`: moderators and the broadcaster change the channel's clip settings from
 * Twitch chat. Each change is validated, stored and answered; it is in force at once.
 */
export function clipconfigCommand(): CommandDefinition {
  return {
    name: 'clipconfig',
    description: "Show or change this channel's clip settings",
    usage: 'clipconfig [on|off|who|cooldown|duration|title|delay|auto] (moderators)',
    platforms: ['twitch'],
    permission: 'moderator',
    chatDefaultSubcommand: 'show',
    subcommands: [
      { name: 'show', description: 'Show the settings' },
      { name: 'on', description: 'Turn clipping on' },
      { name: 'off', description: 'Turn clipping off' },
      {
        name: 'who',
        description: 'Who may clip',
        options: [
          {
            name: 'level',
            description: 'Lowest role that may clip',
            type: 'string',
            required: true,
            choices: [
              { name: 'everyone', value: 'everyone' },
              { name: 'subscribers', value: 'subscriber' },
              { name: 'vips', value: 'vip' },
              { name: 'mods', value: 'moderator' },
            ],
          },
        ],
      },
      {
        name: 'cooldown',
        description: 'Channel or per-user cooldown',
        options: [
          {
            name: 'target',
            description: 'Which cooldown',
            type: 'string',
            required: true,
            choices: [
              { name: 'channel', value: 'channel' },
              { name: 'user', value: 'user' },
            ],
          },
          seconds('seconds', SETTINGS_LIMITS.cooldownS.max),
        ],
      },
      {
        name: 'duration',
        description: 'Default and allowed clip lengths',
        options: [duration('default', true), duration('min', false), duration('max', false)],
      },
      {
        name: 'title',
        description: 'Title template ({title} {user} {channel} {game}) or reset',
        options: [
          {
            name: 'template',
            description: 'Template, or "reset"',
            type: 'string',
            required: true,
            rest: true,
            maxLength: SETTINGS_LIMITS.titleTemplateLength,
          },
        ],
      },
      {
        name: 'delay',
        description: 'Seconds between the request and the capture',
        options: [seconds('seconds', SETTINGS_LIMITS.delayS.max)],
      },
      AUTO_SUBCOMMAND,
    ],

    async execute(ctx) {
      const channel = ctx.twitchChannel;
      if (!channel) throw new UserError('Use this in a Twitch channel.');
      const { settings } = ctx.services;
      const change = ctx.subcommand ? CHANGES[ctx.subcommand] : undefined;
      if (!change) {
        await ctx.reply(
          `${channel.displayName}: ${settingsSummary(await settings.get(channel.id))}`,
        );
        return;
      }
      const { patch, answer } = change(ctx);
      const now = await settings.update(channel.id, patch);
      ctx.services.log.info(
        { broadcasterId: channel.id, by: ctx.user.id, patch },
        'channel settings changed',
      );
      await ctx.reply(answer(now));
    },
  };
}
