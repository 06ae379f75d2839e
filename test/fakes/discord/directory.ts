import { GatewayIntentBits } from "discord-api-types/v10";
import type { FakeClock } from "../clock.ts";
import type {
  ChannelInput,
  CreatedGuild,
  GuildInput,
  MemberInput,
  PermissionsInput,
} from "./directory-inputs.ts";
import type { FakeGateway } from "./gateway.ts";
import { checkMemberRoles } from "./guild-updates.ts";
import { hasIntent } from "./intents.ts";
import { defaultEveryonePermissions, type PermissionOverwrite, permissionBits } from "./permissions.ts";
import { channelJson, guildCreateJson, memberJson, roleJson } from "./shapes.ts";
import type { IdFactory } from "./snowflake.ts";
import type { FakeState, StoredChannel, StoredGuild, StoredRole } from "./state.ts";

/** Creates users, guilds, channels, roles and members, and tells a connected bot as Discord would. */
export function createDirectory(deps: {
  state: FakeState;
  clock: FakeClock;
  ids: IdFactory;
  gateway: FakeGateway;
}) {
  const { state, ids, gateway } = deps;
  const dispatchIf = (event: string, intent: number, build: () => Record<string, unknown>) =>
    gateway.dispatch(event, (intents) => (hasIntent(intents, intent) ? build() : null));

  const addUser = (input: { id?: string; username: string; globalName?: string; bot?: boolean }): string => {
    const id = input.id ?? ids.snowflake();
    state.users.set(id, {
      id,
      username: input.username,
      globalName: input.globalName ?? null,
      bot: input.bot ?? false,
    });
    return id;
  };

  const addRole = (guildId: string, input: { name: string; permissions?: PermissionsInput }): string => {
    const guild = state.guild(guildId);
    const role: StoredRole = {
      id: ids.snowflake(),
      name: input.name,
      permissions: permissionBits(input.permissions ?? []),
      position: guild.roles.size,
      botId: null,
    };
    guild.roles.set(role.id, role);
    dispatchIf("GUILD_ROLE_CREATE", GatewayIntentBits.Guilds, () => ({
      guild_id: guildId,
      role: roleJson(role),
    }));
    return role.id;
  };

  /** Stores a guild channel without telling the bot. */
  const storeChannel = (guildId: string, input: ChannelInput): StoredChannel => {
    const overwrites: PermissionOverwrite[] = (input.overwrites ?? []).map((o) => ({
      id: o.id,
      type: o.type,
      allow: permissionBits(o.allow ?? []),
      deny: permissionBits(o.deny ?? []),
    }));
    if (input.botDeny !== undefined) {
      overwrites.push({
        id: state.applicationId,
        type: "member",
        allow: 0n,
        deny: permissionBits(input.botDeny),
      });
    }
    const channel: StoredChannel = {
      id: input.id ?? ids.snowflake(),
      kind: input.kind ?? "text",
      guildId,
      name: input.name ?? "general",
      position: [...state.channels.values()].filter((c) => c.guildId === guildId).length,
      parentId: null,
      topic: input.topic ?? null,
      nsfw: input.nsfw ?? false,
      overwrites,
      recipientId: null,
      ownerId: null,
      createdAt: deps.clock.now(),
      lastMessageId: null,
    };
    state.channels.set(channel.id, channel);
    return channel;
  };

  const addChannel = (guildId: string, input: ChannelInput = {}): string => {
    const channel = storeChannel(state.guild(guildId).id, input);
    dispatchIf("CHANNEL_CREATE", GatewayIntentBits.Guilds, () => channelJson(state, channel));
    return channel.id;
  };

  const addMember = (guildId: string, input: MemberInput): string => {
    const guild = state.guild(guildId);
    // Checked before a new user is created, so a refused call leaves nothing behind.
    const roleIds = checkMemberRoles(guild, input.roleIds ?? []);
    let userId = input.userId;
    if (!userId || !state.users.has(userId)) {
      if (!input.username) throw new Error("addMember needs a username for a new user");
      userId = addUser({
        ...(userId ? { id: userId } : {}),
        username: input.username,
        ...(input.globalName ? { globalName: input.globalName } : {}),
      });
    }
    if (input.permissions !== undefined) {
      roleIds.push(
        addRole(guildId, {
          name: `perms-${permissionBits(input.permissions)}`,
          permissions: input.permissions,
        }),
      );
    }
    const member = { userId, roleIds, joinedAt: deps.clock.now(), nick: input.nick ?? null };
    guild.members.set(userId, member);
    dispatchIf("GUILD_MEMBER_ADD", GatewayIntentBits.GuildMembers, () => ({
      ...memberJson(state, member, { withUser: true }),
      guild_id: guild.id,
    }));
    return userId;
  };

  return {
    /** Creates a user (not in any guild); returns its id. */
    addUser,
    /** Creates a role in a guild; returns its id. */
    addRole,
    /** Creates a text channel in a guild (CHANNEL_CREATE to a connected bot); returns its id. */
    addChannel,
    /** Adds a user (created when `userId` is new) to a guild; `permissions` becomes a role. Returns the user id. */
    addMember,
    /** Creates a guild with an owner, the bot as a member, and channels (GUILD_CREATE to a connected bot). */
    addGuild(input: GuildInput = {}): CreatedGuild {
      const guildId = input.id ?? ids.snowflake();
      const ownerId = input.ownerId ?? addUser({ username: "owner", globalName: "Owner" });
      if (!state.users.has(ownerId)) throw new Error(`owner ${ownerId} is not a known user; addUser first`);
      const everyone: StoredRole = {
        id: guildId,
        name: "@everyone",
        permissions: permissionBits(input.everyonePermissions ?? defaultEveryonePermissions),
        position: 0,
        botId: null,
      };
      const botRole: StoredRole = {
        id: ids.snowflake(),
        name: state.user(state.applicationId).username,
        permissions: permissionBits(input.botPermissions ?? []),
        position: 1,
        botId: state.applicationId,
      };
      const now = deps.clock.now();
      const guild: StoredGuild = {
        id: guildId,
        name: input.name ?? "Test Guild",
        ownerId,
        locale: input.locale ?? "en-US",
        roles: new Map([
          [everyone.id, everyone],
          [botRole.id, botRole],
        ]),
        members: new Map([
          [ownerId, { userId: ownerId, roleIds: [], joinedAt: now, nick: null }],
          [
            state.applicationId,
            { userId: state.applicationId, roleIds: [botRole.id], joinedAt: now, nick: null },
          ],
        ]),
        joinedAt: now,
      };
      state.guilds.set(guildId, guild);
      // Channels are created before the bot hears of the guild, so they arrive inside GUILD_CREATE.
      const channelIds = (input.channels ?? [{ name: "general" }]).map((c) => storeChannel(guildId, c).id);
      dispatchIf("GUILD_CREATE", GatewayIntentBits.Guilds, () => guildCreateJson(state, guild));
      return { guildId, ownerId, channelIds, botRoleId: botRole.id };
    },
    /** The DM channel between the bot and a user (created once); returns its id. */
    addDmChannel(userId: string): string {
      state.user(userId);
      const existing = [...state.channels.values()].find((c) => c.kind === "dm" && c.recipientId === userId);
      if (existing) return existing.id;
      const id = ids.snowflake();
      state.channels.set(id, {
        id,
        kind: "dm",
        guildId: null,
        name: null,
        position: 0,
        parentId: null,
        topic: null,
        nsfw: false,
        overwrites: [],
        recipientId: userId,
        ownerId: null,
        createdAt: deps.clock.now(),
        lastMessageId: null,
      });
      return id;
    },
  };
}

/** The handle's directory actions. */
export type Directory = ReturnType<typeof createDirectory>;
