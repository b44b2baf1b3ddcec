import { describe, expect, it } from 'vitest';
import type { CommandUser, Role } from '../../src/core/command.js';
import { vodCommand } from '../../commands/vod/index.js';
import {
  bypassesCooldowns,
  hasPermission,
  permissionFor,
  refusalText,
} from '../../src/core/permissions.js';

const user = (role: Role, canManageServer?: boolean): CommandUser => ({
  id: '1',
  login: 'u',
  displayName: 'U',
  role,
  canManageServer,
});

describe('role ranks', () => {
  it('orders broadcaster > moderator > vip > subscriber > everyone', () => {
    const order: Role[] = ['everyone', 'subscriber', 'vip', 'moderator', 'broadcaster'];
    order.forEach((held, i) =>
      order.forEach((needed, j) => expect(hasPermission(user(held), needed)).toBe(i >= j)),
    );
  });

  it('grants manage_server only to members holding it, whatever their role', () => {
    expect(hasPermission(user('broadcaster'), 'manage_server')).toBe(false);
    expect(hasPermission(user('everyone', true), 'manage_server')).toBe(true);
  });

  it('lets moderators and the broadcaster past cooldowns only', () => {
    expect(bypassesCooldowns(user('vip'))).toBe(false);
    expect(bypassesCooldowns(user('moderator'))).toBe(true);
    expect(bypassesCooldowns(user('broadcaster'))).toBe(true);
  });

  it('says who may use a command', () => {
    expect(refusalText('moderator', '!clipconfig')).toBe(
      'Only moderators and the broadcaster can use !clipconfig.',
    );
    expect(refusalText('manage_server', '/clipbot')).toBe(
      'You need the Manage Server permission to use /clipbot.',
    );
  });
});

describe('permissionFor', () => {
  it('asks Manage Server on Discord and the broadcaster in Twitch chat to delete videos', () => {
    const vod = vodCommand();
    const sub = (name: string) => vod.subcommands?.find((s) => s.name === name);
    expect(permissionFor(vod, sub('delete'), 'discord')).toBe('manage_server');
    expect(permissionFor(vod, sub('delete'), 'twitch')).toBe('broadcaster');
    expect(permissionFor(vod, sub('confirm'), 'twitch')).toBe('broadcaster');
    expect(permissionFor(vod, sub('now'), 'twitch')).toBe('everyone');
    expect(permissionFor(vod, undefined, 'discord')).toBe('everyone');
    // A moderator is not the broadcaster, and a broadcaster badge is no Manage Server.
    expect(hasPermission(user('moderator'), permissionFor(vod, sub('confirm'), 'twitch'))).toBe(
      false,
    );
    expect(hasPermission(user('broadcaster'), permissionFor(vod, sub('delete'), 'discord'))).toBe(
      false,
    );
  });
});
