import { type JobPayload, SYSTEM_CANCELLER } from "@replibot/core";
import { getJob, transitionJob } from "@replibot/db";
import type { WorkerDeps } from "../deps.ts";
import { finishJob } from "../finish.ts";
import { jobLog } from "../job-log.ts";
import { messages } from "../messages.ts";

/** Thrown while a job is between "creating" and a recorded prediction; BullMQ retries shortly. */
class NotYetCancellableError extends Error {}

/**
 * Cancels a job for the member who asked for it (or for Replibot itself, when a workspace left): a queued job ends at once, uncharged; a running
 * one has its prediction cancelled at Replicate, and its completion writes what was charged.
 */
export async function cancelJob(deps: WorkerDeps, { jobId, byUserId }: JobPayload<"cancel">): Promise<void> {
  const job = await getJob(deps.db, jobId);
  if (!job || (job.userId !== byUserId && byUserId !== SYSTEM_CANCELLER)) return;
  if (job.status === "queued") {
    if (await transitionJob(deps.db, jobId, ["queued"], "canceled")) {
      await finishJob(deps, job, "canceled", { text: messages.cancelledBeforeStart });
    }
    return;
  }
  if (job.status === "creating")
    throw new NotYetCancellableError(`job ${jobId} is still creating its prediction`);
  if (job.status !== "running" || !job.predictionId) return;
  jobLog(deps.logger, job).info({ byUserId }, "cancelling the prediction");
  const prediction = await deps.replicate.cancelPrediction(job.predictionId);
  await deps.producer.enqueue(
    "complete",
    { jobId, predictionId: prediction.id, source: "poll" },
    { jobId: `complete-${prediction.id}-cancel` },
  );
}
