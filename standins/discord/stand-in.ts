import type { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayClose, GatewayServer } from './gateway.js';
import { guildCreatePayload, userPayload } from './payloads.js';
import {
  buildInteraction,
  resolvePermissions,
  type InvokeValue,
  type PermissionsInput,
} from './interaction-builder.js';
import type { EntryOf, JournalEntry, JournalKind } from './journal.js';
import type { StandInChannel, StandInGuild, StandInUser, StoredMessage } from './model.js';
import { RestApi } from './rest-api.js';
import { botToken as makeBotToken, interactionToken, SnowflakeMaker } from './snowflake.js';
import { StandInState } from './state.js';

export interface DiscordStandInOptions {
  /** The only bot token accepted (REST `Authorization: Bot <token>` and IDENTIFY). */
  botToken?: string;
  applicationId?: string;
  botUsername?: string;
  /** HELLO's heartbeat_interval. Discord's: 41250 ms. */
  heartbeatIntervalMs?: number;
  /** An interaction not answered within this is unknown (Discord: 3 s). */
  callbackDeadlineMs?: number;
  /** Interaction tokens stop working after this (Discord: 15 minutes). */
  interactionTokenTtlMs?: number;
  /** Accept privileged intents in IDENTIFY (Discord needs portal approval; default refuses). */
  allowPrivilegedIntents?: boolean;
}

export interface AddGuildInput {
  id?: string;
  name: string;
  ownerId?: string;
  /** Channel names or descriptions; default one text channel, #general. */
  channels?: (string | { id?: string; name: string; type?: number })[];
}

export interface InvokeCommandInput {
  /** Absent: the command is used in a DM with the bot. */
  guildId?: string;
  /** Defaults to the guild's first channel. */
  channelId?: string;
  user: { id: string; username: string; globalName?: string };
  /** Extra member permissions: a bigint, a bitfield string, 'ManageGuild', or names. */
  permissions?: PermissionsInput;
  name: string;
  subcommand?: string;
  options?: Record<string, InvokeValue>;
  locale?: string;
}

export interface InvokeAutocompleteInput extends InvokeCommandInput {
  /** The option being typed; its value in `options` is the text typed so far. */
  focused: string;
}

export interface InvokedInteraction {
  interactionId: string;
  token: string;
}

/** A message as it stands now (after edits), for assertions. */
export interface MessageView {
  id: string;
  content: string;
  embeds: StoredMessage['embeds'];
  flags: number;
  allowedMentions: StoredMessage['allowedMentions'];
  edited: boolean;
}

const DEFAULTS = {
  heartbeatIntervalMs: 41_250,
  callbackDeadlineMs: 3_000,
  interactionTokenTtlMs: 15 * 60_000,
};

/**
 * A local Discord: REST under /api/v10 and a gateway on one port, enough for discord.js to
 * log in, receive interactions and answer them. Every answer is kept in a journal.
 */
export class DiscordStandIn {
  private readonly state: StandInState;
  private readonly gateway: GatewayServer;
  private readonly rest: RestApi;
  private server: Server | undefined;
  private port = 0;

  constructor(opts: DiscordStandInOptions = {}) {
    const ids = new SnowflakeMaker();
    const applicationId = opts.applicationId ?? ids.next();
    const bot: StandInUser = {
      id: applicationId,
      username: opts.botUsername ?? 'clipbot',
      bot: true,
    };
    this.state = new StandInState({
      botToken: opts.botToken ?? makeBotToken(bot.id),
      applicationId,
      bot,
      callbackDeadlineMs: opts.callbackDeadlineMs ?? DEFAULTS.callbackDeadlineMs,
      interactionTokenTtlMs: opts.interactionTokenTtlMs ?? DEFAULTS.interactionTokenTtlMs,
    });
    this.rest = new RestApi(this.state, () => this.gatewayUrl);
    this.gateway = new GatewayServer({
      journal: this.state.journal,
      botToken: () => this.state.settings.botToken,
      heartbeatIntervalMs: opts.heartbeatIntervalMs ?? DEFAULTS.heartbeatIntervalMs,
      allowPrivilegedIntents: opts.allowPrivilegedIntents ?? false,
      resumeUrl: () => this.gatewayUrl,
      onIdentify: () => ({
        ready: {
          user: userPayload(this.state.bot),
          guilds: [...this.state.guilds.values()].map((g) => ({ id: g.id, unavailable: true })),
          application: { id: this.state.applicationId, flags: 0 },
          private_channels: [],
          relationships: [],
          presences: [],
          guild_join_requests: [],
          geo_ordered_rtc_regions: ['local'],
          user_settings: {},
          _trace: ['["clipbot-standin-gateway"]'],
        },
        guilds: [...this.state.guilds.values()].map((g) => this.guildPayload(g)),
      }),
    });
  }

