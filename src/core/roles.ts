/** Who someone is in a Twitch channel, lowest first is `everyone`. */
export type Role = 'broadcaster' | 'moderator' | 'vip' | 'subscriber' | 'everyone';
/** manage_server: a Discord member with the Manage Server permission. */
export type Permission = Role | 'manage_server';
