import { cleanText } from '../src/core/chat-syntax.js';
import { normalizeLogin } from '../src/core/twitch-login.js';
import { linkedChannelChoices } from './linked-channel-choices.js';
import { settingsSummary } from './settings-summary.js';
import { UserError, type CommandContext, type CommandDefinition } from '../src/core/command.js';

/** Discord's own limit on autocomplete choices; more links could not be offered. */
export const MAX_LINKS_PER_GUILD = 25;

/**
 * Twitch chats the bot joins because of links, all servers together. Linking needs no proof
 * of owning the Twitch channel, so without a cap any set of servers could make the bot
 * join (and hold joins, memory and Helix budget for) as many chats as they like.
 */
export const MAX_LINKED_CHANNELS = 2000;

export interface ClipbotCommandOptions {
  /** Default MAX_LINKED_CHANNELS. */
  maxLinkedChannels?: number;
}

function guildOf(ctx: CommandContext): string {
  if (!ctx.guildId) throw new UserError('Use this in a server.');
  return ctx.guildId;
}

async function link(ctx: CommandContext, maxLinkedChannels: number): Promise<void> {
  const guildId = guildOf(ctx);
  const typed = String(ctx.options.twitch_channel ?? '');
  const post = typeof ctx.options.post_channel === 'string' ? ctx.options.post_channel : undefined;
  // The Discord adapter has already checked that a picked channel belongs to this server.
  if (post !== undefined && !/^\d{15,22}$/.test(post)) {
    throw new UserError('post_channel must be a channel of this server.');
  }
  const { channels, links, chatChannels, config } = ctx.services;
  const ref = normalizeLogin(typed) ? await channels.byLogin(typed) : undefined;
  if (!ref) throw new UserError(`Twitch has no channel named "${cleanText(typed, 40)}".`);
  // A configured channel is joined anyway: linking it costs no join.
  const joinsAnyway = config.TWITCH_CHANNELS.includes(ref.login);
  const outcome = await links.link(guildId, ref, post, {
    perGuild: MAX_LINKS_PER_GUILD,
    total: joinsAnyway ? 0 : maxLinkedChannels,
  });
  if (outcome === 'guild_full') {
    throw new UserError(`A server can link at most ${MAX_LINKS_PER_GUILD} channels.`);
  }
  if (outcome === 'total_full') {
    throw new UserError(
      `The bot is in as many linked Twitch chats as it may be (${maxLinkedChannels.toLocaleString('en-US')}), so it cannot link ${ref.displayName} now; its operator can add channels with TWITCH_CHANNELS.`,
    );
  }
  await chatChannels.add(ref.login);
  ctx.services.log.info(
    { guildId, broadcasterId: ref.id, postChannelId: post, by: ctx.user.id },
    'discord link added',
  );
  const posting = post ? ` Clips made in its Twitch chat are also posted in <#${post}>.` : '';
  await ctx.reply(
    `Linked ${ref.displayName}: /clip here clips it, and the bot joins its chat.${posting}`,
  );
}

async function unlink(ctx: CommandContext): Promise<void> {
  const guildId = guildOf(ctx);
  const typed =
    typeof ctx.options.twitch_channel === 'string' ? ctx.options.twitch_channel : undefined;
  const login = typed === undefined ? undefined : (normalizeLogin(typed) ?? typed.toLowerCase());
  const { links, chatChannels, config } = ctx.services;
  const before = (await links.forGuild(guildId)).filter(
    (l) => login === undefined || l.twitch.login === login,
  );
  if (before.length === 0) {
    throw new UserError(
      login ? `${login} is not linked to this server.` : 'This server has no linked channel.',
    );
  }
  await links.unlink(guildId, login);
  // Leave a chat only when no server links it any more and the operator did not configure it.
  const stillLinked = new Set((await links.allLinkedChannels()).map((r) => r.id));
  for (const l of before) {
    if (!stillLinked.has(l.twitch.id) && !config.TWITCH_CHANNELS.includes(l.twitch.login)) {
      await chatChannels.remove(l.twitch.login);
    }
  }
  ctx.services.log.info(
    { guildId, unlinked: before.map((l) => l.twitch.id) },
    'discord link removed',
  );
  await ctx.reply(`Unlinked ${before.map((l) => l.twitch.displayName).join(', ')}.`);
}

async function settings(ctx: CommandContext): Promise<void> {
  const guildId = guildOf(ctx);
  const links = await ctx.services.links.forGuild(guildId);
  if (links.length === 0) {
    await ctx.reply('No Twitch channel is linked yet; use /clipbot link <twitch_channel>.');
    return;
  }
  const fields: { name: string; value: string }[] = [];
  for (const l of links) {
    const s = await ctx.services.settings.get(l.twitch.id);
    const posts = l.postChannelId ? `posts to <#${l.postChannelId}>` : 'no post channel';
    fields.push({ name: l.twitch.displayName, value: `${posts} · ${settingsSummary(s)}` });
  }
  await ctx.reply({
    text: fields.map((f) => `${f.name}: ${f.value}`).join('\n'),
    embed: {
      title: 'Clip bot settings',
      fields,
      footer: 'Moderators change clip settings in Twitch chat with !clipconfig',
    },
  });
}

/** `/clipbot link|unlink|settings`: a server's managers connect it to Twitch channels. */
export function clipbotCommand(opts: ClipbotCommandOptions = {}): CommandDefinition {
  const maxLinkedChannels = opts.maxLinkedChannels ?? MAX_LINKED_CHANNELS;
  const handlers: Record<string, (ctx: CommandContext) => Promise<void>> = {
    link: (ctx) => link(ctx, maxLinkedChannels),
    unlink,
    settings,
  };
  return {
    name: 'clipbot',
    description: 'Connect this server to Twitch channels',
    usage: 'clipbot link|unlink|settings (Manage Server)',
    platforms: ['discord'],
    permission: 'manage_server',
    subcommands: [
      {
        name: 'link',
        description: 'Link a Twitch channel to this server',
        options: [
          {
            name: 'twitch_channel',
            description: 'Twitch channel name',
            type: 'string',
            required: true,
            maxLength: 100,
          },
          {
            name: 'post_channel',
            description: 'Also post clips made in Twitch chat here',
            type: 'string',
          },
        ],
      },
      {
        name: 'unlink',
        description: 'Unlink one Twitch channel, or all',
        options: [
          {
            name: 'twitch_channel',
            description: 'Twitch channel name (default: all)',
            type: 'string',
            autocomplete: true,
            maxLength: 100,
          },
        ],
      },
      { name: 'settings', description: 'Show linked channels and their clip settings' },
    ],

    async execute(ctx) {
      const handler = ctx.subcommand ? handlers[ctx.subcommand] : undefined;
      if (!handler) throw new UserError('Use /clipbot link, /clipbot unlink or /clipbot settings.');
      await handler(ctx);
    },

    autocomplete: linkedChannelChoices,
  };
}