  get botToken(): string {
    return this.state.settings.botToken;
  }

  get applicationId(): string {
    return this.state.applicationId;
  }

  get botUser(): StandInUser {
    return { ...this.state.bot };
  }

  /** 'callback' | 'edit' | 'followup' | 'delete' | 'message' | 'commands' | 'gateway' | 'rejected'. */
  get events(): EventEmitter {
    return this.state.journal.events;
  }

  get journal(): readonly JournalEntry[] {
    return this.state.journal.entries;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  async start(): Promise<{ apiUrl: string; port: number }> {
    if (this.server) return { apiUrl: this.apiUrl, port: this.port };
    const server = createServer((req, res) => void this.rest.handle(req, res));
    server.on('upgrade', (req, socket, head) => {
      if (new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/$/, '') === '/gateway') {
        this.gateway.handleUpgrade(req, socket, head);
      } else socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return { apiUrl: this.apiUrl, port: this.port };
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await this.gateway.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Adds a server the bot is in; a connected client receives its GUILD_CREATE at once. */
  addGuild(input: AddGuildInput): StandInGuild {
    const id = input.id ?? this.state.ids.next();
    const specs = input.channels ?? ['general'];
    const channels: StandInChannel[] = specs.map((c) =>
      typeof c === 'string'
        ? { id: this.state.ids.next(), name: c, type: 0, guildId: id }
        : { id: c.id ?? this.state.ids.next(), name: c.name, type: c.type ?? 0, guildId: id },
    );
    const guild: StandInGuild = {
      id,
      name: input.name,
      ownerId: input.ownerId ?? this.state.ids.next(),
      channels,
    };
    this.state.guilds.set(id, guild);
    this.gateway.dispatch('GUILD_CREATE', this.guildPayload(guild));
    return { ...guild, channels: channels.map((c) => ({ ...c })) };
  }

  /** A member uses a slash command: INTERACTION_CREATE (type 2) goes to the bot. */
  invokeCommand(input: InvokeCommandInput): InvokedInteraction {
    return this.invoke(input, 2, undefined);
  }

  /** A member types into an autocomplete option: INTERACTION_CREATE (type 4). */
  invokeAutocomplete(input: InvokeAutocompleteInput): InvokedInteraction {
    return this.invoke(input, 4, input.focused);
  }

  /** The interaction's first callback (type 4, 5 or 8) and its latency from dispatch. */
  waitForResponse(interactionId: string, timeoutMs = 5000): Promise<EntryOf<'callback'>> {
    return this.waitFor('callback', (e) => e.interactionId === interactionId, timeoutMs);
  }

  waitForEdit(
    interactionId: string,
    match: (e: EntryOf<'edit'>) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<EntryOf<'edit'>> {
    return this.waitFor('edit', (e) => e.interactionId === interactionId && match(e), timeoutMs);
  }

  waitForMessage(
    channelId: string,
    match: (e: EntryOf<'message'>) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<EntryOf<'message'>> {
    return this.waitFor('message', (e) => e.channelId === channelId && match(e), timeoutMs);
  }

  waitFor<K extends JournalKind>(
    kind: K,
    match: (e: EntryOf<K>) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<EntryOf<K>> {
    return this.state.journal.waitFor(kind, match, timeoutMs);
  }

  entries<K extends JournalKind>(kind: K): EntryOf<K>[] {
    return this.state.journal.of(kind);
  }

  /** The interaction's original response as it stands now. */
  originalResponse(interactionId: string): MessageView | undefined {
    const m = this.state.interactions.get(interactionId)?.original;
    return m ? view(m) : undefined;
  }

  messagesIn(channelId: string): MessageView[] {
    return (this.state.channelMessages.get(channelId) ?? []).map(view);
  }

  registeredCommands(guildId?: string): Record<string, unknown>[] {
    return structuredClone(this.state.commandsFor(guildId));
  }

  /** Makes an interaction's token expire now, as if 15 minutes had passed. */
  expireInteraction(interactionId: string): void {
    const i = this.state.interactions.get(interactionId);
    if (i) i.dispatchedAt = Date.now() - this.state.settings.interactionTokenTtlMs - 1;
  }

  /**
   * Every interaction callback (the acknowledgement) is answered 429 for the next `forMs`,
   * with the time left as retry_after; each refused attempt is journalled as 'rejected'.
   */
  rateLimitCallbacks(forMs: number): void {
    this.state.callbacksLimitedUntil = Date.now() + forMs;
  }

  /** Drops gateway connections; with the default code (4000) clients resume their session. */
  disconnectGateway(code: number = GatewayClose.UnknownError): void {
    this.gateway.disconnectAll(code);
  }

  /** Sends opcode 7 (Reconnect): clients reconnect and resume. */
  requestReconnect(): void {
    this.gateway.requestReconnect();
  }

  gatewayConnections(): number {
    return this.gateway.connectedSessions();
  }

  private invoke(
    input: InvokeCommandInput,
    type: 2 | 4,
    focused: string | undefined,
  ): InvokedInteraction {
    const s = this.state;
    const guild = input.guildId ? s.guilds.get(input.guildId) : undefined;
    if (input.guildId && !guild)
      throw new Error(`Discord stand-in: unknown guild ${input.guildId}`);
    let channel: StandInChannel | { id: string; type: 1 };
    if (guild) {
      const found = input.channelId
        ? guild.channels.find((c) => c.id === input.channelId)
        : guild.channels.find((c) => c.type === 0);
      if (!found)
        throw new Error(
          `Discord stand-in: guild ${guild.id} has no channel ${input.channelId ?? '(text)'}`,
        );
      channel = found;
    } else channel = { id: input.channelId ?? s.ids.next(), type: 1 };
    const command = [...(guild ? s.commandsFor(guild.id) : []), ...s.commandsFor(undefined)].find(
      (c) => c.name === input.name && (c.type ?? 1) === 1,
    );
    const id = s.ids.next();
    const token = interactionToken();
    const user: StandInUser = {
      id: input.user.id,
      username: input.user.username,
      globalName: input.user.globalName,
    };
    const payload = buildInteraction({
      id,
      token,
      applicationId: s.applicationId,
      type,
      guild,
      channel,
      user,
      permissions: resolvePermissions(input.permissions),
      name: input.name,
      subcommand: input.subcommand,
      options: input.options ?? {},
      focused,
      locale: input.locale ?? 'en-US',
      command,
      findChannel: (cid) => s.findChannel(cid),
    });
    const stored = {
      id,
      token,
      applicationId: s.applicationId,
      type,
      commandName: input.name,
      guildId: guild?.id,
      channelId: channel.id,
      user,
      dispatchedAt: Date.now(),
      acknowledged: false,
      followUps: [],
    };
    s.interactions.set(id, stored);
    s.interactionsByToken.set(token, stored);
    this.gateway.dispatch('INTERACTION_CREATE', payload);
    return { interactionId: id, token };
  }

  private guildPayload(g: StandInGuild): Record<string, unknown> {
    return guildCreatePayload(g, this.state.bot, this.state.botJoinedAt);
  }
}

function view(m: StoredMessage): MessageView {
  return {
    id: m.id,
    content: m.content,
    embeds: structuredClone(m.embeds),
    flags: m.flags,
    allowedMentions: m.allowedMentions ? structuredClone(m.allowedMentions) : undefined,
    edited: m.editedAt !== undefined,
  };
}
