import type {
  StandInChannel,
  StandInGuild,
  StandInUser,
  StoredInteraction,
  StoredMessage,
} from './model.js';

/**
 * The JSON the stand-in sends, shaped like Discord's (API v10), with the fields discord.js
 * reads when it builds its structures.
 */

export function userPayload(u: StandInUser): Record<string, unknown> {
  return {
    id: u.id,
    username: u.username,
    global_name: u.globalName ?? null,
    discriminator: u.bot ? '0000' : '0',
    avatar: null,
    public_flags: 0,
    flags: 0,
    ...(u.bot ? { bot: true, verified: true, mfa_enabled: false } : {}),
  };
}

export function channelPayload(c: StandInChannel, position = 0): Record<string, unknown> {
  return {
    id: c.id,
    type: c.type,
    guild_id: c.guildId,
    name: c.name,
    position,
    permission_overwrites: [],
    parent_id: null,
    nsfw: false,
    topic: null,
    last_message_id: null,
    rate_limit_per_user: 0,
    flags: 0,
  };
}

export function guildCreatePayload(
  g: StandInGuild,
  bot: StandInUser,
  botJoinedAt: string,
): Record<string, unknown> {
  return {
    id: g.id,
    name: g.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: g.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 1,
    default_message_notifications: 1,
    explicit_content_filter: 0,
    roles: [
      {
        id: g.id,
        name: '@everyone',
        color: 0,
        hoist: false,
        icon: null,
        unicode_emoji: null,
        position: 0,
        permissions: '2248473465835073',
        managed: false,
        mentionable: false,
        flags: 0,
      },
    ],
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: g.channels[0]?.id ?? null,
    system_channel_flags: 0,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: 'en-US',
    public_updates_channel_id: null,
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    safety_alerts_channel_id: null,
    joined_at: botJoinedAt,
    large: false,
    unavailable: false,
    member_count: 2,
    voice_states: [],
    members: [memberPayload(bot, botJoinedAt)],
    channels: g.channels.map((c, i) => {
      // GUILD_CREATE omits guild_id on its channels.
      const { guild_id: _omit, ...rest } = channelPayload(c, i);
      return rest;
    }),
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

export function memberPayload(
  u: StandInUser,
  joinedAt: string,
  permissions?: string,
): Record<string, unknown> {
  return {
    user: userPayload(u),
    nick: null,
    avatar: null,
    banner: null,
    roles: [],
    joined_at: joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    communication_disabled_until: null,
    ...(permissions === undefined ? {} : { permissions }),
  };
}

export function messagePayload(
  m: StoredMessage,
  author: StandInUser,
  applicationId: string,
  interaction?: StoredInteraction,
): Record<string, unknown> {
  return {
    id: m.id,
    type: m.type,
    channel_id: m.channelId,
    ...(m.guildId ? { guild_id: m.guildId } : {}),
    author: userPayload(author),
    content: m.content,
    timestamp: new Date(m.createdAt).toISOString(),
    edited_timestamp: m.editedAt ? new Date(m.editedAt).toISOString() : null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: m.embeds,
    pinned: false,
    flags: m.flags,
    components: [],
    ...(m.webhookId ? { webhook_id: m.webhookId, application_id: applicationId } : {}),
    ...(interaction
      ? {
          interaction_metadata: {
            id: interaction.id,
            type: interaction.type,
            user: userPayload(interaction.user),
            authorizing_integration_owners: interaction.guildId
              ? { '0': interaction.guildId }
              : { '1': interaction.user.id },
          },
        }
      : {}),
  };
}
