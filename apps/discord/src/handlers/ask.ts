import { resolveCatalogModel } from "@replibot/replicate";
import { type ChatInputCommandInteraction, MessageFlags } from "discord.js";
import { ASK_PROMPT_MAX } from "../commands.ts";
import type { DiscordAppDeps } from "../deps.ts";
import { replies } from "../replies.ts";
import { startJob } from "./start-job.ts";

/** `/ask prompt [model]`: bad input is refused ephemerally (no job); otherwise a job is queued. */
export async function handleAsk(
  deps: DiscordAppDeps,
  interaction: ChatInputCommandInteraction,
): Promise<void> {
  const prompt = interaction.options.getString("prompt", true).trim();
  const model = interaction.options.getString("model") ?? undefined;
  const refuse = (content: string) =>
    interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
  if (!prompt) return void (await refuse(replies.emptyPrompt));
  if (prompt.length > ASK_PROMPT_MAX) return void (await refuse(replies.promptTooLong(ASK_PROMPT_MAX)));
  const resolved = resolveCatalogModel(deps.catalog, "ask", model);
  if (!resolved.ok) return void (await refuse(replies.unknownModel(model ?? "", resolved.choices)));
  await startJob(deps, interaction, {
    kind: "ask",
    model: resolved.model.id,
    input: { prompt, model: resolved.model.id },
    explicitModel: model !== undefined,
  });
}
