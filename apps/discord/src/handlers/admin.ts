import { periodOf, upsertTenant } from "@replibot/db";
import { type ChatInputCommandInteraction, MessageFlags, PermissionFlagsBits } from "discord.js";
import type { DiscordAppDeps } from "../deps.ts";

/** The words admins see. */
export const adminReplies = {
  notAdmin: "Only members with the Manage Server permission can use this.",
  notInGuild: "This command works in a server, not in direct messages.",
  memberNotHere: "That member is not in this server.",
};

/** An admin command's context: the interaction, its tenant row, and ephemeral replies. */
export interface AdminContext {
  interaction: ChatInputCommandInteraction;
  tenantId: string;
  period: string;
  say(content: string): Promise<void>;
}

/**
 * Runs `handler` only for a member with Manage Server in a guild (checked here too, not only by
 * Discord's default_member_permissions); everyone else gets an ephemeral refusal and nothing changes.
 */
export async function asAdmin(
  deps: DiscordAppDeps,
  interaction: ChatInputCommandInteraction,
  handler: (context: AdminContext) => Promise<void>,
): Promise<void> {
  const say = async (content: string) => {
    await interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
  };
  if (!interaction.guildId) return say(adminReplies.notInGuild);
  if (!interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) return say(adminReplies.notAdmin);
  const tenant = await upsertTenant(deps.db, "discord", interaction.guildId, interaction.guild?.name);
  await handler({ interaction, tenantId: tenant.id, period: periodOf(new Date()), say });
}
