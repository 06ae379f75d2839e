import { assertNever } from "@replibot/core";
import type { CatalogModel } from "./catalog.ts";
import { type CostResult, priceUsage } from "./cost.ts";
import { decimalFromBigInt } from "./decimal.ts";

const utf8 = new TextEncoder();

/**
 * The most a prediction of `model` with this exact input (what is sent to Replicate) can cost:
 * the deadline × the hardware price; or the input-token bound × the input price plus `max_tokens`
 * × the output price; or the images asked for × the image price. Held before the job runs.
 * `deadlineSecs` is the job's own deadline when it is shorter than the model's (a transcription's).
 */
export function worstCaseCostNanos(
  model: CatalogModel,
  modelInput: Record<string, unknown>,
  options: { deadlineSecs?: number } = {},
): CostResult {
  const { billing } = model;
  switch (billing.kind) {
    case "hardware": {
      const deadlineSecs = Math.ceil(options.deadlineSecs ?? model.maxRunSecs);
      return priceUsage(billing, { kind: "hardware", seconds: decimalFromBigInt(BigInt(deadlineSecs)) }, [
        `bounded by the ${deadlineSecs} s deadline`,
      ]);
    }
    case "tokens": {
      const overhead = model.adapter === "llama-chat" ? model.templateOverheadTokens : 0;
      // A byte-level BPE token covers at least one UTF-8 byte, so bytes bound tokens even for
      // text where one character is several tokens (emoji, CJK); characters would not.
      const inputTokens =
        byteLength(modelInput.prompt) +
        byteLength(modelInput.system_prompt) +
        byteLength(modelInput.prompt_template) +
        overhead;
      const fallback = model.adapter === "llama-chat" ? model.maxOutputTokens : 0;
      const outputTokens = positiveInt(modelInput.max_tokens) ?? fallback;
      return priceUsage(
        billing,
        { kind: "tokens", inputTokens: BigInt(inputTokens), outputTokens: BigInt(outputTokens) },
        [
          "input tokens bounded by the prompts' UTF-8 bytes plus the chat template",
          "output bounded by max_tokens",
        ],
      );
    }
    case "images": {
      const fallback = model.adapter === "flux" || model.adapter === "sdxl" ? model.imagesPerRun : 1;
      const images = positiveInt(modelInput.num_outputs) ?? fallback;
      return priceUsage(billing, { kind: "images", images: BigInt(images) }, [
        `${images} image(s) requested`,
      ]);
    }
    default:
      return assertNever(billing);
  }
}

function byteLength(value: unknown): number {
  return typeof value === "string" ? utf8.encode(value).length : 0;
}

function positiveInt(value: unknown): number | undefined {
  return typeof value === "number" && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}
