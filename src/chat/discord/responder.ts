import { Routes, type REST } from 'discord.js';
import { toRequestError } from './errors.js';
import { NO_MENTIONS, type DiscordMessageBody } from './message-body.js';

/**
 * The REST calls that answer people. Interaction routes authenticate with the interaction
 * token (auth: false); errors are converted so the token in the route never leaks. Every
 * body goes out with no allowed mentions, whoever built it.
 */
export class DiscordResponder {
  constructor(
    private readonly rest: REST,
    private readonly applicationId: string,
  ) {}

  async editOriginal(token: string, body: DiscordMessageBody): Promise<void> {
    await this.call('edit of the interaction reply', token, () =>
      this.rest.patch(Routes.webhookMessage(this.applicationId, token, '@original'), {
        body: silent(body),
        auth: false,
      }),
    );
  }

  async followUp(token: string, body: DiscordMessageBody): Promise<void> {
    await this.call('interaction follow-up', token, () =>
      this.rest.post(Routes.webhook(this.applicationId, token), {
        body: silent(body),
        auth: false,
        query: new URLSearchParams({ wait: 'true' }),
      }),
    );
  }

  async deleteOriginal(token: string): Promise<void> {
    await this.call('delete of the interaction reply', token, () =>
      this.rest.delete(Routes.webhookMessage(this.applicationId, token, '@original'), {
        auth: false,
      }),
    );
  }

  async postMessage(channelId: string, body: DiscordMessageBody): Promise<void> {
    await this.call('channel message', '', () =>
      this.rest.post(Routes.channelMessages(channelId), { body: silent(body) }),
    );
  }

  private async call(action: string, token: string, fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      throw toRequestError(action, err, [token]);
    }
  }
}

function silent(body: DiscordMessageBody): DiscordMessageBody {
  return { ...body, allowed_mentions: NO_MENTIONS };
}
