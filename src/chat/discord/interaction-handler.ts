import {
  ApplicationCommandOptionType,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  type Interaction,
} from 'discord.js';
import type { Logger } from 'pino';
import type { IncomingCommand, RichReply } from '../../core/command.js';
import { FAILURE_TEXT } from '../../clips/reasons.js';
import { askedTime } from '../asked-time.js';
import type { Metrics } from '../../ops/metrics.js';
import type { ChannelGuilds } from './channel-guilds.js';
import { errorFields, toRequestError } from './errors.js';
import { commandUser, readOptions } from './interaction-input.js';
import type { InteractionTokenStore } from './interaction-tokens.js';
import { channelReply, interactionReply, type Reply } from './interaction-reply.js';
import type { DiscordResponder } from './responder.js';
import { isDiscordChannelName } from './slash-commands.js';

export type AutocompleteChoice = { name: string; value: string };

export interface InteractionHandlerDeps {
  tokens: InteractionTokenStore;
  log: Logger;
  metrics?: Metrics;
  onCommand: (input: IncomingCommand) => Promise<void>;
  onAutocomplete: (
    input: IncomingCommand,
    focused: { name: string; value: string },
  ) => Promise<AutocompleteChoice[]>;
  responder(): DiscordResponder;
  guilds(): ChannelGuilds;
  /** Exactly-once across processes (the router's claim): false when another process has it. */
  claim?: (input: IncomingCommand) => Promise<boolean>;
}

export const INTERACTION_HANDLER_DEFAULTS = {
  /** The longest the claim may hold up the acknowledgement (Discord's deadline is 3 s). */
  claimWaitMs: 1000,
} as const;

/**
 * Turns slash commands and autocomplete requests into IncomingCommands for the router.
 * Each command is acknowledged at once (deferReply): Discord forgets an interaction not
 * answered within 3 s.
 */
export class DiscordInteractionHandler {
  constructor(private readonly deps: InteractionHandlerDeps) {}

  async onInteraction(interaction: Interaction): Promise<void> {
    try {
      if (interaction.isChatInputCommand()) await this.onChatInput(interaction);
      else if (interaction.isAutocomplete()) await this.onAutocompleteInteraction(interaction);
    } catch (err) {
      this.deps.log.error(
        {
          interactionId: interaction.id,
          ...errorFields(toRequestError('interaction', err, [interaction.token])),
        },
        'interaction handler failed',
      );
    }
  }

  private async onChatInput(interaction: ChatInputCommandInteraction): Promise<void> {
    const receivedAt = Date.now();
    const token = interaction.token;
    const structured = readOptions(interaction.commandName, interaction.options.data);
    const logCtx = {
      interactionId: interaction.id,
      command: structured.command,
      subcommand: structured.subcommand,
      guildId: interaction.guildId ?? undefined,
      userId: interaction.user.id,
    };
    let reply: Reply = () => Promise.reject(new Error('the interaction is not answered yet'));
    const input = this.incoming(interaction, receivedAt, structured, (answer) => reply(answer));
    // Every process logged in with the bot token receives the interaction: only the one that
    // claims it acknowledges it (a second acknowledgement would be refused, and its process
    // would then answer in the channel as well).
    if (!(await this.claimFirst(input))) {
      this.deps.log.debug(logCtx, 'interaction handled by another process');
      return;
    }
    // Acknowledge first: Discord forgets an interaction not answered within 3 s.
    const deferred = interaction.deferReply().then(
      () => undefined,
      (err: unknown) => {
        throw toRequestError('acknowledgement (deferReply)', err, [token]);
      },
    );
    const [ack, stored] = await Promise.allSettled([
      deferred,
      this.deps.tokens.save(interaction.id, token),
    ]);
    const responder = this.deps.responder();
    if (ack.status === 'rejected') {
      // The interaction is dead; the command still runs, answered in its channel, and its
      // clip result (which finds no token) is posted there naming the asker.
      await this.deps.tokens.forget(interaction.id).catch(() => undefined);
      const channelId = interaction.guildId ? interaction.channelId : null;
      this.deps.log.warn(
        { ...logCtx, ...errorFields(ack.reason) },
        channelId
          ? 'could not acknowledge the interaction; answering in its channel'
          : 'could not acknowledge the interaction outside a server; dropped',
      );
      if (!channelId) return;
      reply = channelReply(
        responder,
        channelId,
        input.user.displayName,
        this.deps.log,
        this.deps.metrics,
      );
    } else {
      this.deps.log.debug(
        { ...logCtx, ackMs: Date.now() - receivedAt },
        'interaction acknowledged',
      );
      if (stored.status === 'rejected') {
        this.deps.log.warn(
          { ...logCtx, error: String(stored.reason) },
          'could not store the interaction token; a late answer will be posted in the channel',
        );
      }
      reply = interactionReply(responder, token, this.deps.metrics);
    }

    try {
      const foreign = await this.foreignChannel(interaction);
      if (foreign !== undefined) {
        this.deps.log.warn({ ...logCtx, channelId: foreign }, 'channel option outside the server');
        await reply('Pick a channel of this server.');
        return;
      }
      await this.deps.onCommand(input);
    } catch (err) {
      this.deps.log.error(
        { ...logCtx, ...errorFields(toRequestError('command', err, [token])) },
        'command failed',
      );
      await reply(`Sorry, ${FAILURE_TEXT.internal}`).catch((e: unknown) =>
        this.deps.log.warn({ ...logCtx, ...errorFields(e) }, 'could not report the failure'),
      );
    }
  }

