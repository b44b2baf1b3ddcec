import { EventEmitter, once } from 'node:events';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allCommands } from '../../commands/index.js';
import type { CommandDefinition, IncomingCommand } from '../../src/core/command.js';
import {
  buildSlashCommands,
  DiscordAdapter,
  DiscordRequestError,
  registerCommands,
} from '../../src/chat/discord/index.js';
import { silentLogger } from '../../src/logger.js';
import { DiscordStandIn, type StandInGuild } from '../../standins/discord/index.js';
import { cleanupPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';

const noop = async () => undefined;

const defs: CommandDefinition[] = [
  {
    name: 'clip',
    description: 'Clip the live stream',
    usage: 'clip [seconds] [title]',
    permission: 'everyone',
    options: [
      {
        name: 'channel',
        description: 'Twitch channel',
        type: 'string',
        autocomplete: true,
        platforms: ['discord'],
      },
      { name: 'duration', description: 'Seconds', type: 'integer', min: 5, max: 60 },
    ],
    execute: noop,
  },
  {
    name: 'clipbot',
    description: 'Configure the bot for this server',
    usage: 'clipbot link|unlink',
    permission: 'manage_server',
    subcommands: [
      {
        name: 'link',
        description: 'Link a Twitch channel',
        options: [
          { name: 'twitch_channel', description: 'Twitch channel', type: 'string', required: true },
          { name: 'post_channel', description: 'Where to post clips', type: 'string' },
        ],
      },
      { name: 'unlink', description: 'Unlink' },
    ],
    execute: noop,
  },
  {
    name: 'cliphelp',
    description: 'Chat only',
    usage: 'cliphelp',
    permission: 'everyone',
    platforms: ['twitch'],
    execute: noop,
  },
];

let standIn: DiscordStandIn;
let guild: StandInGuild;

beforeEach(async () => {
  standIn = new DiscordStandIn();
  await standIn.start();
  guild = standIn.addGuild({ name: 'Fans', channels: ['general', 'clips'] });
});

afterEach(async () => {
  await standIn.stop();
});

const base = () => ({
  token: standIn.botToken,
  applicationId: standIn.applicationId,
  apiUrl: standIn.apiUrl,
});

describe('registerCommands', () => {
  it('puts the built JSON globally, and the stand-in stores it', async () => {
    expect(await registerCommands({ ...base(), defs })).toBe(2);
    const stored = standIn.registeredCommands();
    const built = buildSlashCommands(defs);
    expect(stored.map((c) => c.name)).toEqual(['clip', 'clipbot']);
    for (const [i, cmd] of built.entries())
      expect(stored[i]).toMatchObject(JSON.parse(JSON.stringify(cmd)));
    expect(stored[1]).toMatchObject({ default_member_permissions: '32', dm_permission: false });
    expect(standIn.registeredCommands(guild.id)).toEqual([]);
  });

  it('puts one server’s commands, replacing the previous set', async () => {
    expect(await registerCommands({ ...base(), guildId: guild.id, defs })).toBe(2);
    expect(standIn.registeredCommands(guild.id).map((c) => c.name)).toEqual(['clip', 'clipbot']);
    const firstId = standIn.registeredCommands(guild.id)[0]?.id;
    expect(await registerCommands({ ...base(), guildId: guild.id, defs: defs.slice(0, 1) })).toBe(
      1,
    );
    expect(standIn.registeredCommands(guild.id)).toEqual([
      expect.objectContaining({ name: 'clip', id: firstId }),
    ]);
    expect(standIn.registeredCommands()).toEqual([]);
  });

  it('fails clearly, without the token, when Discord refuses', async () => {
    const bad = 'Zm9v.bar.not-a-real-token';
    const err = await registerCommands({ ...base(), token: bad, defs }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiscordRequestError);
    expect((err as DiscordRequestError).status).toBe(401);
    expect((err as Error).message).toMatch(/global command registration failed: 401/);
    expect((err as Error).message).not.toContain(bad);
    const unknownGuild = await registerCommands({
      ...base(),
      guildId: '1234567890123456789',
      defs,
    }).catch((e: unknown) => e);
    expect((unknownGuild as DiscordRequestError).status).toBe(403);
  });
});

describe('the real command definitions', () => {
  let redis: Redis;
  let prefix: string;
  let adapter: DiscordAdapter | undefined;

  beforeEach(() => {
    redis = testRedis();
    prefix = uniquePrefix('discord-reg');
  });

  afterEach(async () => {
    await adapter?.stop();
    await cleanupPrefix(redis, prefix);
    await redis.quit();
  });

  it('build JSON Discord accepts, and a registered channel option arrives as a channel id', async () => {
    const real = allCommands();
    const built = buildSlashCommands(real);
    expect(built.length).toBeGreaterThan(0);
    expect(await registerCommands({ ...base(), guildId: guild.id, defs: real })).toBe(built.length);

    const clipbot = standIn.registeredCommands(guild.id).find((c) => c.name === 'clipbot');
    const link = (
      clipbot?.options as { name: string; options?: { name: string; type: number }[] }[] | undefined
    )?.find((o) => o.name === 'link');
    const post = link?.options?.find((o) => o.name === 'post_channel');
    expect(post?.type).toBe(7);
    expect(link?.options?.find((o) => o.name === 'twitch_channel')?.type).toBe(3);
    if (!post) return;

    const commands = new EventEmitter();
    adapter = new DiscordAdapter({
      ...base(),
      redis,
      prefix,
      log: silentLogger(),
      onCommand: async (input) => void commands.emit('command', input),
      onAutocomplete: async () => [],
    });
    await adapter.start();
    const received = once(commands, 'command') as Promise<[IncomingCommand]>;
    const target = guild.channels[1]?.id ?? '';
    standIn.invokeCommand({
      guildId: guild.id,
      user: { id: '5', username: 'mod' },
      permissions: 'ManageGuild',
      name: 'clipbot',
      subcommand: 'link',
      options: { twitch_channel: 'streamer', [post.name]: target },
    });
    const [incoming] = await received;
    expect(incoming.structured?.options[post.name]).toBe(target);
  });
});
