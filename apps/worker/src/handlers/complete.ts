import type { JobPayload } from "@replibot/core";
import { getJob, periodOf, settleCharge, transitionJob } from "@replibot/db";
import { actualCostNanos, isTerminalStatus } from "@replibot/replicate";
import { rememberTurn } from "../conversation.ts";
import type { WorkerDeps } from "../deps.ts";
import { endStatus, finalImageMessage, finalText, NSFW_ERROR } from "../final-message.ts";
import { finishJob, withJobLock } from "../finish.ts";
import { jobLog } from "../job-log.ts";
import { jobModel } from "../job-model.ts";
import { sendSpendAlerts } from "../spend-alerts.ts";
import { transcriptText } from "../transcript-message.ts";

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
    jobLog(deps.logger, { id: job.id, predictionId: payload.predictionId }).warn(
      { recordedPredictionId: job.predictionId },
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
    const charged = await settleCharge(deps.db, {
      jobId: job.id,
      predictionId: prediction.id,
      model: resolved.model.model,
      costNanos: cost.costNanos,
      billing: cost.breakdown.billing,
      breakdown: cost.breakdown,
      priceListDate: cost.breakdown.priceListDate,
      predictionStatus: prediction.status,
    });
    const image =
      fresh.kind === "imagine" &&
      (prediction.status === "succeeded" || NSFW_ERROR.test(String(prediction.error ?? "")))
        ? await finalImageMessage(fresh, prediction, resolved.model, cost.costNanos)
        : undefined;
    const error = image?.error ?? (prediction.error ? String(prediction.error) : undefined);
    await finishJob(
      deps,
      fresh,
      image?.status ?? endStatus(fresh, prediction, deps.now()),
      image?.message ?? {
        text:
          fresh.kind === "transcribe" && prediction.status === "succeeded"
            ? transcriptText(prediction, resolved.model.label, cost.costNanos)
            : finalText(fresh, prediction, resolved.model.label, cost.costNanos, deps.now()),
      },
      { ...(error ? { error } : {}), afterWrite: () => rememberTurn(deps, fresh, prediction) },
    );
    // After the member's answer: an alert is news for admins, not part of the answer.
    if (charged) await sendSpendAlerts(deps, fresh.tenantId, periodOf(fresh.createdAt));
  });
}
