import { GatewayIntentBits } from "discord-api-types/v10";
import type { FakeGateway } from "./gateway.ts";
import { hasIntent } from "./intents.ts";
import { channelJson, memberJson } from "./shapes.ts";
import type { FakeState, StoredGuild } from "./state.ts";

/**
 * The roles a member may be given, deduplicated; throws for what Discord refuses or never lists in `member.roles`:
 * unknown roles, @everyone (every member has it implicitly) and managed (bot) roles.
 */
export function checkMemberRoles(guild: StoredGuild, roleIds: readonly string[]): string[] {
  for (const id of roleIds) {
    const role = guild.roles.get(id);
    if (!role) throw new Error(`role ${id} is not a role of guild ${guild.id}; addRole first`);
    if (id === guild.id) throw new Error("@everyone is implicit; Discord never lists it in member.roles");
    if (role.botId !== null)
      throw new Error(`role ${id} is managed by an integration; it cannot be assigned`);
  }
  return [...new Set(roleIds)];
}

/** Changes to existing guild channels and members, told to a connected bot with the events Discord sends. */
export function createGuildUpdates(deps: { state: FakeState; gateway: FakeGateway }) {
  const { state, gateway } = deps;
  return {
    /**
     * Marks a text or announcement channel age-restricted or not: CHANNEL_UPDATE (Guilds intent). Threads have no
     * setting of their own; they follow their parent.
     */
    setChannelNsfw(channelId: string, nsfw: boolean): void {
      const channel = state.channels.get(channelId);
      if (!channel) throw new Error(`no channel ${channelId}`);
      if (channel.kind !== "text" && channel.kind !== "announcement") {
        throw new Error(
          `channel ${channelId} is a ${channel.kind}; only text and announcement channels have nsfw`,
        );
      }
      channel.nsfw = nsfw;
      gateway.dispatch("CHANNEL_UPDATE", (intents) =>
        hasIntent(intents, GatewayIntentBits.Guilds) ? channelJson(state, channel) : null,
      );
    },

    /**
     * Replaces a member's roles, as an admin editing them: GUILD_MEMBER_UPDATE, which needs the privileged
     * GuildMembers intent. Interactions carry the new roles either way.
     */
    setMemberRoles(guildId: string, userId: string, roleIds: readonly string[]): void {
      const guild = state.guilds.get(guildId);
      if (!guild) throw new Error(`no guild ${guildId}`);
      const member = guild.members.get(userId);
      if (!member) throw new Error(`user ${userId} is not a member of guild ${guildId}`);
      if (userId === state.applicationId)
        throw new Error("the bot's roles come from addGuild's botPermissions");
      member.roleIds = checkMemberRoles(guild, roleIds);
      gateway.dispatch("GUILD_MEMBER_UPDATE", (intents) =>
        hasIntent(intents, GatewayIntentBits.GuildMembers)
          ? { ...memberJson(state, member, { withUser: true }), guild_id: guild.id }
          : null,
      );
    },
  };
}

/** The handle's channel and member updates. */
export type GuildUpdates = ReturnType<typeof createGuildUpdates>;
