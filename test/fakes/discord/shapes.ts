import type {
  APIAttachment,
  APIEmbed,
  APIMessage,
  APIMessageTopLevelComponent,
  APIUser,
} from "discord-api-types/v10";
import type {
  ChannelKind,
  FakeState,
  StoredAttachment,
  StoredChannel,
  StoredGuild,
  StoredMember,
  StoredMessage,
  StoredRole,
  StoredUser,
} from "./state.ts";

/** A JSON object as sent on the wire. */
export type Json = Record<string, unknown>;

const channelTypes: Record<ChannelKind, number> = {
  text: 0,
  dm: 1,
  announcement: 5,
  "public-thread": 11,
  "private-thread": 12,
};

/** Discord's numeric channel type for a kind. */
export function channelType(kind: ChannelKind): number {
  return channelTypes[kind];
}

/** Discord's timestamp format: ISO 8601 with microseconds and an explicit offset. */
export function isoTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "000+00:00");
}

/** A user object. */
export function userJson(user: StoredUser): APIUser {
  return {
    id: user.id,
    username: user.username,
    discriminator: "0",
    global_name: user.globalName,
    avatar: null,
    ...(user.bot ? { bot: true } : {}),
  };
}

/** A role object; permissions travel as a decimal string. */
export function roleJson(role: StoredRole): Json {
  return {
    id: role.id,
    name: role.name,
    permissions: role.permissions.toString(),
    position: role.position,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    managed: role.botId !== null,
    mentionable: false,
    flags: 0,
    ...(role.botId ? { tags: { bot_id: role.botId } } : {}),
  };
}

/** A guild member object; `user` is left out where Discord leaves it out (MESSAGE_CREATE). */
export function memberJson(state: FakeState, member: StoredMember, options: { withUser: boolean }): Json {
  const user = state.users.get(member.userId);
  return {
    ...(options.withUser && user ? { user: userJson(user) } : {}),
    roles: [...member.roleIds],
    joined_at: isoTimestamp(member.joinedAt),
    nick: member.nick,
    avatar: null,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    communication_disabled_until: null,
  };
}

/** A channel object (guild channel, thread or DM). */
export function channelJson(state: FakeState, channel: StoredChannel): Json {
  const base = { id: channel.id, type: channelType(channel.kind), last_message_id: channel.lastMessageId };
  if (channel.kind === "dm") {
    const recipient = channel.recipientId ? state.users.get(channel.recipientId) : undefined;
    return { ...base, flags: 0, recipients: recipient ? [userJson(recipient)] : [] };
  }
  const guildChannel = {
    ...base,
    guild_id: channel.guildId,
    name: channel.name,
    parent_id: channel.parentId,
    rate_limit_per_user: 0,
    flags: 0,
  };
  if (channel.kind === "public-thread" || channel.kind === "private-thread") {
    return {
      ...guildChannel,
      owner_id: channel.ownerId,
      message_count: 0,
      member_count: 1,
      total_message_sent: 0,
      thread_metadata: {
        archived: false,
        auto_archive_duration: 1440,
        archive_timestamp: isoTimestamp(channel.createdAt),
        locked: false,
        create_timestamp: isoTimestamp(channel.createdAt),
      },
    };
  }
  return {
    ...guildChannel,
    position: channel.position,
    topic: channel.topic,
    // Threads carry no nsfw of their own (Discord's thread example and Threads topic list none): see the parent.
    nsfw: channel.nsfw,
    permission_overwrites: channel.overwrites.map((o) => ({
      id: o.id,
      type: o.type === "role" ? 0 : 1,
      allow: o.allow.toString(),
      deny: o.deny.toString(),
    })),
  };
}

/** The GUILD_CREATE payload: channels, threads, roles and the bot's own member, as the contract shows. */
export function guildCreateJson(state: FakeState, guild: StoredGuild): Json {
  const channels = [...state.channels.values()].filter((c) => c.guildId === guild.id);
  const isThread = (c: StoredChannel) => c.kind === "public-thread" || c.kind === "private-thread";
  const me = guild.members.get(state.applicationId);
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    features: [],
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    premium_tier: 0,
    preferred_locale: guild.locale,
    system_channel_id: null,
    system_channel_flags: 0,
    nsfw_level: 0,
    unavailable: false,
    joined_at: isoTimestamp(guild.joinedAt),
    large: false,
    member_count: guild.members.size,
    roles: [...guild.roles.values()].map(roleJson),
    channels: channels.filter((c) => !isThread(c)).map((c) => channelJson(state, c)),
    threads: channels.filter(isThread).map((c) => channelJson(state, c)),
    // Without the GuildMembers intent Discord sends only the bot's own member here.
    members: me ? [memberJson(state, me, { withUser: true })] : [],
    presences: [],
    voice_states: [],
    emojis: [],
    stickers: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

/** An attachment object pointing at the fake CDN. */
export function attachmentJson(
  state: FakeState,
  attachment: StoredAttachment,
  options: { ephemeral: boolean },
): APIAttachment {
  const url = state.cdnUrl(attachment.path);
  return {
    id: attachment.id,
    filename: attachment.filename,
    size: attachment.bytes.byteLength,
    url,
    proxy_url: url,
    content_type: attachment.contentType,
    ...(attachment.description !== null ? { description: attachment.description } : {}),
    ...(attachment.title !== null ? { title: attachment.title } : {}),
    ...(attachment.durationSecs !== null ? { duration_secs: attachment.durationSecs } : {}),
    ...(attachment.waveform !== null ? { waveform: attachment.waveform } : {}),
    ...(options.ephemeral ? { ephemeral: true } : {}),
  };
}

/** A message object as REST returns it and MESSAGE_CREATE carries it (minus guild_id and member). */
export function messageJson(state: FakeState, message: StoredMessage, depth = 0): APIMessage {
  const author = state.users.get(message.authorId);
  if (!author) throw new Error(`message ${message.id} has an unknown author ${message.authorId}`);
  const referenced = message.referencedMessageId
    ? state.messages.get(message.referencedMessageId)
    : undefined;
  const thread = message.threadId ? state.channels.get(message.threadId) : undefined;
  const json: APIMessage = {
    id: message.id,
    channel_id: message.channelId,
    type: message.type,
    author: userJson(author),
    content: message.content,
    timestamp: isoTimestamp(message.createdAt),
    edited_timestamp: message.editedAt === null ? null : isoTimestamp(message.editedAt),
    tts: false,
    mention_everyone: false,
    mentions: message.mentionIds.flatMap((id) => {
      const user = state.users.get(id);
      return user ? [userJson(user)] : [];
    }),
    mention_roles: [],
    attachments: message.attachments.map((a) =>
      attachmentJson(state, a, { ephemeral: message.ephemeralFor !== null }),
    ),
    embeds: message.embeds as APIEmbed[],
    components: message.components as APIMessageTopLevelComponent[],
    pinned: false,
    flags: message.flags,
  };
  if (message.webhookId) json.webhook_id = message.webhookId;
  if (message.applicationId) json.application_id = message.applicationId;
  if (message.referencedMessageId) {
    json.message_reference = {
      type: 0,
      message_id: message.referencedMessageId,
      channel_id: message.channelId,
      ...(message.guildId ? { guild_id: message.guildId } : {}),
    };
    // Discord nests the referenced message one level deep only.
    json.referenced_message =
      referenced && !referenced.deleted && depth === 0 ? messageJson(state, referenced, depth + 1) : null;
  }
  if (thread) json.thread = channelJson(state, thread) as unknown as APIMessage["thread"];
  return json;
}
