import { cancelButton } from "@replibot/chat";
import { terminalJobStatuses } from "@replibot/core";
import { type ButtonInteraction, ButtonStyle, MessageFlags } from "discord.js";
import type { DiscordAppDeps } from "../deps.ts";
import { replies } from "../replies.ts";
import { jobOfThisServer } from "./own-job.ts";

/** Custom id of a Cancel button: it names the job row, so it works after every restart. */
export const CANCEL_PREFIX = "cancel:";

/** Cancel: only the member who asked, in the job's own server, may press it; the worker cancels the prediction. */
export async function handleCancelButton(
  deps: DiscordAppDeps,
  interaction: ButtonInteraction,
): Promise<void> {
  const jobId = interaction.customId.slice(CANCEL_PREFIX.length);
  const refuse = (content: string) =>
    interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
  const found = await jobOfThisServer(deps, interaction, jobId);
  if (!found.ok) return void (await refuse(found.reason));
  const { job } = found;
  if (job.userId !== interaction.user.id) return void (await refuse(replies.onlyAskerCancels));
  if (terminalJobStatuses.includes(job.status)) return void (await refuse(replies.alreadyFinished));
  await interaction.deferUpdate();
  await deps.producer.enqueue(
    "cancel",
    { jobId, byUserId: interaction.user.id },
    { jobId: `cancel-${jobId}` },
  );
}

/** A placeholder the bot posts itself (a reply, a thread message): its words and the asker's Cancel button. */
export function placeholderWithCancel(content: string, jobId: string) {
  return {
    content,
    components: [
      {
        type: 1,
        components: [
          { type: 2, style: ButtonStyle.Danger, label: "Cancel", custom_id: cancelButton(jobId).id },
        ],
      },
    ],
    allowedMentions: { repliedUser: false, parse: [] as [] },
  };
}
