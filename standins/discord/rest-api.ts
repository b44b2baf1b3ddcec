import type { IncomingMessage, ServerResponse } from 'node:http';
import { validateCommand, validateCommands } from './command-rules.js';
import { ApiError, errors, matchRoute, readBody, sendEmpty, sendJson } from './http-util.js';
import { validateMessageBody, type MessageBody } from './message-rules.js';
import type { StoredInteraction, StoredMessage } from './model.js';
import { channelPayload, guildCreatePayload, messagePayload, userPayload } from './payloads.js';
import type { StandInState } from './state.js';

type Json = Record<string, unknown>;

interface Ctx {
  params: Record<string, string>;
  query: URLSearchParams;
  body: () => Promise<unknown>;
}

/** A handler's answer: a status and JSON, or 204 when body is undefined. */
interface Answer {
  status: number;
  body?: unknown;
}

interface Route {
  method: string;
  pattern: string;
  auth: boolean;
  run: (ctx: Ctx) => Answer | Promise<Answer>;
}

const EPHEMERAL = 1 << 6;
const LOADING = 1 << 7;

/** The REST side of the stand-in, under /api/v10, answering what discord.js calls. */
export class RestApi {
  private readonly routes: Route[];

  constructor(
    private readonly state: StandInState,
    private readonly gatewayUrl: () => string,
  ) {
    this.routes = this.buildRoutes();
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    const prefix = '/api/v10';
    let routeName = url.pathname;
    try {
      if (!url.pathname.startsWith(`${prefix}/`)) throw errors.notFound();
      const path = url.pathname.slice(prefix.length);
      let matched: { route: Route; params: Record<string, string> } | undefined;
      for (const route of this.routes) {
        if (route.method !== method) continue;
        const params = matchRoute(route.pattern, path);
        if (params) {
          matched = { route, params };
          break;
        }
      }
      if (!matched) {
        routeName = `${prefix}/(unknown)`;
        throw errors.notFound();
      }
      routeName = `${prefix}${matched.route.pattern}`;
      if (
        matched.route.auth &&
        req.headers.authorization !== `Bot ${this.state.settings.botToken}`
      ) {
        throw errors.unauthorized();
      }
      let cached: Promise<unknown> | undefined;
      const answer = await matched.route.run({
        params: matched.params,
        query: url.searchParams,
        body: () => (cached ??= readBody(req)),
      });
      if (answer.body === undefined) sendEmpty(res);
      else sendJson(res, answer.status, answer.body);
    } catch (err) {
      const apiErr =
        err instanceof ApiError
          ? err
          : new ApiError(500, { message: '500: Internal Server Error', code: 0 });
      this.state.journal.add({
        kind: 'rejected',
        at: Date.now(),
        method,
        route: routeName,
        status: apiErr.status,
        code: apiErr.body.code,
      });
      if (!res.headersSent) sendJson(res, apiErr.status, apiErr.body);
      else res.end();
    }
  }

