import { Client, Events, GatewayIntentBits, MessageFlags, REST, Routes } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiscordStandIn, pingsIn } from '../../standins/discord/index.js';

/** The stand-in on its own, driven by a bare discord.js client: does discord.js accept it? */
describe('Discord stand-in with discord.js', () => {
  let standIn: DiscordStandIn;
  let client: Client | undefined;

  beforeEach(async () => {
    standIn = new DiscordStandIn({ heartbeatIntervalMs: 500 });
    await standIn.start();
  });

  afterEach(async () => {
    await client?.destroy();
    client = undefined;
    await standIn.stop();
  });

  async function login(): Promise<Client> {
    const c = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: standIn.apiUrl } });
    client = c;
    const ready = new Promise<void>((resolve) => c.once(Events.ClientReady, () => resolve()));
    await c.login(standIn.botToken);
    await ready;
    return c;
  }

  it('logs in: READY then GUILD_CREATE for every guild', async () => {
    const guild = standIn.addGuild({ name: 'Test server', channels: ['general', 'clips'] });
    const c = await login();
    expect(c.user?.id).toBe(standIn.botUser.id);
    expect(c.application?.id).toBe(standIn.applicationId);
    expect(c.guilds.cache.get(guild.id)?.name).toBe('Test server');
    expect(c.guilds.cache.get(guild.id)?.channels.cache.size).toBe(2);
    expect(standIn.entries('gateway').map((e) => e.event)).toEqual(['identify', 'ready']);
  });

  it('dispatches a guild joined after login', async () => {
    const c = await login();
    const created = new Promise<string>((resolve) =>
      c.once(Events.GuildCreate, (g) => resolve(g.name)),
    );
    standIn.addGuild({ name: 'Late server' });
    expect(await created).toBe('Late server');
  });

  it('refuses a wrong bot token with 401, so login fails', async () => {
    const c = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: standIn.apiUrl } });
    client = c;
    await expect(c.login('not-the-token')).rejects.toThrow(/invalid token/i);
    expect(standIn.entries('rejected')[0]).toMatchObject({
      status: 401,
      route: '/api/v10/gateway/bot',
    });
  });

  it('resumes after the gateway drops, replaying what was missed', async () => {
    const guild = standIn.addGuild({ name: 'S' });
    const c = await login();
    standIn.disconnectGateway();
    // Dispatched while the client is away: it must arrive through RESUME's replay.
    const seen = new Promise<string>((resolve) =>
      c.on(Events.InteractionCreate, (i) => resolve(i.isChatInputCommand() ? i.commandName : '?')),
    );
    standIn.invokeCommand({
      guildId: guild.id,
      user: { id: '42', username: 'viewer' },
      name: 'ping',
    });
    expect(await seen).toBe('ping');
    await standIn.waitFor('gateway', (e) => e.event === 'resumed');
    expect(standIn.entries('gateway').filter((e) => e.event === 'identify')).toHaveLength(1);
  });

  it('answers an interaction: callback, edit and follow-up are journaled', async () => {
    const guild = standIn.addGuild({ name: 'S' });
    const c = await login();
    c.on(Events.InteractionCreate, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply();
      await i.editReply({
        content: `hi ${i.options.getString('who') ?? ''} @everyone`,
        allowedMentions: { parse: [] },
      });
      await i.followUp({ content: 'secret', flags: MessageFlags.Ephemeral });
    });
    const { interactionId } = standIn.invokeCommand({
      guildId: guild.id,
      user: { id: '42', username: 'viewer' },
      name: 'hello',
      options: { who: 'there' },
    });
    const callback = await standIn.waitForResponse(interactionId);
    expect(callback.type).toBe(5);
    expect(callback.latencyMs).toBeLessThan(3000);
    const edit = await standIn.waitForEdit(interactionId);
    expect(edit.body.content).toBe('hi there @everyone');
    expect(pingsIn(edit.body)).toEqual([]);
    const follow = await standIn.waitFor('followup', (e) => e.interactionId === interactionId);
    expect(follow.body.flags).toBe(MessageFlags.Ephemeral);
    expect(standIn.originalResponse(interactionId)).toMatchObject({
      content: 'hi there @everyone',
      edited: true,
    });
  });

  it('refuses a callback after the 3 s deadline with Unknown interaction', async () => {
    const late = new DiscordStandIn({ callbackDeadlineMs: 0 });
    await late.start();
    try {
      const guild = late.addGuild({ name: 'S' });
      const rest = new REST({ api: late.apiUrl }).setToken(late.botToken);
      const { interactionId, token } = late.invokeCommand({
        guildId: guild.id,
        user: { id: '1', username: 'u' },
        name: 'x',
      });
      await expect(
        rest.post(Routes.interactionCallback(interactionId, token), {
          body: { type: 5 },
          auth: false,
        }),
      ).rejects.toMatchObject({ code: 10062, status: 404 });
    } finally {
      await late.stop();
    }
  });

  it('posts channel messages and rejects an empty or oversized one', async () => {
    const guild = standIn.addGuild({ name: 'S' });
    const channelId = guild.channels[0]?.id ?? '';
    const rest = new REST({ api: standIn.apiUrl }).setToken(standIn.botToken);
    await rest.post(Routes.channelMessages(channelId), { body: { content: 'hello' } });
    expect(standIn.messagesIn(channelId).map((m) => m.content)).toEqual(['hello']);
    await expect(rest.post(Routes.channelMessages(channelId), { body: {} })).rejects.toMatchObject({
      code: 50006,
    });
    await expect(
      rest.post(Routes.channelMessages(channelId), { body: { content: 'x'.repeat(2001) } }),
    ).rejects.toMatchObject({ code: 50035 });
    await expect(
      rest.post(Routes.channelMessages('1'), { body: { content: 'x' } }),
    ).rejects.toMatchObject({
      code: 10003,
    });
  });

  it('counts pings the way Discord does', () => {
    expect(pingsIn({ content: '@everyone <@123> <@&9>' }).map((p) => p.kind)).toEqual([
      'everyone',
      'user',
      'role',
    ]);
    expect(pingsIn({ content: '@everyone <@123>', allowed_mentions: { parse: [] } })).toEqual([]);
    expect(
      pingsIn({ content: '<@123>', allowed_mentions: { parse: [], users: ['123'] } }),
    ).toHaveLength(1);
  });
});
