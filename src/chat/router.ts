import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import {
  UserError,
  type CommandContext,
  type CommandDefinition,
  type CommandServices,
  type IncomingCommand,
  type OptionValue,
  type Permission,
  type SubcommandDefinition,
} from '../core/command.js';
import type { ChannelSettings } from '../core/channel-settings.js';
import type { CooldownClaim, CooldownTicket } from '../core/stores/cooldown-store.js';
import type { TwitchChannelRef } from '../core/stores/discord-links.js';
import {
  ChatCommandIndex,
  availableOn,
  optionsFor,
  parseResolved,
  resolveChat,
  usageLine,
  validateStructuredOptions,
} from '../core/chat-syntax.js';
import {
  bypassesCooldowns,
  discordClipRefusal,
  hasPermission,
  permissionFor,
  refusalText,
  whoCan,
} from '../core/permissions.js';
import { resolveDiscordChannel } from './resolve-channel.js';

export interface RouterMetrics {
  commands: { inc(labels: { platform: string; command: string }): void };
}

export interface CommandRouterOptions {
  commands: CommandDefinition[];
  services: Omit<CommandServices, 'commands'> | CommandServices;
  log: Logger;
  metrics?: RouterMetrics;
  /**
   * Twitch: once a user was told a command is refused to them (permission, clipping off),
   * they are not told again for this long, so repeating the command cannot flood chat.
   */
  refusalNoticeS?: number;
  /** Twitch: the same mistake by the same viewer is answered once in this many seconds. */
  repeatedErrorS?: number;
  /**
   * Twitch: an informational command (CommandDefinition.informational) with the same
   * arguments is answered once per channel in this many seconds; repeats are ignored.
   * Default 30 (Twitch's own window for identical messages); 0 turns it off.
   */
  repeatAnswerS?: number;
}

export const GENERIC_FAILURE = 'Something went wrong; it has been logged.';

/**
 * What the gates took for one call, to give back if the command fails: the clip cooldowns
 * (a clip refused by the command made no clip), or the channel's "just answered" mark (an
 * answer that failed was no answer, so the next viewer to ask must be heard).
 */
interface Held {
  clip?: CooldownTicket;
  answered?: CooldownTicket;
}

/** Where the call is, once the command is known. */
interface Target {
  def: CommandDefinition;
  sub?: SubcommandDefinition;
  /** Twitch: the text after the command (and subcommand) word. */
  args?: string;
  viaDefault?: boolean;
}

/**
 * Runs every command from every platform through the same gates, in this order: known
 * command, available on this platform, enabled in this channel, permission (on every call),
 * the arguments (syntax, then the command's own validate()), cooldowns (with, in Twitch
 * chat, the channel's window for an informational answer just given); then the command. A
 * UserError becomes the answer; anything else is logged and gets a short generic answer.
 */
export class CommandRouter {
  private readonly services: CommandServices;
  private readonly byName: Map<string, CommandDefinition>;
  private readonly chatIndex: ChatCommandIndex;
  private readonly log: Logger;
  private readonly metrics: RouterMetrics | undefined;
  private readonly refusalNoticeS: number;
  private readonly repeatedErrorS: number;
  private readonly repeatAnswerS: number;

  constructor(opts: CommandRouterOptions) {
    this.byName = new Map(opts.commands.map((c) => [c.name, c]));
    this.services = { ...opts.services, commands: this.byName };
    this.chatIndex = new ChatCommandIndex(opts.commands);
    this.log = opts.log;
    this.metrics = opts.metrics;
    this.refusalNoticeS = opts.refusalNoticeS ?? 30;
    this.repeatedErrorS = opts.repeatedErrorS ?? 10;
    this.repeatAnswerS = opts.repeatAnswerS ?? 30;
  }

