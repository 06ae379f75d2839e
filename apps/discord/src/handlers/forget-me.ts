import { forgottenText } from "@replibot/chat";
import { forgetMember } from "@replibot/db";
import { type ChatInputCommandInteraction, MessageFlags } from "discord.js";
import type { DiscordAppDeps } from "../deps.ts";
import { replies } from "../replies.ts";

/** `/forget-me`: any member deletes what Replibot keeps of their words, in every server; answered privately. */
export async function handleForgetMe(
  deps: DiscordAppDeps,
  interaction: ChatInputCommandInteraction,
): Promise<void> {
  try {
    const forgotten = await forgetMember(deps.db, "discord", interaction.user.id);
    deps.logger.info({ forgotten }, "a member asked to be forgotten");
    await interaction.reply({ content: forgottenText(forgotten), flags: MessageFlags.Ephemeral });
  } catch (error) {
    deps.logger.error({ err: error }, "forget-me failed");
    await interaction.reply({ content: replies.databaseDown, flags: MessageFlags.Ephemeral });
  }
}
