import { randomInt } from "node:crypto";
import { ImagineInput } from "@replibot/core";
import { resolveCatalogModel } from "@replibot/replicate";
import { type ButtonInteraction, type ChatInputCommandInteraction, MessageFlags } from "discord.js";
import type { DiscordAppDeps } from "../deps.ts";
import { replies } from "../replies.ts";
import { jobOfThisServer } from "./own-job.ts";
import { startJob } from "./start-job.ts";

/** Custom id of a Regenerate button: it names the job row, so it works after every restart. */
export const REGENERATE_PREFIX = "regenerate:";

/** The schema's field names as members see the options in Discord. */
const optionNames: Record<string, string> = {
  aspectRatio: "aspect_ratio",
  negativePrompt: "negative_prompt",
};

/** `/imagine prompt [aspect_ratio] [negative_prompt] [seed] [model]`. */
export async function handleImagine(
  deps: DiscordAppDeps,
  interaction: ChatInputCommandInteraction,
): Promise<void> {
  const refuse = (content: string) =>
    interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
  const prompt = interaction.options.getString("prompt", true).trim();
  if (!prompt) return void (await refuse(replies.emptyImagePrompt));
  const model = interaction.options.getString("model") ?? undefined;
  const resolved = resolveCatalogModel(deps.catalog, "imagine", model);
  if (!resolved.ok) return void (await refuse(replies.unknownModel(model ?? "", resolved.choices)));
  const input = ImagineInput.safeParse({
    prompt,
    aspectRatio: interaction.options.getString("aspect_ratio") ?? undefined,
    negativePrompt: interaction.options.getString("negative_prompt")?.trim() || undefined,
    seed: interaction.options.getInteger("seed") ?? undefined,
    model: resolved.model.id,
  });
  if (!input.success) {
    const issue = input.error.issues[0];
    const field = String(issue?.path[0] ?? "option");
    return void (await refuse(
      replies.badOption(optionNames[field] ?? field, issue?.message ?? "is invalid"),
    ));
  }
  await startJob(deps, interaction, {
    kind: "imagine",
    model: resolved.model.id,
    input: input.data,
    explicitModel: model !== undefined,
  });
}

/**
 * Regenerate: the same prompt and options with a new seed, by anyone in the image's server, charged
 * to it; another server's image (a tampered custom id) is refused, so its prompt never shows here.
 */
export async function handleRegenerate(deps: DiscordAppDeps, interaction: ButtonInteraction): Promise<void> {
  const jobId = interaction.customId.slice(REGENERATE_PREFIX.length);
  const refuse = (content: string) =>
    interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
  const found = await jobOfThisServer(deps, interaction, jobId);
  if (!found.ok) return void (await refuse(found.reason));
  const original = found.job;
  const parsed = ImagineInput.safeParse(original.input);
  if (original.kind !== "imagine" || !parsed.success) return void (await refuse(replies.unknownJob));
  await startJob(deps, interaction, {
    kind: "imagine",
    model: original.model ?? parsed.data.model ?? deps.catalog.commands.imagine.default,
    input: { ...parsed.data, seed: randomInt(0, 2 ** 32 - 1) },
    parentJobId: original.id,
    explicitModel: true,
  });
}
