import type { OutgoingMessage } from "@replibot/chat";
import { formatUsd, type JobStatus } from "@replibot/core";
import type { JobRow } from "@replibot/db";
import type { CatalogModel, Prediction } from "@replibot/replicate";
import { downloadImages, imageUrls } from "./image-download.ts";
import { messages, promptHeading, withStatus } from "./messages.ts";

/** The text an LLM prediction produced. */
export function outputText(prediction: Prediction): string {
  const { output } = prediction;
  if (Array.isArray(output)) return output.filter((piece) => typeof piece === "string").join("");
  return typeof output === "string" ? output : "";
}

function deadlinePassed(job: JobRow, nowMs: number): boolean {
  return job.deadlineAt !== null && nowMs >= job.deadlineAt.getTime();
}

/** The job status a finished prediction ends its job in. */
export function endStatus(job: JobRow, prediction: Prediction, nowMs: number): JobStatus {
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
export function finalText(
  job: JobRow,
  prediction: Prediction,
  modelLabel: string,
  costNanos: bigint,
  nowMs: number,
): string {
  const text = outputText(prediction);
  switch (prediction.status) {
    case "succeeded":
      return withStatus(
        text,
        [
          ...(job.contextLeftOut > 0 ? [messages.contextLeftOut(job.contextLeftOut)] : []),
          messages.footer(modelLabel, costNanos),
        ].join("\n"),
      );
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

/** How Replicate's image models say they refused an unsafe image. */
export const NSFW_ERROR = /NSFW content detected/i;

/** The seed an image was made with: the model's log says it, else the input had it. */
function seedOf(prediction: Prediction): string | undefined {
  const logged = /Using seed: (\d+)/.exec(prediction.logs ?? "")?.[1];
  const input = prediction.input?.seed;
  return logged ?? (typeof input === "number" ? String(input) : undefined);
}

/** The final message of an image job: the image itself, or why there is none. */
export async function finalImageMessage(
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