  private buildRoutes(): Route[] {
    const s = this.state;
    const ok = (body: unknown, status = 200): Answer => ({ status, body });
    const app = (ctx: Ctx) => {
      // Using another application's id is refused like Discord does.
      if (ctx.params.app !== s.applicationId) throw errors.missingAccess();
    };
    const guildScope = (ctx: Ctx) => {
      app(ctx);
      const guildId = ctx.params.guild ?? '';
      if (!s.guilds.has(guildId)) throw errors.missingAccess();
      return guildId;
    };
    const application = () => ({
      id: s.applicationId,
      name: s.bot.username,
      icon: null,
      description: '',
      bot_public: true,
      bot_require_code_grant: false,
      flags: 0,
      owner: userPayload({ id: s.ids.next(), username: 'owner' }),
      team: null,
      verify_key: 'standin',
      bot: userPayload(s.bot),
      approximate_guild_count: s.guilds.size,
    });
    return [
      {
        method: 'GET',
        pattern: '/gateway/bot',
        auth: true,
        run: () =>
          ok({
            url: this.gatewayUrl(),
            shards: 1,
            session_start_limit: {
              total: 1000,
              remaining: 999,
              reset_after: 14_400_000,
              max_concurrency: 1,
            },
          }),
      },
      {
        method: 'GET',
        pattern: '/gateway',
        auth: false,
        run: () => ok({ url: this.gatewayUrl() }),
      },
      { method: 'GET', pattern: '/users/@me', auth: true, run: () => ok(userPayload(s.bot)) },
      { method: 'GET', pattern: '/applications/@me', auth: true, run: () => ok(application()) },
      {
        method: 'GET',
        pattern: '/oauth2/applications/@me',
        auth: true,
        run: () => ok(application()),
      },
      {
        method: 'GET',
        pattern: '/users/@me/guilds',
        auth: true,
        run: () =>
          ok(
            [...s.guilds.values()].map((g) => ({
              id: g.id,
              name: g.name,
              icon: null,
              owner: false,
              permissions: '0',
              features: [],
            })),
          ),
      },
      {
        method: 'GET',
        pattern: '/guilds/:guild',
        auth: true,
        run: (ctx) => {
          const g = s.guilds.get(ctx.params.guild ?? '');
          if (!g) throw errors.missingAccess();
          const {
            channels: _c,
            members: _m,
            ...rest
          } = guildCreatePayload(g, s.bot, s.botJoinedAt);
          return ok(rest);
        },
      },
      {
        method: 'GET',
        pattern: '/guilds/:guild/channels',
        auth: true,
        run: (ctx) => {
          const g = s.guilds.get(ctx.params.guild ?? '');
          if (!g) throw errors.missingAccess();
          return ok(g.channels.map((c, i) => channelPayload(c, i)));
        },
      },
      {
        method: 'GET',
        pattern: '/channels/:channel',
        auth: true,
        run: (ctx) => {
          const c = s.findChannel(ctx.params.channel ?? '');
          if (!c) throw errors.unknownChannel();
          return ok(channelPayload(c));
        },
      },
      {
        method: 'GET',
        pattern: '/channels/:channel/messages',
        auth: true,
        run: (ctx) => {
          const id = ctx.params.channel ?? '';
          if (!s.findChannel(id)) throw errors.unknownChannel();
          const list = [...(s.channelMessages.get(id) ?? [])].reverse();
          const limit = Math.min(100, Number(ctx.query.get('limit') ?? 50));
          return ok(list.slice(0, limit).map((m) => messagePayload(m, s.bot, s.applicationId)));
        },
      },
      {
        method: 'POST',
        pattern: '/channels/:channel/messages',
        auth: true,
        run: async (ctx) => {
          const channel = s.findChannel(ctx.params.channel ?? '');
          if (!channel) throw errors.unknownChannel();
          const body = validateMessageBody(await ctx.body(), 'create');
          const msg = this.newMessage(body, channel.id, channel.guildId, 0);
          const list = s.channelMessages.get(channel.id) ?? [];
          list.push(msg);
          s.channelMessages.set(channel.id, list);
          s.journal.add({
            kind: 'message',
            at: Date.now(),
            channelId: channel.id,
            guildId: channel.guildId,
            messageId: msg.id,
            body,
          });
          return ok(messagePayload(msg, s.bot, s.applicationId));
        },
      },
      // Application commands: global and per guild.
      {
        method: 'GET',
        pattern: '/applications/:app/commands',
        auth: true,
        run: (ctx) => (app(ctx), ok(s.commandsFor(undefined))),
      },
      {
        method: 'PUT',
        pattern: '/applications/:app/commands',
        auth: true,
        run: async (ctx) => {
          app(ctx);
          return ok(s.replaceCommands(undefined, validateCommands(await ctx.body())));
        },
      },
      {
        method: 'POST',
        pattern: '/applications/:app/commands',
        auth: true,
        run: async (ctx) => {
          app(ctx);
          return ok(s.upsertCommand(undefined, validateCommand(await ctx.body())), 201);
        },
      },
      {
        method: 'DELETE',
        pattern: '/applications/:app/commands/:command',
        auth: true,
        run: (ctx) => {
          app(ctx);
          if (!s.deleteCommand(undefined, ctx.params.command ?? ''))
            throw new ApiError(404, { message: 'Unknown application command', code: 10063 });
          return { status: 204 };
        },
      },
      {
        method: 'GET',
        pattern: '/applications/:app/guilds/:guild/commands',
        auth: true,
        run: (ctx) => ok(s.commandsFor(guildScope(ctx))),
      },
      {
        method: 'PUT',
        pattern: '/applications/:app/guilds/:guild/commands',
        auth: true,
        run: async (ctx) => {
          const guildId = guildScope(ctx);
          return ok(s.replaceCommands(guildId, validateCommands(await ctx.body())));
        },
      },
      {
        method: 'POST',
        pattern: '/applications/:app/guilds/:guild/commands',
        auth: true,
        run: async (ctx) => {
          const guildId = guildScope(ctx);
          return ok(s.upsertCommand(guildId, validateCommand(await ctx.body())), 201);
        },
      },
      {
        method: 'DELETE',
        pattern: '/applications/:app/guilds/:guild/commands/:command',
        auth: true,
        run: (ctx) => {
          const guildId = guildScope(ctx);
          if (!s.deleteCommand(guildId, ctx.params.command ?? ''))
            throw new ApiError(404, { message: 'Unknown application command', code: 10063 });
          return { status: 204 };
        },
      },
      // Interactions: the callback and the interaction's webhook (no bot auth; the token is the credential).
      {
        method: 'POST',
        pattern: '/interactions/:id/:token/callback',
        auth: false,
        run: (ctx) => this.callback(ctx),
      },
      {
        method: 'GET',
        pattern: '/webhooks/:app/:token/messages/:message',
        auth: false,
        run: (ctx) => {
          const i = this.byToken(ctx);
          return ok(
            this.interactionMessagePayload(i, this.findResponse(i, ctx.params.message ?? '')),
          );
        },
      },
      {
        method: 'PATCH',
        pattern: '/webhooks/:app/:token/messages/:message',
        auth: false,
        run: (ctx) => this.editResponse(ctx),
      },
      {
        method: 'DELETE',
        pattern: '/webhooks/:app/:token/messages/:message',
        auth: false,
        run: (ctx) => {
          const i = this.byToken(ctx);
          const msg = this.findResponse(i, ctx.params.message ?? '');
          if (msg === i.original) i.original = undefined;
          else i.followUps = i.followUps.filter((m) => m !== msg);
          s.journal.add({ kind: 'delete', at: Date.now(), interactionId: i.id, messageId: msg.id });
          return { status: 204 };
        },
      },
      {
        method: 'POST',
        pattern: '/webhooks/:app/:token',
        auth: false,
        run: (ctx) => this.followUp(ctx),
      },
    ];
  }

