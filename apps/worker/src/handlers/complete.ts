import type { JobPayload, JobStatus } from "@replibot/core";
import { getJob, type JobRow, settleCharge, transitionJob } from "@replibot/db";
import { actualCostNanos, isTerminalStatus, type Prediction } from "@replibot/replicate";
import type { WorkerDeps } from "../deps.ts";
import { finishJob, withJobLock } from "../finish.ts";
import { jobModel } from "../job-model.ts";
import { messages, withStatus } from "../messages.ts";

function outputText(prediction: Prediction): string {
  const { output } = prediction;
  if (Array.isArray(output)) return output.filter((piece) => typeof piece === "string").join("");
  return typeof output === "string" ? output : "";
}

function deadlinePassed(job: JobRow, nowMs: number): boolean {
  return job.deadlineAt !== null && nowMs >= job.deadlineAt.getTime();
}

function endStatus(job: JobRow, prediction: Prediction, nowMs: number): JobStatus {
  switch (prediction.status) {
    case "succeeded":
      return "succeeded";
    case "canceled":
      return deadlinePassed(job, nowMs) ? "timed_out" : "canceled";
    case "aborted":
      return "timed_out";
    default:
      return "failed";
  }
}

/** The final words of an answer, from the prediction as Replicate reports it. */
function finalText(
  job: JobRow,
  prediction: Prediction,
  modelLabel: string,
  costNanos: bigint,
  nowMs: number,
): string {
  const text = outputText(prediction);
  switch (prediction.status) {
    case "succeeded":
      return withStatus(text, messages.footer(modelLabel, costNanos));
    case "canceled":
      return withStatus(
        text,
        deadlinePassed(job, nowMs) ? messages.timedOut(costNanos) : messages.cancelled(costNanos),
      );
    case "aborted":
      return messages.timedOut(costNanos);
    default:
      return withStatus(
        text,
        messages.failed(prediction.error ? String(prediction.error) : "the model failed", costNanos),
      );
  }
}

/**
 * Completes a job from its prediction's authoritative state: settles the spend exactly once,
 * moves the job to its end status and writes the final message. Any number of reports (webhooks,
 * the stream's end, the reconciler), in any order, end with one final message and one charge.
 */
export async function completeJob(deps: WorkerDeps, payload: JobPayload<"complete">): Promise<void> {
  const job = await getJob(deps.db, payload.jobId);
  if (!job || job.finalWrittenAt) return;
  if (job.predictionId === null && job.status === "creating") {
    // The webhook names our job: the prediction is ours even if its id was never recorded.
    await transitionJob(deps.db, job.id, ["creating"], "running", { predictionId: payload.predictionId });
  } else if (job.predictionId !== payload.predictionId) {
    deps.logger.warn(
      { jobId: job.id, predictionId: payload.predictionId },
      "completion for another prediction",
    );
    return;
  }
  const prediction = await deps.replicate.getPrediction(payload.predictionId);
  if (!isTerminalStatus(prediction.status)) return;

  await withJobLock(deps, job.id, async () => {
    const fresh = await getJob(deps.db, job.id);
    if (!fresh || fresh.finalWrittenAt) return;
    const resolved = jobModel(deps, fresh);
    if (!resolved.ok) throw new Error(`job ${job.id} has no catalog model: ${resolved.reason}`);
    const cost = actualCostNanos(resolved.model, prediction);
    await settleCharge(deps.db, {
      jobId: job.id,
      predictionId: prediction.id,
      model: resolved.model.model,
      costNanos: cost.costNanos,
      billing: cost.breakdown.billing,
      breakdown: cost.breakdown,
      priceListDate: cost.breakdown.priceListDate,
      predictionStatus: prediction.status,
    });
    await finishJob(
      deps,
      fresh,
      endStatus(fresh, prediction, deps.now()),
      { text: finalText(fresh, prediction, resolved.model.label, cost.costNanos, deps.now()) },
      { ...(prediction.error ? { error: String(prediction.error) } : {}) },
    );
  });
}
