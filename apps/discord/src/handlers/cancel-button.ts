import { terminalJobStatuses } from "@replibot/core";
import { getJob } from "@replibot/db";
import { type ButtonInteraction, MessageFlags } from "discord.js";
import type { DiscordAppDeps } from "../deps.ts";
import { replies } from "../replies.ts";

/** Custom id of a Cancel button: it names the job row, so it works after every restart. */
export const CANCEL_PREFIX = "cancel:";

/** Cancel: only the member who asked may press it; the worker cancels the prediction. */
export async function handleCancelButton(
  deps: DiscordAppDeps,
  interaction: ButtonInteraction,
): Promise<void> {
  const jobId = interaction.customId.slice(CANCEL_PREFIX.length);
  const refuse = (content: string) =>
    interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
  const job = await getJob(deps.db, jobId);
  if (!job) return void (await refuse(replies.unknownJob));
  if (job.userId !== interaction.user.id) return void (await refuse(replies.onlyAskerCancels));
  if (terminalJobStatuses.includes(job.status)) return void (await refuse(replies.alreadyFinished));
  await interaction.deferUpdate();
  await deps.producer.enqueue(
    "cancel",
    { jobId, byUserId: interaction.user.id },
    { jobId: `cancel-${jobId}` },
  );
}
