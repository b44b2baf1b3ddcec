import {
  ApplicationCommandOptionType,
  Client,
  Events,
  GatewayIntentBits,
  Status,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  type Interaction,
} from 'discord.js';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { IncomingCommand, RichReply } from '../../core/command.js';
import { UndeliverableError } from '../../replies/delivery-errors.js';
import { FAILURE_TEXT } from '../../clips/reasons.js';
import type { ReplyEnvelope, ReplySender, ReplyTarget } from '../../core/clip.js';
import type { Metrics } from '../../ops/metrics.js';
import { ChannelGuilds } from './channel-guilds.js';
import { clipResultBody } from './clip-message.js';
import {
  DiscordLoginError,
  DiscordRequestError,
  errorFields,
  isInteractionGone,
  isUndeliverableRefusal,
  toRequestError,
} from './errors.js';
import { commandUser, readOptions } from './interaction-input.js';
import { InteractionTokenStore, INTERACTION_TOKEN_TTL_S } from './interaction-tokens.js';
import { EPHEMERAL_FLAG, replyBody } from './message-body.js';
import { DiscordResponder } from './responder.js';
import { isDiscordChannelName } from './slash-commands.js';

export type AutocompleteChoice = { name: string; value: string };

export interface DiscordAdapterOptions {
  /** The bot token (DISCORD_TOKEN). */
  token: string;
  applicationId: string;
  /** DISCORD_API_URL, e.g. https://discord.com/api or the stand-in's. */
  apiUrl: string;
  redis: Redis;
  /** REDIS_KEY_PREFIX. */
  prefix: string;
  onCommand: (input: IncomingCommand) => Promise<void>;
  onAutocomplete: (
    input: IncomingCommand,
    focused: { name: string; value: string },
  ) => Promise<AutocompleteChoice[]>;
  log: Logger;
  metrics?: Metrics;
  /** How long login may take to reach READY and every guild. Default 30 s. */
  readyTimeoutMs?: number;
  /** Default 15 minutes, Discord's window for editing a deferred reply. */
  interactionTokenTtlS?: number;
}

type DiscordTarget = Extract<ReplyTarget, { platform: 'discord' }>;

/**
 * Discord through discord.js: turns slash commands into IncomingCommands for the router,
 * acknowledges each at once (deferReply), and delivers clip results by editing the
 * deferred reply or posting in a linked channel. Nothing it sends can ping anyone.
 */
export class DiscordAdapter implements ReplySender {
  readonly platform = 'discord' as const;
  private client: Client | undefined;
  private guilds: ChannelGuilds | undefined;
  private readonly tokens: InteractionTokenStore;
  private readonly log: Logger;

  constructor(private readonly opts: DiscordAdapterOptions) {
    this.tokens = new InteractionTokenStore(
      opts.redis,
      opts.prefix,
      opts.interactionTokenTtlS ?? INTERACTION_TOKEN_TTL_S,
    );
    this.log = opts.log.child({ component: 'discord' });
  }

