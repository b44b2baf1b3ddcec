import { errors } from './http-util.js';
import { validateMessageBody } from './message-rules.js';
import type { StoredInteraction, StoredMessage } from './model.js';
import { messagePayload } from './payloads.js';
import type { StandInState } from './state.js';
import {
  EPHEMERAL,
  LOADING,
  newMessage,
  ok,
  type Answer,
  type Ctx,
  type Json,
  type Route,
} from './rest-route.js';

/**
 * An interaction's answers: the callback, and the interaction's webhook (original response
 * and follow-ups). No bot auth: the interaction token is the credential.
 */
export class InteractionRoutes {
  constructor(private readonly state: StandInState) {}

  routes(): Route[] {
    return [
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
          this.state.journal.add({
            kind: 'delete',
            at: Date.now(),
            interactionId: i.id,
            messageId: msg.id,
          });
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
    const limitedMs = s.callbacksLimitedUntil - Date.now();
    if (limitedMs > 0) throw errors.rateLimited(limitedMs);
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
      i.original = newMessage(this.state, body, i.channelId, i.guildId, 20, i);
    } else if (type === 5) {
      const flags = Number((data as { flags?: unknown } | undefined)?.flags ?? 0) & EPHEMERAL;
      i.original = newMessage(
        this.state,
        { content: '' },
        i.channelId,
        i.guildId,
        20,
        i,
        flags | LOADING,
      );
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
    const msg = newMessage(
      this.state,
      body,
      i.channelId,
      i.guildId,
      0,
      i,
      (body.flags ?? 0) & EPHEMERAL,
    );
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
}