  /**
   * The claim made before acknowledging. Redis unreachable or slow (the 3 s deadline runs):
   * acknowledge anyway and let the router decide, which claims again (or answers that the
   * bot is having trouble).
   */
  private async claimFirst(input: IncomingCommand): Promise<boolean> {
    const claim = this.deps.claim;
    if (!claim) return true;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), INTERACTION_HANDLER_DEFAULTS.claimWaitMs);
    });
    try {
      return await Promise.race([claim(input).catch(() => true), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async onAutocompleteInteraction(interaction: AutocompleteInteraction): Promise<void> {
    const focused = interaction.options.getFocused(true);
    const structured = readOptions(interaction.commandName, interaction.options.data);
    const input = this.incoming(interaction, Date.now(), structured, () =>
      Promise.reject(new Error('an autocomplete interaction cannot be replied to')),
    );
    // Every process logged in with the token receives it; one answers.
    if (!(await this.claimFirst(input))) return;
    let choices: AutocompleteChoice[] = [];
    try {
      choices = await this.deps.onAutocomplete(input, {
        name: focused.name,
        value: String(focused.value),
      });
    } catch (err) {
      this.deps.log.warn(
        {
          interactionId: interaction.id,
          ...errorFields(toRequestError('autocomplete', err, [interaction.token])),
        },
        'autocomplete failed',
      );
    }
    const clean = choices
      .filter((c) => c.name.length > 0 && c.value.length <= 100)
      .slice(0, 25)
      .map((c) => ({
        name: c.name.length > 100 ? `${c.name.slice(0, 99)}…` : c.name,
        value: c.value,
      }));
    try {
      await interaction.respond(clean);
    } catch (err) {
      this.deps.log.warn(
        {
          interactionId: interaction.id,
          ...errorFields(toRequestError('autocomplete response', err, [interaction.token])),
        },
        'could not send autocomplete choices',
      );
    }
  }

  private incoming(
    interaction: ChatInputCommandInteraction | AutocompleteInteraction,
    receivedAt: number,
    structured: ReturnType<typeof readOptions>,
    reply: (answer: string | RichReply) => Promise<void>,
  ): IncomingCommand {
    const guildId = interaction.guildId ?? undefined;
    const channelId = interaction.channelId ?? undefined;
    return {
      platform: 'discord',
      requestId: `discord:${interaction.id}`,
      receivedAt,
      // The interaction id is a snowflake: its creation time, on Discord's clock.
      askedAt: askedTime(interaction.createdTimestamp, receivedAt),
      user: commandUser(interaction),
      guildId,
      discordChannelId: channelId,
      replyTarget: {
        platform: 'discord',
        interactionId: interaction.id,
        // Outside a server there is no guild; the router answers those without a job.
        guildId: guildId ?? '',
        channelId: channelId ?? '',
      },
      reply,
      structured,
    };
  }

  /**
   * The first channel option naming a channel outside the interaction's server, if any.
   * Discord's picker offers only this server's channels, but the option is just an id and
   * the resolved data cannot be trusted to say whose channel it is.
   */
  private async foreignChannel(
    interaction: ChatInputCommandInteraction,
  ): Promise<string | undefined> {
    const picked: string[] = [];
    const visit = (opts: readonly CommandInteractionOption[]) => {
      for (const o of opts) {
        if (o.options) visit(o.options);
        const isChannel =
          o.type === ApplicationCommandOptionType.Channel ||
          (o.type === ApplicationCommandOptionType.String && isDiscordChannelName(o.name));
        if (isChannel && o.value !== undefined && o.value !== '') picked.push(String(o.value));
      }
    };
    visit(interaction.options.data);
    for (const id of picked) {
      const owner = interaction.guildId ? await this.deps.guilds().guildOf(id) : null;
      if (owner === null || owner !== interaction.guildId) return id;
    }
    return undefined;
  }
}
