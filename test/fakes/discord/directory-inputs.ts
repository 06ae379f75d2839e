import type { PermissionName } from "./permissions.ts";
import type { ChannelKind } from "./state.ts";

/** Permissions as names (`["ManageGuild"]`) or a bitfield. */
export type PermissionsInput = readonly PermissionName[] | bigint;

/** A channel to create in a guild. */
export interface ChannelInput {
  id?: string;
  name?: string;
  kind?: Extract<ChannelKind, "text" | "announcement">;
  topic?: string;
  /** Age-restricted ("NSFW") channel: the channel JSON carries `"nsfw": true`. Default false. */
  nsfw?: boolean;
  overwrites?: { id: string; type: "role" | "member"; allow?: PermissionsInput; deny?: PermissionsInput }[];
  /** Shortcut for a member overwrite on the bot, e.g. `["SendMessages"]` for a channel it can read but not post in. */
  botDeny?: PermissionsInput;
}

/** A guild to create; the bot is a member with its own managed role. */
export interface GuildInput {
  id?: string;
  name?: string;
  /** The owner; a user "owner" is created when omitted. */
  ownerId?: string;
  locale?: string;
  /** @everyone's permissions; Discord's default for new servers when omitted. */
  everyonePermissions?: PermissionsInput;
  /** The bot's managed role's permissions; none beyond @everyone when omitted. */
  botPermissions?: PermissionsInput;
  /** Channels to create; one "general" text channel when omitted. */
  channels?: ChannelInput[];
}

/** A member to add; `permissions` becomes a role holding exactly those permissions. */
export interface MemberInput {
  userId?: string;
  username?: string;
  globalName?: string;
  nick?: string;
  /** Roles of the guild (from `addRole`); not @everyone, which every member has implicitly, nor a bot's role. */
  roleIds?: string[];
  permissions?: PermissionsInput;
}

/** Ids of a created guild. */
export interface CreatedGuild {
  guildId: string;
  ownerId: string;
  /** The created channels, in the order given. */
  channelIds: string[];
  botRoleId: string;
}
