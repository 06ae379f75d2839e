import { memorySettingsText, retentionText, systemPromptText } from "@replibot/chat";
import { retentionDaysProblem } from "@replibot/core";
import {
  recordSettingChange,
  setAnswerInThreads,
  setMemory,
  setRetentionDays,
  setSystemPrompt,
} from "@replibot/db";
import type { ChatInputCommandInteraction } from "discord.js";
import type { DiscordAppDeps } from "../deps.ts";
import { asAdmin } from "./admin.ts";
import { handlePolicySettings } from "./settings-policy.ts";

/** `/replibot-settings …`: admins only; memory, threads, the system prompt and retention here, the policy in settings-policy.ts. */
export async function handleSettings(
  deps: DiscordAppDeps,
  interaction: ChatInputCommandInteraction,
): Promise<void> {
  await asAdmin(deps, interaction, async ({ tenantId, say }) => {
    const audit = (setting: string, after: unknown) =>
      recordSettingChange(deps.db, { tenantId, actorId: interaction.user.id, setting, after });
    switch (interaction.options.getSubcommand()) {
      case "memory": {
        const turns = interaction.options.getInteger("turns", true);
        const contextTokenCap = interaction.options.getInteger("context_tokens") ?? null;
        await setMemory(deps.db, tenantId, { turns, contextTokenCap });
        await audit("memory", { turns, contextTokenCap });
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
        await audit("threads", on);
        return say(threadsText(on, deps.messageContent?.() ?? false));
      }
      case "system-prompt": {
        const text = interaction.options.getString("text")?.trim() || null;
        await setSystemPrompt(deps.db, tenantId, text);
        await audit("system-prompt", text);
        return say(systemPromptText(text, "discord"));
      }
      case "retention": {
        // Discord's client keeps days within the registered bounds; a crafted interaction may not.
        const days = interaction.options.getInteger("days");
        const problem = days === null ? undefined : retentionDaysProblem(days);
        if (problem) return say(problem);
        await setRetentionDays(deps.db, { tenantId, actorId: interaction.user.id }, days);
        return say(retentionText({ days, defaultDays: deps.config.defaultRetentionDays ?? 30 }, "discord"));
      }
      default:
        return handlePolicySettings(deps, interaction, { tenantId, say });
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
