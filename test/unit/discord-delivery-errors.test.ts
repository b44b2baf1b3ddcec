import { describe, expect, it } from 'vitest';
import {
  DiscordRequestError,
  isInteractionGone,
  isUndeliverableRefusal,
} from '../../src/chat/discord/errors.js';

const refusal = (status?: number, code?: number) =>
  new DiscordRequestError('channel message', 'refused', status, code);

describe('isUndeliverableRefusal', () => {
  it('is true where a retry cannot help: unknown channel, missing access, a bad message', () => {
    expect(isUndeliverableRefusal(refusal(404, 10003))).toBe(true);
    expect(isUndeliverableRefusal(refusal(403, 50001))).toBe(true);
    expect(isUndeliverableRefusal(refusal(403, 50013))).toBe(true);
    expect(isUndeliverableRefusal(refusal(400, 50035))).toBe(true);
  });

  it('is false for what is worth retrying: 5xx, 429, the network, a refused bot token', () => {
    expect(isUndeliverableRefusal(refusal(500))).toBe(false);
    expect(isUndeliverableRefusal(refusal(503))).toBe(false);
    expect(isUndeliverableRefusal(refusal(429))).toBe(false);
    expect(isUndeliverableRefusal(refusal(undefined))).toBe(false);
    expect(isUndeliverableRefusal(refusal(401, 0))).toBe(false);
    expect(isUndeliverableRefusal(new Error('ECONNREFUSED'))).toBe(false);
  });

  it('leaves a gone interaction to the channel fallback', () => {
    const gone = refusal(404, 10062);
    expect(isInteractionGone(gone)).toBe(true);
    expect(isUndeliverableRefusal(gone)).toBe(false);
    expect(isUndeliverableRefusal(refusal(401, 50027))).toBe(false);
  });
});