  async handle(input: IncomingCommand): Promise<void> {
    let command = '(unknown)';
    try {
      const target = this.find(input);
      if (!target) {
        // Twitch chat is full of other bots' !commands: only Discord gets an answer.
        if (input.platform === 'discord') await input.reply('Unknown command.');
        return;
      }
      const { def, sub } = target;
      command = def.name;
      if (!availableOn(def, input.platform) || (sub && !availableOn(sub, input.platform))) {
        if (input.platform === 'discord')
          await input.reply(`/${def.name} is not available on Discord.`);
        return;
      }
      this.metrics?.commands.inc({ platform: input.platform, command: def.name });
      await this.run(input, target);
    } catch (err) {
      await this.fail(input, command, err);
    }
  }

  /** Discord autocomplete: the command's own suggestions, for callers allowed to run it. */
  async autocomplete(
    input: IncomingCommand,
    focused: { name: string; value: string },
  ): Promise<{ name: string; value: string }[]> {
    const target = this.find(input);
    if (!target?.def.autocomplete || !availableOn(target.def, input.platform)) return [];
    const required = permissionFor(target.def, target.sub, input.platform);
    if (!hasPermission(input.user, required)) return [];
    try {
      const ctx = this.context(input, target, input.structured?.options ?? {}, input.twitchChannel);
      const choices = await target.def.autocomplete(ctx, focused);
      return choices.slice(0, 25);
    } catch (err) {
      this.log.warn({ err, command: target.def.name }, 'autocomplete failed');
      return [];
    }
  }

  private find(input: IncomingCommand): Target | undefined {
    if (input.structured) {
      const def = this.byName.get(input.structured.command.toLowerCase());
      if (!def) return undefined;
      const name = input.structured.subcommand?.toLowerCase();
      const sub = name ? def.subcommands?.find((s) => s.name === name) : undefined;
      return sub ? { def, sub } : { def };
    }
    if (input.chatText === undefined) return undefined;
    return resolveChat(input.chatText, this.chatIndex, input.platform);
  }

  private async run(input: IncomingCommand, target: Target): Promise<void> {
    const { def, sub } = target;
    const { platform, user } = input;
    // The clip-settings gates: commands that clip follow the channel's clip settings.
    const clipGated = def.cooldown === 'clip';
    const twitchChannel =
      platform === 'discord' && optionsFor(def, sub, 'discord').some((o) => o.name === 'channel')
        ? await resolveDiscordChannel(input, this.services, { linkedOnly: clipGated })
        : input.twitchChannel;

    let settings: ChannelSettings | undefined;
    if (clipGated && twitchChannel) {
      settings = await this.services.settings.get(twitchChannel.id);
      if (!settings.enabled) {
        const how = `${this.prefix}clipconfig on${platform === 'twitch' ? '' : ' in its Twitch chat'}`;
        await this.refuse(
          input,
          'disabled',
          `Clipping is off for ${twitchChannel.displayName}; the broadcaster or a moderator can turn it on with ${how}.`,
        );
        return;
      }
    }

    const required: Permission = settings ? settings.permission : permissionFor(def, sub, platform);
    if (!hasPermission(user, required)) {
      let text = refusalText(required, this.named(def, platform, this.ownRule(target)));
      if (settings && twitchChannel && required !== 'manage_server') {
        text =
          platform === 'discord'
            ? discordClipRefusal(twitchChannel.displayName, required)
            : `Only ${whoCan(required)} can clip in this channel.`;
      }
      await this.refuse(input, `permission:${def.name}`, text);
      return;
    }

    const options = this.options(input, target);
    const ctx = this.context(input, target, options, twitchChannel, settings);
    if (def.validate) await def.validate(ctx);
    let held: Held = {};
    if (!bypassesCooldowns(user)) {
      const allowed = await this.cooldownsAllow(input, target, options, settings, twitchChannel);
      if (!allowed) return;
      held = allowed;
    }
    try {
      await def.execute(ctx);
    } catch (err) {
      // A clip refused by the command (a UserError) made no clip: it must hold no one back.
      // An informational answer that failed otherwise was not given: the next ask is heard.
      const giveBack = err instanceof UserError ? held.clip : held.answered;
      if (giveBack) {
        await this.services.cooldowns
          .release(giveBack)
          .catch((e: unknown) => this.log.warn({ err: e }, 'could not release cooldowns'));
      }
      throw err;
    }
  }

