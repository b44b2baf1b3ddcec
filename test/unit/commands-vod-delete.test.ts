import { describe, expect, it } from 'vitest';
import { allCommands } from '../../commands/index.js';
import { buildSlashCommands } from '../../src/chat/discord/slash-commands.js';

/** What Discord is told about /vod: deleting is asked there, never confirmed there. */
describe('/vod on Discord', () => {
  it('offers delete without any confirm option or subcommand, to every member to see', () => {
    const vod = buildSlashCommands(allCommands()).find((c) => c.name === 'vod');
    const subs = (vod?.options ?? []) as { name: string; options?: { name: string }[] }[];
    expect(subs.map((s) => s.name)).toEqual(['now', 'delete']);
    expect(subs.find((s) => s.name === 'delete')?.options?.map((o) => o.name)).toEqual([
      'ids',
      'channel',
    ]);
    // `now` is everyone's, so the command is not hidden; the router checks Manage Server.
    expect(vod?.default_member_permissions).toBeNull();
  });
});