  private async callback(ctx: Ctx): Promise<Answer> {
    const s = this.state;
    const i = s.interactions.get(ctx.params.id ?? '');
    if (!i || i.token !== ctx.params.token) throw errors.unknownInteraction();
    // Discord forgets an interaction that was not answered within 3 s.
    const latencyMs = Date.now() - i.dispatchedAt;
    if (!i.acknowledged && latencyMs >= s.settings.callbackDeadlineMs)
      throw errors.unknownInteraction();
    if (i.acknowledged) throw errors.alreadyAcknowledged();
    const raw = (await ctx.body()) as { type?: unknown; data?: unknown } | undefined;
    const type = raw?.type;
    const data = (raw?.data ?? undefined) as Json | undefined;
    const isAutocomplete = i.type === 4;
    if (isAutocomplete !== (type === 8) || ![4, 5, 8, 9].includes(type as number)) {
      throw errors.invalidForm({
        type: 'Interaction response type is not valid for this interaction',
      });
    }
    if (type === 4) {
      const body = validateMessageBody(data, 'create');
      i.original = this.newMessage(body, i.channelId, i.guildId, 20, i);
    } else if (type === 5) {
      const flags = Number((data as { flags?: unknown } | undefined)?.flags ?? 0) & EPHEMERAL;
      i.original = this.newMessage({ content: '' }, i.channelId, i.guildId, 20, i, flags | LOADING);
    } else if (type === 8) {
      const choices = (data?.choices ?? []) as { name?: unknown; value?: unknown }[];
      const bad: Record<string, string> = {};
      if (!Array.isArray(choices) || choices.length > 25)
        bad['data.choices'] = 'Must be 25 or fewer in length.';
      (Array.isArray(choices) ? choices : []).forEach((c, n) => {
        if (typeof c.name !== 'string' || c.name.length < 1 || c.name.length > 100)
          bad[`data.choices.${n}.name`] = 'Must be between 1 and 100 in length.';
        if (typeof c.value === 'string' && c.value.length > 100)
          bad[`data.choices.${n}.value`] = 'Must be 100 or fewer in length.';
      });
      if (Object.keys(bad).length > 0) throw errors.invalidForm(bad);
    }
    i.acknowledged = true;
    i.callbackType = type as number;
    s.journal.add({
      kind: 'callback',
      at: Date.now(),
      interactionId: i.id,
      type: type as number,
      body: { type: type as number, ...(data ? { data } : {}) },
      latencyMs,
    });
    if (ctx.query.get('with_response') === 'true') {
      return {
        status: 200,
        body: {
          interaction: {
            id: i.id,
            type: i.type,
            activity_instance_id: null,
            response_message_id: i.original?.id ?? null,
            response_message_loading: type === 5,
            response_message_ephemeral: ((i.original?.flags ?? 0) & EPHEMERAL) !== 0,
          },
          resource: {
            type,
            ...(i.original ? { message: this.interactionMessagePayload(i, i.original) } : {}),
          },
        },
      };
    }
    return { status: 204 };
  }

