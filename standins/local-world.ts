import { randomBytes } from 'node:crypto';
import { TwitchChatStandIn, type ChatStandInOptions } from './chat/index.js';
import { DiscordStandIn, type StandInGuild } from './discord/index.js';
import { TwitchStandIn } from './twitch/index.js';

export interface LocalWorldOptions {
  /** Twitch channels that exist and are live (default ['demo_streamer']). */
  channels?: string[];
  /** The bot account's login (default 'clipbot'). */
  botLogin?: string;
  /** How long a new clip takes to appear in Get Clips (default 3000 ms, like Twitch). */
  clipVisibleAfterMs?: number | 'never';
  /** Also run the Discord stand-in with one server (default true). */
  discord?: boolean;
  chat?: ChatStandInOptions;
}

/**
 * Twitch (Helix + OAuth), Twitch chat and Discord, all on 127.0.0.1: what the demo, the
 * end-to-end tests and the benchmark run the real bot against. `env()` gives the settings
 * that point the bot at them.
 */
export class LocalWorld {
  readonly twitch: TwitchStandIn;
  readonly chat: TwitchChatStandIn;
  readonly discord?: DiscordStandIn;
  guild?: StandInGuild;
  readonly botLogin: string;
  readonly channels: string[];
  /** OPS_TOKEN of the bot env(): send it as `Authorization: Bearer` to see /healthz details. */
  readonly opsToken = randomBytes(24).toString('hex');
  private urls?: { apiUrl: string; authUrl: string; chatUrl: string; discordUrl?: string };
  private botTokens?: { accessToken: string; refreshToken: string };

  constructor(private readonly opts: LocalWorldOptions = {}) {
    this.botLogin = opts.botLogin ?? 'clipbot';
    this.channels = opts.channels ?? ['demo_streamer'];
    this.twitch = new TwitchStandIn({ clipVisibleAfterMs: opts.clipVisibleAfterMs ?? 3000 });
    this.chat = new TwitchChatStandIn(opts.chat);
    if (opts.discord !== false) this.discord = new DiscordStandIn();
  }

  async start(): Promise<this> {
    const { apiUrl, authUrl } = await this.twitch.start();
    const { url: chatUrl } = await this.chat.start();
    let discordUrl: string | undefined;
    if (this.discord) {
      discordUrl = (await this.discord.start()).apiUrl;
      this.guild = this.discord.addGuild({ name: 'Demo Server', channels: ['general', 'clips'] });
    }
    this.urls = { apiUrl, authUrl, chatUrl, discordUrl };

    this.twitch.addUser({ login: this.botLogin, displayName: 'ClipBot' });
    for (const login of this.channels) {
      const user = this.twitch.addUser({ login });
      this.twitch.setLive(login, true, {
        title: 'Speedrun any% - world record pace',
        gameName: 'Celeste',
      });
      this.chat.setChannel(login, { roomId: user.id });
    }
    this.botTokens = this.twitch.issueUserToken({
      login: this.botLogin,
      scopes: ['clips:edit', 'chat:read', 'chat:edit', 'editor:manage:clips'],
    });
    // Chat accepts exactly the tokens Twitch's OAuth says are valid, as the real one does.
    this.chat.setTokenValidator(async (token) => {
      const res = await fetch(`${authUrl}/validate`, {
        headers: { Authorization: `OAuth ${token}` },
      });
      if (!res.ok) return undefined;
      return ((await res.json()) as { login?: string }).login;
    });
    return this;
  }

  /** Environment for loadConfig(): every endpoint and credential of this world. */
  env(overrides: Record<string, string> = {}): Record<string, string> {
    if (!this.urls || !this.botTokens) throw new Error('LocalWorld not started');
    const env: Record<string, string> = {
      TWITCH_API_URL: this.urls.apiUrl,
      TWITCH_AUTH_URL: this.urls.authUrl,
      TWITCH_CHAT_URL: this.urls.chatUrl,
      TWITCH_CLIENT_ID: this.twitch.clientId,
      TWITCH_CLIENT_SECRET: this.twitch.clientSecret,
      TWITCH_ACCESS_TOKEN: this.botTokens.accessToken,
      TWITCH_REFRESH_TOKEN: this.botTokens.refreshToken,
      TWITCH_CHANNELS: this.channels.join(','),
      HTTP_PORT: '0',
      OPS_HOST: '127.0.0.1',
      OPS_TOKEN: this.opsToken,
    };
    if (this.discord && this.urls.discordUrl) {
      env.DISCORD_API_URL = this.urls.discordUrl;
      env.DISCORD_TOKEN = this.discord.botToken;
      env.DISCORD_APPLICATION_ID = this.discord.applicationId;
    }
    return { ...env, ...overrides };
  }

  async stop(): Promise<void> {
    await Promise.all([this.twitch.stop(), this.chat.stop(), this.discord?.stop()]);
  }
}
