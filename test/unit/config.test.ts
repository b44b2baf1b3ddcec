import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, ConfigError, loadConfig } from '../../src/config.js';

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

  it('refuses a renamed variable, naming its new name, instead of ignoring it', () => {
    expect(() => loadConfig({ HTTP_HOST: '0.0.0.0' })).toThrow(
      /HTTP_HOST was renamed OPS_HOST: set OPS_HOST instead/,
    );
    expect(loadConfig({ OPS_HOST: '0.0.0.0' }).OPS_HOST).toBe('0.0.0.0');
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

  it('names the TWITCH_CHANNELS entries that are not logins, and accepts #, capitals and short ones', () => {
    expect(loadConfig({ TWITCH_CHANNELS: '#foo,SomeStreamer,ab' }).TWITCH_CHANNELS).toEqual([
      'foo',
      'somestreamer',
      'ab',
    ]);
    const problems = problemsOf({
      TWITCH_CHANNELS:
        'good, bad-name ,https://www.twitch.tv/Streamer,a_login_far_too_long_for_twitch',
    });
    expect(problems).toEqual([
      'TWITCH_CHANNELS entry "bad-name" is not a Twitch login (letters, digits and underscore only; separate entries with commas)',
      'TWITCH_CHANNELS entry "https://www.twitch.tv/streamer" is an address: write the login only (streamer)',
      'TWITCH_CHANNELS entry "a_login_far_too_long_for_twitch" is longer than a Twitch login (at most 25 characters)',
    ]);
  });

  it('words every problem for people, never in the validation library’s terms', () => {
    for (const key of CONFIG_KEYS) {
      for (const bad of ['x y!', '99999999', '-1']) {
        for (const problem of problemsOf({ [key]: bad })) {
          expect(problem).toMatch(/^[A-Z_]+ /);
          expect(problem).not.toMatch(/Invalid|expected|Too (big|small)|pattern|\/\^/);
          if (/SECRET|TOKEN/.test(key)) expect(problem).not.toContain(bad);
        }
      }
    }
    expect(problemsOf({ CLIP_DEFAULT_DURATION: '90' })).toEqual([
      'CLIP_DEFAULT_DURATION must be from 5 to 60',
    ]);
    expect(problemsOf({ LOG_LEVEL: 'verbose' })).toEqual([
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    ]);
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

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
}