  private async editResponse(ctx: Ctx): Promise<Answer> {
    const i = this.byToken(ctx);
    const msg = this.findResponse(i, ctx.params.message ?? '');
    const body = validateMessageBody(await ctx.body(), 'edit');
    const content = body.content === undefined ? msg.content : (body.content ?? '');
    const embeds = body.embeds === undefined ? msg.embeds : (body.embeds ?? []);
    if (!content && embeds.length === 0) throw errors.emptyMessage();
    msg.content = content;
    msg.embeds = embeds;
    msg.flags &= ~LOADING;
    msg.allowedMentions = body.allowed_mentions;
    msg.editedAt = Date.now();
    this.state.journal.add({
      kind: 'edit',
      at: Date.now(),
      interactionId: i.id,
      messageId: msg.id,
      body,
    });
    return { status: 200, body: this.interactionMessagePayload(i, msg) };
  }

  private async followUp(ctx: Ctx): Promise<Answer> {
    const i = this.byToken(ctx);
    // The interaction's webhook only exists once the interaction was answered.
    if (!i.acknowledged || i.type === 4) throw errors.unknownWebhook();
    const body = validateMessageBody(await ctx.body(), 'create');
    const msg = this.newMessage(body, i.channelId, i.guildId, 0, i, (body.flags ?? 0) & EPHEMERAL);
    i.followUps.push(msg);
    this.state.journal.add({
      kind: 'followup',
      at: Date.now(),
      interactionId: i.id,
      messageId: msg.id,
      body,
    });
    if (ctx.query.get('wait') !== 'true') return { status: 204 };
    return { status: 200, body: this.interactionMessagePayload(i, msg) };
  }

  /** The interaction behind a webhook route; expired after 15 minutes like Discord's tokens. */
  private byToken(ctx: Ctx): StoredInteraction {
    const i = this.state.interactionsByToken.get(ctx.params.token ?? '');
    if (!i || i.applicationId !== ctx.params.app) throw errors.unknownWebhook();
    if (Date.now() - i.dispatchedAt > this.state.settings.interactionTokenTtlMs)
      throw errors.invalidWebhookToken();
    return i;
  }

  private findResponse(i: StoredInteraction, id: string): StoredMessage {
    const msg =
      id === '@original' ? i.original : [i.original, ...i.followUps].find((m) => m?.id === id);
    if (!msg) throw errors.unknownMessage();
    return msg;
  }

  private interactionMessagePayload(i: StoredInteraction, m: StoredMessage): Json {
    return messagePayload(m, this.state.bot, this.state.applicationId, i);
  }

  private newMessage(
    body: MessageBody,
    channelId: string,
    guildId: string | undefined,
    type: number,
    interaction?: StoredInteraction,
    flags = body.flags ?? 0,
  ): StoredMessage {
    return {
      id: this.state.ids.next(),
      channelId,
      ...(guildId ? { guildId } : {}),
      type,
      content: body.content ?? '',
      embeds: body.embeds ?? [],
      flags,
      allowedMentions: body.allowed_mentions,
      createdAt: Date.now(),
      ...(interaction
        ? { interactionId: interaction.id, webhookId: this.state.applicationId }
        : {}),
    };
  }
}