  /**
   * The channel-wide mark of an informational answer in Twitch chat: the command, its
   * subcommand and its parsed options (so `!clips week` and `!clips top weeks` are one).
   * Undefined where every call is answered: Discord (each interaction waits for its
   * answer), other commands, or with the window off.
   */
  private answeredKey(
    input: IncomingCommand,
    target: Target,
    options: Record<string, OptionValue | undefined>,
    channel: TwitchChannelRef | undefined,
  ): string | undefined {
    const informational = target.sub?.informational ?? target.def.informational;
    if (input.platform !== 'twitch' || !channel || !informational || this.repeatAnswerS <= 0) {
      return undefined;
    }
    const args = Object.entries(options)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const digest = createHash('sha256')
      .update(JSON.stringify(args))
      .digest('base64url')
      .slice(0, 22);
    return `answered:${channel.id}:${target.def.name}:${target.sub?.name ?? ''}:${digest}`;
  }

  /** The subcommand a refusal should name: one with a rule of its own, typed by the user. */
  private ownRule(target: Target): SubcommandDefinition | undefined {
    const { sub } = target;
    if (!sub || target.viaDefault) return undefined;
    return sub.permission !== undefined || sub.permissionOn !== undefined ? sub : undefined;
  }

  private get prefix(): string {
    return this.services.config.CHAT_COMMAND_PREFIX;
  }

  private named(
    def: CommandDefinition,
    platform: IncomingCommand['platform'],
    sub?: SubcommandDefinition,
  ): string {
    return `${platform === 'twitch' ? this.prefix : '/'}${def.name}${sub ? ` ${sub.name}` : ''}`;
  }

  private options(input: IncomingCommand, target: Target): Record<string, OptionValue | undefined> {
    const { def, sub } = target;
    if (input.structured) {
      if (def.subcommands?.length && !sub) {
        throw new UserError(`Usage: ${usageLine(def, undefined, input.platform, '/')}`);
      }
      return validateStructuredOptions(
        optionsFor(def, sub, input.platform),
        input.structured.options,
        usageLine(def, sub, input.platform, '/'),
      );
    }
    return parseResolved({ ...target, args: target.args ?? '' }, this.prefix, input.platform);
  }

  /**
   * Takes the cooldowns this call needs, and what it took (to give back if the command then
   * fails); false (after at most one notice, or none for a repeated informational call)
   * when one is held.
   */
  private async cooldownsAllow(
    input: IncomingCommand,
    target: Target,
    options: Record<string, OptionValue | undefined>,
    settings: ChannelSettings | undefined,
    channel: TwitchChannelRef | undefined,
  ): Promise<false | Held> {
    const { def } = target;
    const { cooldowns } = this.services;
    const who = `${input.platform}:${input.user.id}`;
    if (def.cooldown === 'clip') {
      if (!settings || !channel) return {};
      const userKey = `clip:user:${channel.id}:${who}`;
      const channelKey = `clip:channel:${channel.id}`;
      const claims: CooldownClaim[] = [];
      if (settings.userCooldownS > 0) {
        claims.push({ key: userKey, seconds: settings.userCooldownS });
      }
      if (settings.channelCooldownS > 0) {
        // Requests right after the one that started the cooldown join that same clip
        // (the clip service coalesces them), so they pass rather than being refused.
        claims.push({
          key: channelKey,
          seconds: settings.channelCooldownS,
          joinWithinS: this.services.config.COALESCE_WINDOW_S,
        });
      }
      // Both or neither: a user refused by the channel's cooldown keeps their own.
      const took = await cooldowns.tryTakeAll(claims);
      if (took.ok) return { clip: took.ticket };
      const wait = Math.ceil(took.retryAfterS);
      if (took.key === userKey) {
        await this.tell(
          input,
          `${userKey}:notice`,
          took.retryAfterS,
          `Wait ${wait}s before your next clip.`,
        );
      } else {
        await this.tell(
          input,
          `${channelKey}:notice:${who}`,
          took.retryAfterS,
          `The next clip in this channel is possible in ${wait}s.`,
        );
      }
      return false;
    }
    // The channel's mark first: a viewer repeating what was just answered hears nothing,
    // not a cooldown notice. Both or neither, so a call refused by the asker's cooldown
    // does not silence the channel, and a silenced one spends no cooldown of the asker's.
    const claims: CooldownClaim[] = [];
    const answeredKey = this.answeredKey(input, target, options, channel);
    if (answeredKey) claims.push({ key: answeredKey, seconds: this.repeatAnswerS });
    // A subcommand's own cooldown is its alone; else the command's, shared by all its forms.
    const own = target.sub?.cooldown !== undefined ? target.sub : undefined;
    const seconds = own ? own.cooldown : def.cooldown;
    const scope = channel?.id ?? input.guildId ?? 'direct';
    const userKey = `cmd:${def.name}${own ? `.${own.name}` : ''}:${scope}:${who}`;
    if (typeof seconds === 'number' && seconds > 0) claims.push({ key: userKey, seconds });
    if (claims.length === 0) return {};
    const took = await cooldowns.tryTakeAll(claims);
    if (took.ok) {
      const answered = took.ticket.taken.filter((t) => t.key === answeredKey);
      return answered.length > 0 ? { answered: { taken: answered } } : {};
    }
    if (took.key === answeredKey) return false;
    const wait = Math.ceil(took.retryAfterS);
    await this.tell(
      input,
      `${userKey}:notice`,
      took.retryAfterS,
      `Wait ${wait}s before using ${this.named(def, input.platform, target.viaDefault ? undefined : own)} again.`,
    );
    return false;
  }

