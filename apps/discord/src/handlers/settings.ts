import { memorySettingsText, systemPromptText } from "@replibot/chat";
import { setAnswerInThreads, setMemory, setSystemPrompt } from "@replibot/db";
import type { ChatInputCommandInteraction } from "discord.js";
import type { DiscordAppDeps } from "../deps.ts";
import { replies } from "../replies.ts";
import { asAdmin } from "./admin.ts";

/** `/replibot-settings memory|threads|system-prompt`: admins only; the other settings answer that they are not built yet. */
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
      case "threads": {
        const on = interaction.options.getBoolean("enabled", true);
        await setAnswerInThreads(deps.db, tenantId, on);
        return say(threadsText(on, deps.messageContent?.() ?? false));
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

/** What `/replibot-settings threads` answers. */
function threadsText(on: boolean, readsMessages: boolean): string {
  const said = on
    ? "Each answer now gets a thread; anything written in it continues that conversation."
    : "Answers no longer get threads; members continue a conversation by replying to an answer.";
  return readsMessages
    ? said
    : `${said}\nNote: the bot runs without Discord's Message Content intent, so messages in threads are not answered.`;
}
