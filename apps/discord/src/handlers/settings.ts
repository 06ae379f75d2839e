import { memorySettingsText, systemPromptText } from "@replibot/chat";
import { setMemory, setSystemPrompt } from "@replibot/db";
import type { ChatInputCommandInteraction } from "discord.js";
import type { DiscordAppDeps } from "../deps.ts";
import { replies } from "../replies.ts";
import { asAdmin } from "./admin.ts";

/** `/replibot-settings memory|system-prompt`: admins only; the other settings answer that they are not built yet. */
export async function handleSettings(
  deps: DiscordAppDeps,
  interaction: ChatInputCommandInteraction,
): Promise<void> {
  await asAdmin(deps, interaction, async ({ tenantId, say }) => {
    switch (interaction.options.getSubcommand()) {
      case "memory": {
        const turns = interaction.options.getInteger("turns", true);
        const contextTokenCap = interaction.options.getInteger("context_tokens") ?? null;
        await setMemory(deps.db, tenantId, { turns, contextTokenCap });
        return say(
          memorySettingsText({
            turns,
            contextTokenCap,
            platform: "discord",
            readsMessages: deps.messageContent?.() ?? false,
          }),
        );
      }
      case "system-prompt": {
        const text = interaction.options.getString("text")?.trim() || null;
        await setSystemPrompt(deps.db, tenantId, text);
        return say(systemPromptText(text, "discord"));
      }
      default:
        return say(replies.notYetAvailable);
    }
  });
}
