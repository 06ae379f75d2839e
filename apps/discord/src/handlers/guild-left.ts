import { SYSTEM_CANCELLER } from "@replibot/core";
import { stopTenantJobs } from "@replibot/db";
import type { DiscordAppDeps } from "../deps.ts";

/**
 * The bot was removed from a server (GUILD_DELETE without `unavailable`; an outage is not a
 * departure): its queued jobs are cancelled with their holds released, and running ones are
 * cancelled at Replicate by the worker, which settles what they used. Safe to run twice.
 */
export async function guildLeft(deps: DiscordAppDeps, guildId: string): Promise<void> {
  const stopped = await stopTenantJobs(deps.db, {
    platform: "discord",
    externalId: guildId,
    reason: "bot removed from the server",
  });
  for (const jobId of stopped.running) {
    await deps.producer.enqueue(
      "cancel",
      { jobId, byUserId: SYSTEM_CANCELLER },
      { jobId: `cancel-${jobId}` },
    );
  }
  deps.logger.info(
    { guildId, canceled: stopped.canceledQueued.length, running: stopped.running.length },
    "left a Discord server",
  );
}