  async start(): Promise<void> {
    if (this.client) return;
    const client = new Client({
      intents: [GatewayIntentBits.Guilds],
      rest: { api: this.opts.apiUrl },
      // For what discord.js sends itself (the deferred reply, autocomplete answers).
      allowedMentions: { parse: [] },
    });
    this.client = client;
    this.guilds = new ChannelGuilds(client.rest);
    client.on(Events.InteractionCreate, (i) => void this.onInteraction(i));
    client.on(Events.ShardDisconnect, (event, shardId) =>
      this.log.warn({ shardId, code: event.code }, 'Discord gateway closed and will not reconnect'),
    );
    client.on(Events.ShardReconnecting, (shardId) =>
      this.log.info({ shardId }, 'Discord gateway reconnecting'),
    );
    client.on(Events.ShardResume, (shardId, replayed) =>
      this.log.info({ shardId, replayed }, 'Discord gateway resumed'),
    );
    client.on(Events.ShardError, (err, shardId) =>
      this.log.warn(
        { shardId, ...errorFields(toRequestError('gateway', err, [this.opts.token])) },
        'Discord gateway error',
      ),
    );
    client.on(Events.Warn, (message) => this.log.warn({ message }, 'discord.js warning'));

    const timeoutMs = this.opts.readyTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const ready = new Promise<void>((resolve, reject) => {
      client.once(Events.ClientReady, () => resolve());
      timer = setTimeout(
        () =>
          reject(
            new DiscordLoginError(
              `Discord did not become ready within ${timeoutMs} ms (${this.opts.apiUrl})`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      await client.login(this.opts.token);
      await ready;
    } catch (err) {
      this.client = undefined;
      await client.destroy().catch(() => undefined);
      throw this.loginError(err);
    } finally {
      clearTimeout(timer);
    }
    this.log.info(
      { user: client.user?.tag, guilds: client.guilds.cache.size },
      'Discord connected',
    );
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await client.destroy();
  }

  isConnected(): boolean {
    return this.client?.ws.status === Status.Ready;
  }

  ready(): boolean {
    return this.isConnected();
  }

  /**
   * Sends a finished clip's answer: edits each asker's deferred reply, or posts in a channel.
   * Throws UndeliverableError when it never can be sent (the post channel is gone or not in
   * the linked server; the interaction is gone and its channel cannot be posted in; Discord
   * refuses the message itself), and DiscordRequestError, worth retrying, when Discord could
   * not be reached or answered 5xx / 429. The reply dispatcher times the answer.
   */
  async deliver(envelope: ReplyEnvelope): Promise<void> {
    const responder = this.responder();
    const post = envelope.post;
    if (post) {
      const context = { jobId: envelope.result.jobId, channelId: post.channelId };
      // A post channel stored before links were checked, or a forged one, must not let one
      // server make the bot write into another server's channel.
      const owner = await this.channelGuilds().guildOf(post.channelId);
      if (owner !== post.guildId) {
        this.log.warn(
          { ...context, guildId: post.guildId, owner },
          'post channel is not in the linked server; post dropped',
        );
        throw new UndeliverableError(
          owner === null
            ? `Discord channel ${post.channelId} is gone or not visible to the bot`
            : `Discord channel ${post.channelId} is not in server ${post.guildId}`,
          owner === null ? 'channel_gone' : 'foreign_channel',
        );
      }
      const body = clipResultBody(envelope.result, envelope.requests, { kind: 'post' });
      await this.send(() => responder.postMessage(post.channelId, body), context);
      return;
    }
    const targets = new Map<string, DiscordTarget>();
    for (const r of envelope.requests) {
      if (r.replyTo.platform === 'discord') targets.set(r.replyTo.interactionId, r.replyTo);
    }
    for (const target of targets.values()) {
      // Names from other servers stay out of this server's message.
      const here = envelope.requests.filter(
        (r) => r.replyTo.platform === 'discord' && r.replyTo.guildId === target.guildId,
      );
      const body = clipResultBody(envelope.result, here, { kind: 'reply' });
      await this.editOrPost(responder, target, body, envelope.result.jobId);
    }
  }

  /** Edits the deferred reply; once its token is gone, posts in the channel instead. */
  private async editOrPost(
    responder: DiscordResponder,
    target: DiscordTarget,
    body: ReturnType<typeof clipResultBody>,
    jobId: string,
  ): Promise<void> {
    const context = { jobId, interactionId: target.interactionId };
    const token = await this.tokens.get(target.interactionId);
    if (token) {
      try {
        await this.send(() => responder.editOriginal(token, body), context);
        return;
      } catch (err) {
        if (!isInteractionGone(err)) throw err;
        this.log.info(context, 'interaction reply expired; posting in the channel');
      }
    }
    if (!target.channelId || !target.guildId) {
      this.log.warn(context, 'interaction expired outside a server; answer dropped');
      throw new UndeliverableError(
        `interaction ${target.interactionId} is gone and has no server channel`,
        'interaction_gone',
      );
    }
    await this.send(() => responder.postMessage(target.channelId, body), {
      ...context,
      channelId: target.channelId,
    });
  }

  /**
   * Sends one message. A refusal retrying cannot change becomes UndeliverableError; a gone
   * interaction is rethrown as it is (the caller falls back to the channel); everything
   * else (network, 5xx, 429) is rethrown for the dispatcher to retry.
   */
  private async send(send: () => Promise<void>, context: Record<string, unknown>): Promise<void> {
    try {
      await send();
    } catch (err) {
      if (isUndeliverableRefusal(err)) {
        this.log.warn({ ...context, ...errorFields(err) }, 'Discord refused the message; dropped');
        throw new UndeliverableError(err.message, `discord_${err.code ?? err.status}`);
      }
      throw err;
    }
    this.opts.metrics?.chatMessagesSent.inc({ platform: 'discord' });
  }

  private channelGuilds(): ChannelGuilds {
    if (!this.guilds) {
      throw new DiscordRequestError('channel lookup', 'the Discord adapter is not started');
    }
    return this.guilds;
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
      const owner = interaction.guildId ? await this.channelGuilds().guildOf(id) : null;
      if (owner === null || owner !== interaction.guildId) return id;
    }
    return undefined;
  }

  private responder(): DiscordResponder {
    if (!this.client)
      throw new DiscordRequestError('delivery', 'the Discord adapter is not started');
    return new DiscordResponder(this.client.rest, this.opts.applicationId);
  }

  private async onInteraction(interaction: Interaction): Promise<void> {
    try {
      if (interaction.isChatInputCommand()) await this.onChatInput(interaction);
      else if (interaction.isAutocomplete()) await this.onAutocompleteInteraction(interaction);
    } catch (err) {
      this.log.error(
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
    // Acknowledge first: Discord forgets an interaction not answered within 3 s.
    const deferred = interaction.deferReply().then(
      () => undefined,
      (err: unknown) => {
        throw toRequestError('acknowledgement (deferReply)', err, [token]);
      },
    );
    const [ack, stored] = await Promise.allSettled([
      deferred,
      this.tokens.save(interaction.id, token),
    ]);
    const structured = readOptions(interaction.commandName, interaction.options.data);
    const logCtx = {
      interactionId: interaction.id,
      command: structured.command,
      subcommand: structured.subcommand,
      guildId: interaction.guildId ?? undefined,
      userId: interaction.user.id,
    };
    if (ack.status === 'rejected') {
      this.log.warn(
        { ...logCtx, ...errorFields(ack.reason) },
        'could not acknowledge the interaction; dropped',
      );
      return;
    }
    this.log.debug({ ...logCtx, ackMs: Date.now() - receivedAt }, 'interaction acknowledged');
    if (stored.status === 'rejected') {
      this.log.warn(
        { ...logCtx, error: String(stored.reason) },
        'could not store the interaction token; a late answer will be posted in the channel',
      );
    }

    const responder = this.responder();
    let originalDeleted = false;
    const reply = async (answer: string | RichReply): Promise<void> => {
      const body = replyBody(answer);
      const ephemeral = typeof answer !== 'string' && answer.ephemeral === true;
      if (ephemeral) {
        // A deferred reply cannot turn ephemeral: answer privately, then remove the public one.
        await responder.followUp(token, { ...body, flags: EPHEMERAL_FLAG });
        if (!originalDeleted) {
          originalDeleted = true;
          await responder.deleteOriginal(token);
        }
      } else if (originalDeleted) {
        await responder.followUp(token, body);
      } else {
        await responder.editOriginal(token, body);
      }
      this.opts.metrics?.chatMessagesSent.inc({ platform: 'discord' });
    };

    const input = this.incoming(interaction, receivedAt, structured, reply);
    try {
      const foreign = await this.foreignChannel(interaction);
      if (foreign !== undefined) {
        this.log.warn({ ...logCtx, channelId: foreign }, 'channel option outside the server');
        await reply('Pick a channel of this server.');
        return;
      }
      await this.opts.onCommand(input);
    } catch (err) {
      this.log.error(
        { ...logCtx, ...errorFields(toRequestError('command', err, [token])) },
        'command failed',
      );
      await reply(`Sorry, ${FAILURE_TEXT.internal}`).catch((e: unknown) =>
        this.log.warn({ ...logCtx, ...errorFields(e) }, 'could not report the failure'),
      );
    }
  }

  private async onAutocompleteInteraction(interaction: AutocompleteInteraction): Promise<void> {
    const focused = interaction.options.getFocused(true);
    const structured = readOptions(interaction.commandName, interaction.options.data);
    const input = this.incoming(interaction, Date.now(), structured, () =>
      Promise.reject(new Error('an autocomplete interaction cannot be replied to')),
    );
    let choices: AutocompleteChoice[] = [];
    try {
      choices = await this.opts.onAutocomplete(input, {
        name: focused.name,
        value: String(focused.value),
      });
    } catch (err) {
      this.log.warn(
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
      this.log.warn(
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

  private loginError(err: unknown): DiscordLoginError {
    const code = (err as { code?: unknown } | null)?.code;
    if (code === 'TokenInvalid') {
      return new DiscordLoginError(
        `Discord refused the bot token (401 Unauthorized from ${this.opts.apiUrl}/v10/gateway/bot): check DISCORD_TOKEN (Developer Portal > your application > Bot > Reset Token).`,
      );
    }
    if (err instanceof DiscordLoginError) return err;
    const safe = toRequestError('login', err, [this.opts.token]);
    return new DiscordLoginError(
      `Could not log in to Discord at ${this.opts.apiUrl}: ${safe.message}`,
    );
  }
}
