import { PassThrough } from 'node:stream';
import { AxiosError, AxiosHeaders } from 'axios';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { HelixError } from '../../src/twitch/errors.js';

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  const log = createLogger({ level: 'trace', format: 'json', destination: stream });
  return { log, text: () => text };
}

describe('logger', () => {
  const secret = 'abcdefghijklmnop0123456789';

  it('logs an HTTP client error without its request headers, body or URL query', () => {
    const { log, text } = capture();
    const headers = new AxiosHeaders({ Authorization: `Bearer ${secret}`, 'Client-Id': 'x' });
    const err = new AxiosError('Request failed with status code 500', 'ERR_BAD_RESPONSE', {
      headers,
      url: `https://api.example/webhooks/1/${secret}/messages/@original`,
      data: `client_secret=${secret}`,
      params: { refresh_token: secret },
    });
    log.error({ err }, 'call failed');
    const out = text();
    expect(out).toContain('Request failed with status code 500');
    expect(out).toContain('ERR_BAD_RESPONSE');
    expect(out).not.toContain(secret);
  });

  it('keeps our typed errors useful', () => {
    const { log, text } = capture();
    log.warn({ err: new HelixError('not_live', 404, 'POST /clips', 'not live') }, 'x');
    const line = JSON.parse(text()) as { err: Record<string, unknown> };
    expect(line.err).toMatchObject({ kind: 'not_live', endpoint: 'POST /clips', status: 404 });
  });

  it('redacts token fields at the top level and nested', () => {
    const { log, text } = capture();
    log.info(
      {
        token: secret,
        user: { accessToken: secret, refresh_token: secret },
        req: { headers: { authorization: `OAuth ${secret}` } },
        interactionToken: secret,
      },
      'tokens',
    );
    expect(text()).toContain('[redacted]');
    expect(text()).not.toContain(secret);
  });
});

describe('logger bindings', () => {
  it('a key bound again by a child appears once per line, with the innermost value', () => {
    const { log, text } = capture();
    const chat = log.child({ component: 'twitch-chat' }).child({ component: 'twitch-chat' });
    chat.child({ component: 'send-queue', channel: 'a' }).info('x');
    const line = text().trim();
    expect(line.match(/"component"/g)).toHaveLength(1);
    expect(line.match(/"service"/g)).toHaveLength(1);
    expect(JSON.parse(line)).toMatchObject({ component: 'send-queue', channel: 'a' });
  });
});
