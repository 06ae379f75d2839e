import { terminalJobStatuses } from "@replibot/core";
import type { SlackAppDeps } from "../deps.ts";
import { replies } from "../replies.ts";
import { jobOfThisWorkspace } from "./own-job.ts";
import type { SlackOrigin } from "./start-job.ts";

/** Action id prefix of a Cancel button: it names the job row, so it works after every restart. */
export const CANCEL_PREFIX = "cancel:";

/** Cancel: only the member who asked, in the job's own workspace, may press it; the worker cancels the prediction. */
export async function cancel(deps: SlackAppDeps, origin: SlackOrigin, jobId: string): Promise<void> {
  const found = await jobOfThisWorkspace(deps, origin, jobId);
  if (!found.ok) return origin.tell(found.reason);
  const { job } = found;
  if (job.userId !== origin.userId) return origin.tell(replies.onlyAskerCancels);
  if (terminalJobStatuses.includes(job.status)) return origin.tell(replies.alreadyFinished);
  await deps.producer.enqueue("cancel", { jobId, byUserId: origin.userId }, { jobId: `cancel-${jobId}` });
}
