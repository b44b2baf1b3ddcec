import type { IncomingMessage, ServerResponse } from 'node:http';
import { validateCommand, validateCommands } from './command-rules.js';
import { ApiError, errors, matchRoute, readBody, sendEmpty, sendJson } from './http-util.js';
import { validateMessageBody } from './message-rules.js';
import { channelPayload, guildCreatePayload, messagePayload, userPayload } from './payloads.js';
import type { StandInState } from './state.js';
import { InteractionRoutes } from './interaction-routes.js';
import { newMessage, ok, type Ctx, type Route } from './rest-route.js';

/** The REST side of the stand-in, under /api/v10, answering what discord.js calls. */
export class RestApi {
  private readonly routes: Route[];
  private readonly interactions: InteractionRoutes;

  constructor(
    private readonly state: StandInState,
    private readonly gatewayUrl: () => string,
  ) {
    this.interactions = new InteractionRoutes(state);
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
      if (!res.headersSent) sendJson(res, apiErr.status, apiErr.body, apiErr.headers);
      else res.end();
    }
  }

  private buildRoutes(): Route[] {
    const s = this.state;
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
          const msg = newMessage(this.state, body, channel.id, channel.guildId, 0);
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
      ...this.interactions.routes(),
    ];
  }
}
