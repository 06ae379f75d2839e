import { SYSTEM_CANCELLER } from "@replibot/core";
import { deleteSlackInstallation, stopTenantJobs } from "@replibot/db";
import type { SlackAppDeps } from "../deps.ts";

/**
 * A workspace removed the app (`app_uninstalled`) or revoked its bot token (`tokens_revoked`): its
 * queued jobs are cancelled with their holds released, running ones are cancelled by the worker,
 * and its stored installation (tokens included) is deleted. Safe to run twice.
 */
export async function workspaceLeft(deps: SlackAppDeps, teamId: string, why: string): Promise<void> {
  const stopped = await stopTenantJobs(deps.db, { platform: "slack", externalId: teamId, reason: why });
  for (const jobId of stopped.running) {
    await deps.producer.enqueue(
      "cancel",
      { jobId, byUserId: SYSTEM_CANCELLER },
      { jobId: `cancel-${jobId}` },
    );
  }
  const deleted = await deleteSlackInstallation(deps.db, teamId);
  deps.logger.info(
    { teamId, why, canceled: stopped.canceledQueued.length, running: stopped.running.length, deleted },
    "Slack workspace left",
  );
}
