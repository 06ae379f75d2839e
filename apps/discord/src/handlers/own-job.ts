import { getJob, getTenant, type JobRow } from "@replibot/db";
import type { ButtonInteraction } from "discord.js";
import type { DiscordAppDeps } from "../deps.ts";
import { replies } from "../replies.ts";
import { tenantOf } from "../tenant-of.ts";

/**
 * The job a button names, only when it belongs to the server the button was pressed in (or, in a
 * DM, to DM_TENANT): a custom id comes from the member's client, so a tampered one can name any job.
 */
export async function jobOfThisServer(
  deps: DiscordAppDeps,
  interaction: ButtonInteraction,
  jobId: string,
): Promise<{ ok: true; job: JobRow } | { ok: false; reason: string }> {
  const tenant = tenantOf(interaction.guildId, deps.config);
  if (!tenant.ok) return { ok: false, reason: tenant.reply };
  const job = await getJob(deps.db, jobId);
  if (!job) return { ok: false, reason: replies.unknownJob };
  const owner = await getTenant(deps.db, job.tenantId);
  if (owner?.platform !== "discord" || owner.externalId !== tenant.guildId) {
    return { ok: false, reason: replies.otherServersJob };
  }
  return { ok: true, job };
}