  /** A refusal: always answered on Discord (the interaction waits), once per window on Twitch. */
  private async refuse(input: IncomingCommand, kind: string, text: string): Promise<void> {
    const where = input.twitchChannel?.id ?? input.guildId ?? 'direct';
    const key = `refused:${kind}:${where}:${input.platform}:${input.user.id}`;
    await this.tell(input, key, this.refusalNoticeS, text);
  }

  private async tell(
    input: IncomingCommand,
    noticeKey: string,
    seconds: number,
    text: string,
  ): Promise<void> {
    if (
      input.platform === 'twitch' &&
      !(await this.services.cooldowns.shouldNotify(noticeKey, seconds))
    ) {
      return;
    }
    await input.reply(text);
  }

  private context(
    input: IncomingCommand,
    target: Target,
    options: Record<string, OptionValue | undefined>,
    twitchChannel: TwitchChannelRef | undefined,
    channelSettings?: ChannelSettings,
  ): CommandContext {
    return {
      platform: input.platform,
      requestId: input.requestId,
      receivedAt: input.receivedAt,
      command: target.def.name,
      subcommand: target.sub?.name,
      options,
      user: input.user,
      twitchChannel,
      channelSettings,
      guildId: input.guildId,
      discordChannelId: input.discordChannelId,
      replyTarget: input.replyTarget,
      reply: (answer) => input.reply(answer),
      services: this.services,
    };
  }

  private async fail(input: IncomingCommand, command: string, err: unknown): Promise<void> {
    let answer: string;
    if (err instanceof UserError) {
      answer = err.message;
    } else {
      this.log.error(
        { err, command, platform: input.platform, requestId: input.requestId },
        'command failed',
      );
      answer = GENERIC_FAILURE;
    }
    try {
      // A viewer repeating the same mistake in Twitch chat is told once, not every time.
      // Moderators always hear back: they are configuring and need every answer.
      if (input.platform === 'twitch' && !bypassesCooldowns(input.user)) {
        const where = input.twitchChannel?.id ?? 'direct';
        const key = `error:${where}:${input.user.id}:${command}:${answer.slice(0, 120)}`;
        if (!(await this.services.cooldowns.shouldNotify(key, this.repeatedErrorS))) return;
      }
      await input.reply(answer);
    } catch (replyErr) {
      this.log.warn({ err: replyErr, command }, 'could not answer a command');
    }
  }
}
