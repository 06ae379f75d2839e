import type { OutgoingMessage } from "@replibot/chat";
import { formatUsd, type JobPayload, type JobStatus } from "@replibot/core";
import { getJob, type JobRow, periodOf, settleCharge, transitionJob } from "@replibot/db";
import { actualCostNanos, type CatalogModel, isTerminalStatus, type Prediction } from "@replibot/replicate";
import type { WorkerDeps } from "../deps.ts";
import { finishJob, withJobLock } from "../finish.ts";
import { downloadImages, imageUrls } from "../image-download.ts";
import { jobModel } from "../job-model.ts";
import { messages, promptHeading, withStatus } from "../messages.ts";
import { sendSpendAlerts } from "../spend-alerts.ts";

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

const NSFW_ERROR = /NSFW content detected/i;

/** The seed an image was made with: the model's log says it, else the input had it. */
function seedOf(prediction: Prediction): string | undefined {
  const logged = /Using seed: (\d+)/.exec(prediction.logs ?? "")?.[1];
  const input = prediction.input?.seed;
  return logged ?? (typeof input === "number" ? String(input) : undefined);
}

/** The final message of an image job: the image itself, or why there is none. */
async function finalImageMessage(
  job: JobRow,
  prediction: Prediction,
  model: CatalogModel,
  costNanos: bigint,
): Promise<{ status: JobStatus; message: OutgoingMessage; error?: string }> {
  const heading = promptHeading(job.input);
  const charged = costNanos > 0n ? `Charged ${formatUsd(costNanos)}.` : "Not charged.";
  if (prediction.status === "failed" && NSFW_ERROR.test(String(prediction.error ?? ""))) {
    return {
      status: "failed",
      error: "withheld for safety",
      message: {
        text: withStatus(
          heading,
          `**Withheld for safety**: the model flagged this image as unsafe, so it was not posted. ${charged}`,
        ),
      },
    };
  }
  if (prediction.status !== "succeeded") return { status: "failed", message: { text: "" } };
  const download = await downloadImages(imageUrls(prediction.output), `replibot-${job.id}`);
  if (!download.ok) {
    return {
      status: "failed",
      error: download.reason,
      message: { text: withStatus(heading, messages.failed(download.reason, costNanos)) },
    };
  }
  const seed = seedOf(prediction);
  return {
    status: "succeeded",
    message: {
      text: `${heading}\n-# ${model.label}${seed ? ` · seed ${seed}` : ""} · ${formatUsd(costNanos)}`,
      files: download.files,
      buttons: [{ id: `regenerate:${job.id}`, label: "Regenerate", style: "secondary" }],
    },
  };
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
        text: finalText(fresh, prediction, resolved.model.label, cost.costNanos, deps.now()),
      },
      error ? { error } : {},
    );
    // After the member's answer: an alert is news for admins, not part of the answer.
    if (charged) await sendSpendAlerts(deps, fresh.tenantId, periodOf(fresh.createdAt));
  });
}
