import { describe, expect, it } from 'vitest';
import type { CommandUser, Role } from '../../commands/types.js';
import { bypassesCooldowns, hasPermission, refusalText } from '../../src/chat/permissions.js';

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
