import { describe, expect, it } from 'vitest';
import type { CommandDefinition, CommandOption } from '../../src/core/command.js';
import {
  buildSlashCommands,
  SlashCommandDefinitionError,
} from '../../src/chat/discord/slash-commands.js';

const noop = async () => undefined;
const cmd = (over: Partial<CommandDefinition> = {}): CommandDefinition => ({
  name: 'clip',
  description: 'Clip the live stream',
  usage: 'clip',
  permission: 'everyone',
  execute: noop,
  ...over,
});
const opt = (over: Partial<CommandOption> & { name: string }): CommandOption => ({
  description: 'An option',
  type: 'string',
  ...over,
});

function problems(defs: CommandDefinition[]): string[] {
  try {
    buildSlashCommands(defs);
    return [];
  } catch (err) {
    if (err instanceof SlashCommandDefinitionError) return err.problems;
    throw err;
  }
}

describe('buildSlashCommands', () => {
  it('maps option types, limits, choices and autocomplete', () => {
    const [json] = buildSlashCommands([
      cmd({
        options: [
          opt({ name: 'title', maxLength: 100 }),
          opt({ name: 'duration', type: 'integer', min: 5, max: 60 }),
          opt({ name: 'speed', type: 'number', min: 0.5 }),
          opt({ name: 'loud', type: 'boolean' }),
          opt({ name: 'period', choices: [{ name: 'Day', value: 'day' }] }),
          opt({ name: 'channel', autocomplete: true }),
          opt({ name: 'post_channel' }),
          opt({ name: 'twitch_channel' }),
        ],
      }),
    ]);
    expect(json).toMatchObject({
      type: 1,
      name: 'clip',
      dm_permission: false,
      default_member_permissions: null,
    });
    expect(json?.options).toEqual([
      { name: 'title', description: 'An option', required: false, type: 3, max_length: 100 },
      {
        name: 'duration',
        description: 'An option',
        required: false,
        type: 4,
        min_value: 5,
        max_value: 60,
      },
      { name: 'speed', description: 'An option', required: false, type: 10, min_value: 0.5 },
      { name: 'loud', description: 'An option', required: false, type: 5 },
      {
        name: 'period',
        description: 'An option',
        required: false,
        type: 3,
        choices: [{ name: 'Day', value: 'day' }],
      },
      { name: 'channel', description: 'An option', required: false, type: 3, autocomplete: true },
      {
        name: 'post_channel',
        description: 'An option',
        required: false,
        type: 7,
        channel_types: [0],
      },
      { name: 'twitch_channel', description: 'An option', required: false, type: 3 },
    ]);
  });

  it('builds subcommands, puts required options first and sets Manage Server', () => {
    const [json] = buildSlashCommands([
      cmd({
        name: 'clipbot',
        permission: 'manage_server',
        subcommands: [
          {
            name: 'link',
            description: 'Link',
            options: [
              opt({ name: 'post_channel' }),
              opt({ name: 'twitch_channel', required: true }),
            ],
          },
          { name: 'tw', description: 'Twitch only', platforms: ['twitch'] },
        ],
      }),
    ]);
    expect(json?.default_member_permissions).toBe('32');
    expect(json?.options).toHaveLength(1);
    const link = json?.options?.[0] as { type: number; options: { name: string }[] };
    expect(link.type).toBe(1);
    expect(link.options.map((o) => o.name)).toEqual(['twitch_channel', 'post_channel']);
  });

  it('sets Manage Server only when every subcommand needs it', () => {
    const mixed = cmd({
      subcommands: [
        { name: 'show', description: 'Show' },
        { name: 'set', description: 'Set', permission: 'manage_server' },
      ],
    });
    expect(buildSlashCommands([mixed])[0]?.default_member_permissions).toBeNull();
  });

  it('leaves out commands and options that are not on Discord', () => {
    const json = buildSlashCommands([
      cmd({ options: [opt({ name: 'seconds', type: 'integer', platforms: ['twitch'] })] }),
      cmd({ name: 'cliphelp', platforms: ['twitch'] }),
    ]);
    expect(json.map((c) => c.name)).toEqual(['clip']);
    expect(json[0]?.options).toBeUndefined();
  });

  it('reports every limit Discord would refuse, saying where', () => {
    const found = problems([
      cmd({ name: 'Clip' }),
      cmd({ name: 'x'.repeat(33) }),
      cmd({ name: 'desc', description: 'd'.repeat(101) }),
      cmd({
        name: 'opts',
        options: [
          opt({
            name: 'many',
            choices: Array.from({ length: 26 }, (_, i) => ({ name: `c${i}`, value: `${i}` })),
          }),
          opt({ name: 'range', type: 'integer', min: 10, max: 5 }),
          opt({
            name: 'both',
            autocomplete: false,
            choices: [{ name: 'n'.repeat(101), value: 'v' }],
          }),
          opt({ name: 'strmin', min: 1 }),
          opt({ name: 'len', maxLength: 7000 }),
        ],
      }),
      cmd({
        name: 'mixed',
        options: [opt({ name: 'a' })],
        subcommands: [{ name: 's', description: 'S' }],
      }),
      cmd({ name: 'desc' }),
    ]);
    const text = found.join('\n');
    expect(text).toContain('/Clip: name "Clip" must be lower case');
    expect(text).toMatch(/name must be 1-32 characters \(got 33\)/);
    expect(text).toContain('/desc: description must be 1-100 characters (got 101)');
    expect(text).toContain('/opts option "many": 26 choices; Discord allows 25');
    expect(text).toContain('/opts option "range": min (10) is above max (5)');
    expect(text).toContain('name must be 1-100 characters');
    expect(text).toContain(
      '/opts option "strmin": min/max apply to integer and number options only',
    );
    expect(text).toContain('/opts option "len": maxLength must be 1-6000');
    expect(text).toContain('/mixed: a command cannot have both options and subcommands');
    expect(text).toContain('/desc: defined twice');
  });

  it('accepts a valid set without complaint', () => {
    expect(problems([cmd({ options: [opt({ name: 'title', required: true })] })])).toEqual([]);
  });
});
