import { ReplyTarget } from "@replibot/core";
import { getJob, type JobRow } from "@replibot/db";
import type { SlackAppDeps } from "../deps.ts";
import { replies } from "../replies.ts";
import type { SlackOrigin } from "./start-job.ts";

/**
 * The job a button names, only when its answer was posted in the workspace the button was pressed
 * in: an action id comes from the request, so a tampered one can name any job.
 */
export async function jobOfThisWorkspace(
  deps: SlackAppDeps,
  origin: SlackOrigin,
  jobId: string,
): Promise<{ ok: true; job: JobRow } | { ok: false; reason: string }> {
  const job = await getJob(deps.db, jobId);
  if (!job) return { ok: false, reason: replies.unknownJob };
  // The reply's workspace, not the payer: a DM charged to DM_TENANT still lives in this workspace.
  const target = ReplyTarget.safeParse(job.replyTarget);
  if (!target.success || target.data.platform !== "slack" || target.data.teamId !== origin.teamId) {
    return { ok: false, reason: replies.otherWorkspacesJob };
  }
  return { ok: true, job };
}
