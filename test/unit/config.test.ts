import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('fills every default from an empty environment', () => {
    const c = loadConfig({});
    expect(c.TWITCH_API_URL).toBe('https://api.twitch.tv/helix');
    expect(c.TWITCH_AUTH_URL).toBe('https://id.twitch.tv/oauth2');
    expect(c.TWITCH_CHAT_URL).toBe('wss://irc-ws.chat.twitch.tv:443');
    expect(c.DISCORD_API_URL).toBe('https://discord.com/api');
    expect(c.TWITCH_CHANNELS).toEqual([]);
    expect(c.CLIP_VISIBLE_DEADLINE_S).toBe(60);
    expect(c.BATCHING).toBe(true);
  });

  it('normalises channel lists and parses numbers and switches', () => {
    const c = loadConfig({ TWITCH_CHANNELS: ' #Foo, bar ,,', HTTP_PORT: '8080', BATCHING: 'off' });
    expect(c.TWITCH_CHANNELS).toEqual(['foo', 'bar']);
    expect(c.HTTP_PORT).toBe(8080);
    expect(c.BATCHING).toBe(false);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ REDIS_URL: '', HTTP_PORT: '  ' }).HTTP_PORT).toBe(9464);
  });

  it('names every problem at once and never echoes a value', () => {
    const secret = 'sup3r-s3cret-value';
    let error: unknown;
    try {
      loadConfig({
        HTTP_PORT: 'eighty',
        TWITCH_API_URL: 'not a url',
        TWITCH_CHANNELS: 'good,bad login',
        BATCHING: 'maybe',
        DISCORD_TOKEN: secret,
        TWITCH_REFRESH_TOKEN: secret,
        REDIS_URL: `http://${secret}@localhost`,
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { message, problems } = error as ConfigError;
    expect(problems).toHaveLength(6);
    for (const key of [
      'HTTP_PORT',
      'TWITCH_API_URL',
      'TWITCH_CHANNELS',
      'BATCHING',
      'REDIS_URL',
      'DISCORD_APPLICATION_ID',
    ]) {
      expect(message).toContain(key);
    }
    expect(message).not.toContain(secret);
    expect(message).not.toMatch(/\n\s+at /); // no stack trace in the message
  });

  it('adds the settings a command requires to the same report', () => {
    let error: unknown;
    try {
      loadConfig(
        { HTTP_PORT: 'x' },
        { required: [{ key: 'TWITCH_CLIENT_ID', why: 'needed to start' }] },
      );
    } catch (e) {
      error = e;
    }
    expect((error as ConfigError).problems).toEqual([
      'HTTP_PORT must be a whole number',
      'TWITCH_CLIENT_ID is missing: needed to start',
    ]);
  });

  it('accepts a refresh token without a client secret (a public Twitch client)', () => {
    const c = loadConfig({
      TWITCH_CLIENT_ID: 'cid',
      TWITCH_ACCESS_TOKEN: 'a',
      TWITCH_REFRESH_TOKEN: 'r',
    });
    expect(c.TWITCH_REFRESH_TOKEN).toBe('r');
  });

  it('strips the oauth: prefix operators often paste with chat tokens', () => {
    expect(
      loadConfig({ TWITCH_ACCESS_TOKEN: 'oauth:abc', TWITCH_CLIENT_ID: 'cid' }).TWITCH_ACCESS_TOKEN,
    ).toBe('abc');
  });
});
