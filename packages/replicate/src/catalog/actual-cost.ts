import { AppError, assertNever } from "@replibot/core";
import { isTerminalStatus, type Prediction } from "../prediction.ts";
import type { CatalogModel } from "./catalog.ts";
import { type CostResult, priceUsage } from "./cost.ts";
import { type Decimal, decimalFromNumber } from "./decimal.ts";

/**
 * What a finished prediction of `model` cost, exactly, rounded up to the nano-dollar once.
 * Time-billed: `metrics.predict_time` × the hardware price, also when it failed or was canceled
 * (an aborted one never ran). Unit-billed: the units produced; nothing when it failed or aborted.
 */
export function actualCostNanos(model: CatalogModel, prediction: Prediction): CostResult {
  const { status } = prediction;
  if (!isTerminalStatus(status)) {
    throw new AppError(
      "invalid_input",
      `prediction ${prediction.id} is still ${status}; its cost is not known yet`,
    );
  }
  const metrics = prediction.metrics ?? {};
  const { billing } = model;
  const notes: string[] = [];
  switch (billing.kind) {
    case "hardware": {
      let seconds: Decimal = { units: 0n, scale: 0 };
      if (status === "aborted") notes.push("aborted before it started: no run time");
      else if (metrics.predict_time === undefined)
        notes.push("metrics.predict_time missing: no run time charged");
      // Through the number's decimal text, never float multiplication: exact to the digit sent.
      else seconds = decimalFromNumber(metrics.predict_time);
      return priceUsage(billing, { kind: "hardware", seconds }, notes);
    }
    case "tokens": {
      if (status === "failed" || status === "aborted") {
        return priceUsage(billing, { kind: "tokens", inputTokens: 0n, outputTokens: 0n }, [
          `${status}: not charged`,
        ]);
      }
      const inputTokens = metrics.input_token_count ?? 0;
      if (metrics.input_token_count === undefined)
        notes.push("metrics.input_token_count missing: counted as 0");
      let outputTokens = metrics.output_token_count;
      if (outputTokens === undefined) {
        outputTokens = Array.isArray(prediction.output) ? prediction.output.length : 0;
        notes.push("metrics.output_token_count missing: counted the output chunks");
      }
      return priceUsage(
        billing,
        { kind: "tokens", inputTokens: BigInt(inputTokens), outputTokens: BigInt(outputTokens) },
        notes,
      );
    }
    case "images": {
      if (status === "failed" || status === "aborted") {
        return priceUsage(billing, { kind: "images", images: 0n }, [`${status}: not charged`]);
      }
      const images = metrics.image_count ?? outputCount(prediction.output);
      if (metrics.image_count === undefined)
        notes.push("metrics.image_count missing: counted the output files");
      return priceUsage(billing, { kind: "images", images: BigInt(images) }, notes);
    }
    default:
      return assertNever(billing);
  }
}

/** Files in an output: an array of URLs, or one URL for models that return a single file. */
function outputCount(output: unknown): number {
  if (Array.isArray(output)) return output.filter((item) => typeof item === "string" && item !== "").length;
  return typeof output === "string" && output !== "" ? 1 : 0;
}
