import type { Logger } from 'pino';
import type { ReplyEnvelope, ReplyTarget } from '../../core/clip.js';
import type { Metrics } from '../../ops/metrics.js';
import { UndeliverableError } from '../../replies/delivery-errors.js';
import type { ChannelGuilds } from './channel-guilds.js';
import { clipResultBody } from './clip-message.js';
import { errorFields, isInteractionGone, isUndeliverableRefusal } from './errors.js';
import type { InteractionTokenStore } from './interaction-tokens.js';
import type { DiscordResponder } from './responder.js';

type DiscordTarget = Extract<ReplyTarget, { platform: 'discord' }>;

export interface ResultDeliveryDeps {
  tokens: InteractionTokenStore;
  log: Logger;
  metrics?: Metrics;
  /** Throw while the adapter is not started. */
  responder(): DiscordResponder;
  guilds(): ChannelGuilds;
}

/** Delivers finished clips' answers on Discord: edits deferred replies, or posts. */
export class DiscordResultDelivery {
  constructor(private readonly deps: ResultDeliveryDeps) {}

  /**
   * Sends a finished clip's answer: edits each asker's deferred reply, or posts in a channel.
   * Throws UndeliverableError when it never can be sent (the post channel is gone or not in
   * the linked server; the interaction is gone and its channel cannot be posted in; Discord
   * refuses the message itself), and DiscordRequestError, worth retrying, when Discord could
   * not be reached or answered 5xx / 429. The reply dispatcher times the answer.
   */
  async deliver(envelope: ReplyEnvelope): Promise<void> {
    const responder = this.deps.responder();
    const post = envelope.post;
    if (post) {
      const context = { jobId: envelope.result.jobId, channelId: post.channelId };
      // A post channel stored before links were checked, or a forged one, must not let one
      // server make the bot write into another server's channel.
      const owner = await this.deps.guilds().guildOf(post.channelId);
      if (owner !== post.guildId) {
        this.deps.log.warn(
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
      await this.editOrPost(
        responder,
        target,
        (kind) => clipResultBody(envelope.result, here, { kind }),
        envelope.result.jobId,
      );
    }
  }

  /**
   * Edits the deferred reply; once its token is gone (expired, or never acknowledged),
   * posts in the channel instead, as a message that names who asked.
   */
  private async editOrPost(
    responder: DiscordResponder,
    target: DiscordTarget,
    body: (kind: 'reply' | 'post') => ReturnType<typeof clipResultBody>,
    jobId: string,
  ): Promise<void> {
    const context = { jobId, interactionId: target.interactionId };
    const token = await this.deps.tokens.get(target.interactionId);
    if (token) {
      try {
        await this.send(() => responder.editOriginal(token, body('reply')), context);
        return;
      } catch (err) {
        if (!isInteractionGone(err)) throw err;
        this.deps.log.info(context, 'interaction reply expired; posting in the channel');
      }
    }
    if (!target.channelId || !target.guildId) {
      this.deps.log.warn(context, 'interaction expired outside a server; answer dropped');
      throw new UndeliverableError(
        `interaction ${target.interactionId} is gone and has no server channel`,
        'interaction_gone',
      );
    }
    await this.send(() => responder.postMessage(target.channelId, body('post')), {
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
        this.deps.log.warn(
          { ...context, ...errorFields(err) },
          'Discord refused the message; dropped',
        );
        throw new UndeliverableError(err.message, `discord_${err.code ?? err.status}`);
      }
      throw err;
    }
    this.deps.metrics?.chatMessagesSent.inc({ platform: 'discord' });
  }
}
