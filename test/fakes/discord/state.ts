import { ApiError, apiErrors } from "./api-error.ts";
import { computePermissions, type PermissionOverwrite } from "./permissions.ts";

/** A user account (people and the bot). */
export interface StoredUser {
  id: string;
  username: string;
  globalName: string | null;
  bot: boolean;
}

/** A guild role; the @everyone role's id is the guild id. */
export interface StoredRole {
  id: string;
  name: string;
  permissions: bigint;
  position: number;
  /** The bot's own integration role is managed and tagged with the bot's id. */
  botId: string | null;
}

/** A user's membership of a guild. */
export interface StoredMember {
  userId: string;
  roleIds: string[];
  joinedAt: number;
  nick: string | null;
}

/** A guild the bot is in. */
export interface StoredGuild {
  id: string;
  name: string;
  ownerId: string;
  locale: string;
  roles: Map<string, StoredRole>;
  members: Map<string, StoredMember>;
  joinedAt: number;
}

/** The kinds of channel the fake models. */
export type ChannelKind = "text" | "announcement" | "dm" | "public-thread" | "private-thread";

/** A guild channel, thread or DM. */
export interface StoredChannel {
  id: string;
  kind: ChannelKind;
  guildId: string | null;
  name: string | null;
  position: number;
  /** A thread's parent channel. */
  parentId: string | null;
  topic: string | null;
  /** Age-restricted (Discord's `nsfw`); text and announcement channels only, threads follow their parent. */
  nsfw: boolean;
  overwrites: PermissionOverwrite[];
  /** The other user of a DM. */
  recipientId: string | null;
  /** Who started a thread. */
  ownerId: string | null;
  createdAt: number;
  lastMessageId: string | null;
}

/** An uploaded file, served by the fake CDN. */
export interface StoredAttachment {
  id: string;
  filename: string;
  contentType: string;
  bytes: Uint8Array;
  /** The CDN path; each read signs it afresh, as Discord does. */
  path: string;
  description: string | null;
  title: string | null;
  durationSecs: number | null;
  waveform: string | null;
}

/** A message, including its edit history and deletion. */
export interface StoredMessage {
  id: string;
  channelId: string;
  guildId: string | null;
  /** Discord's message type: 0 default, 19 reply, 20 chat-input response, 23 context-menu response. */
  type: number;
  authorId: string;
  /** Set for interaction responses and follow-ups (the application id). */
  webhookId: string | null;
  applicationId: string | null;
  content: string;
  embeds: unknown[];
  components: unknown[];
  attachments: StoredAttachment[];
  flags: number;
  createdAt: number;
  editedAt: number | null;
  editCount: number;
  contentHistory: string[];
  deleted: boolean;
  /** The only user who sees an ephemeral message. */
  ephemeralFor: string | null;
  interactionId: string | null;
  referencedMessageId: string | null;
  mentionIds: string[];
  /** The thread started from this message. */
  threadId: string | null;
}

/** Which interaction Discord delivered. */
export type InteractionKind =
  | "chat-input"
  | "message-context"
  | "user-context"
  | "component"
  | "modal-submit";

/** An interaction and everything the bot did with its token. */
export interface StoredInteraction {
  id: string;
  token: string;
  kind: InteractionKind;
  /** The command name, or the custom id for components and modals. */
  name: string;
  channelId: string;
  guildId: string | null;
  userId: string;
  createdAt: number;
  /** The message a component sits on, or a context menu's target. */
  messageId: string | null;
  /** The first callback's type (4, 5, 6, 7, 8 or 9), or null before any. */
  callbackType: number | null;
  callbackAt: number | null;
  originalMessageId: string | null;
  followUpIds: string[];
  /** The modal the bot opened (callback type 9). */
  modal: Record<string, unknown> | null;
}

/** An application command as registered, in Discord's JSON. */
export interface StoredCommand {
  id: string;
  guildId: string | null;
  json: Record<string, unknown>;
}

/** Everything the fake knows, and the lookups that turn a missing thing into Discord's error. */
export interface FakeState {
  readonly applicationId: string;
  readonly users: Map<string, StoredUser>;
  readonly guilds: Map<string, StoredGuild>;
  readonly channels: Map<string, StoredChannel>;
  readonly messages: Map<string, StoredMessage>;
  readonly interactions: Map<string, StoredInteraction>;
  /** Registered commands by scope: "global" or a guild id. */
  readonly commands: Map<string, StoredCommand[]>;
  readonly attachments: Map<string, StoredAttachment>;
  /** The channel, or 10003 Unknown Channel. */
  channel(id: string): StoredChannel;
  /** The guild, or 10004 Unknown Guild. */
  guild(id: string): StoredGuild;
  /** A live (not deleted) message in that channel, or 10008 Unknown Message. */
  message(channelId: string, id: string): StoredMessage;
  /** The user, or 10013 Unknown User. */
  user(id: string): StoredUser;
  /** Live messages of a channel, oldest first. */
  channelMessages(channelId: string): StoredMessage[];
  /** A user's effective permissions in a channel (DMs grant the usual DM set). */
  permissionsIn(channelId: string, userId: string): bigint;
  /** The signed, expiring CDN URL of an attachment path. */
  cdnUrl(path: string): string;
}

// What a DM allows: view, send, embed, attach, read history, reactions.
const dmPermissions = 1_024n | 2_048n | 16_384n | 32_768n | 65_536n | 64n;

/** Creates empty state for one fake Discord whose bot user id is the application id. */
export function createFakeState(deps: {
  applicationId: string;
  cdnUrl: (path: string) => string;
}): FakeState {
  const state: FakeState = {
    cdnUrl: deps.cdnUrl,
    applicationId: deps.applicationId,
    users: new Map(),
    guilds: new Map(),
    channels: new Map(),
    messages: new Map(),
    interactions: new Map(),
    commands: new Map(),
    attachments: new Map(),
    channel(id) {
      const channel = state.channels.get(id);
      if (!channel) throw apiErrors.unknownChannel();
      return channel;
    },
    guild(id) {
      const guild = state.guilds.get(id);
      if (!guild) throw apiErrors.unknownGuild();
      return guild;
    },
    message(channelId, id) {
      const message = state.messages.get(id);
      if (!message || message.deleted || message.channelId !== channelId) throw apiErrors.unknownMessage();
      return message;
    },
    user(id) {
      const user = state.users.get(id);
      if (!user) throw apiErrors.unknownUser();
      return user;
    },
    channelMessages(channelId) {
      return [...state.messages.values()].filter((m) => m.channelId === channelId && !m.deleted);
    },
    permissionsIn(channelId, userId) {
      const channel = state.channel(channelId);
      if (channel.kind === "dm")
        return channel.recipientId === userId || userId === deps.applicationId ? dmPermissions : 0n;
      if (!channel.guildId) throw new ApiError(500, 0, "channel without guild");
      const guild = state.guild(channel.guildId);
      const member = guild.members.get(userId);
      if (!member) return 0n;
      // Threads take their parent's overwrites.
      const source = channel.parentId ? state.channel(channel.parentId) : channel;
      const rolePermissions = new Map([...guild.roles].map(([id, role]) => [id, role.permissions]));
      return computePermissions({
        guildId: guild.id,
        ownerId: guild.ownerId,
        userId,
        memberRoleIds: member.roleIds,
        rolePermissions,
        overwrites: source.overwrites,
      });
    },
  };
  return state;
}
