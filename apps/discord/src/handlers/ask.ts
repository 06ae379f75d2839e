import { jobIdFromEvent } from "@replibot/core";
import { insertJob, upsertTenant } from "@replibot/db";
import { resolveCatalogModel } from "@replibot/replicate";
import { type ChatInputCommandInteraction, MessageFlags } from "discord.js";
import { ASK_PROMPT_MAX } from "../commands.ts";
import type { DiscordAppDeps } from "../deps.ts";
import { replies } from "../replies.ts";
import { tenantOf } from "../tenant-of.ts";

/** An interaction token works for 15 minutes after the command. */
const INTERACTION_TOKEN_LIFETIME_MS = 15 * 60_000;

/**
 * `/ask prompt [model]`: refuses bad input ephemerally (no job), otherwise defers at once, writes
 * the job row and enqueues it. Never calls Replicate.
 */
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
  const tenant = tenantOf(interaction.guildId, deps.config);
  if (!tenant.ok) return void (await refuse(tenant.reply));

  const deferred = await interaction.deferReply({ withResponse: true });
  const jobId = jobIdFromEvent("discord", interaction.id);
  try {
    const row = await upsertTenant(deps.db, "discord", tenant.guildId, interaction.guild?.name);
    const inserted = await insertJob(deps.db, {
      id: jobId,
      tenantId: row.id,
      userId: interaction.user.id,
      kind: "ask",
      model: resolved.model.id,
      input: { prompt, model: resolved.model.id },
      replyTarget: {
        platform: "discord",
        applicationId: deps.config.applicationId,
        interactionToken: interaction.token,
        channelId: interaction.channelId,
        messageId: deferred.resource?.message?.id ?? "@original",
        tokenExpiresAtMs: interaction.createdTimestamp + INTERACTION_TOKEN_LIFETIME_MS,
      },
    });
    if (!inserted) return;
  } catch (error) {
    deps.logger.error({ err: error, jobId }, "could not write the job");
    await interaction.editReply({ content: replies.databaseDown, allowedMentions: { parse: [] } });
    return;
  }
  try {
    await deps.producer.enqueue("run", { jobId }, { jobId: `run-${jobId}` });
  } catch (error) {
    // The row is queued in Postgres: the reconciler enqueues it once Redis answers again.
    deps.logger.warn({ err: error, jobId }, "enqueue failed; the reconciler will retry");
  }
}
