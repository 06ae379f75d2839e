import type { InputSchema } from "../input-validation.ts";
import type { ModelDefinition, ModelRunContext, ModelRunResult } from "../model-definition.ts";
import { runDiffusion } from "./diffusion.ts";
import type { ImageFormat } from "./image-render.ts";

const aspectRatios = [
  "1:1",
  "16:9",
  "21:9",
  "3:2",
  "2:3",
  "4:5",
  "5:4",
  "3:4",
  "4:3",
  "9:16",
  "9:21",
] as const;

const fluxInput: InputSchema = {
  type: "object",
  title: "Input",
  required: ["prompt"],
  properties: {
    prompt: { type: "string", title: "Prompt", description: "Prompt for generated image", "x-order": 0 },
    aspect_ratio: { type: "string", title: "Aspect Ratio", enum: aspectRatios, default: "1:1", "x-order": 1 },
    num_outputs: { type: "integer", title: "Num Outputs", minimum: 1, maximum: 4, default: 1, "x-order": 2 },
    num_inference_steps: {
      type: "integer",
      title: "Num Inference Steps",
      minimum: 1,
      maximum: 4,
      default: 4,
      "x-order": 3,
    },
    seed: {
      type: "integer",
      title: "Seed",
      description: "Random seed. Set for reproducible generation",
      "x-order": 4,
    },
    output_format: {
      type: "string",
      title: "Output Format",
      enum: ["webp", "jpg", "png"],
      default: "webp",
      "x-order": 5,
    },
    output_quality: {
      type: "integer",
      title: "Output Quality",
      minimum: 0,
      maximum: 100,
      default: 80,
      "x-order": 6,
    },
    disable_safety_checker: {
      type: "boolean",
      title: "Disable Safety Checker",
      default: false,
      "x-order": 7,
    },
    go_fast: { type: "boolean", title: "Go Fast", default: true, "x-order": 8 },
    megapixels: { type: "string", title: "Megapixels", enum: ["1", "0.25"], default: "1", "x-order": 9 },
  },
};

const roundTo64 = (value: number) => Math.max(64, Math.round(value / 64) * 64);

/** Width and height for an aspect ratio at a megapixel budget, on a 64-pixel grid like flux's. */
export function fluxDimensions(aspectRatio: string, megapixels: string): { width: number; height: number } {
  const [w, h] = aspectRatio.split(":").map(Number);
  const ratio = (w ?? 1) / (h ?? 1);
  const pixels = Number(megapixels) * 1024 * 1024;
  return { width: roundTo64(Math.sqrt(pixels * ratio)), height: roundTo64(Math.sqrt(pixels / ratio)) };
}

async function runFlux(context: ModelRunContext): Promise<ModelRunResult> {
  const { input } = context;
  const imageCount = await runDiffusion(context, {
    prompt: String(input.prompt),
    seed: input.seed as number | undefined,
    steps: Number(input.num_inference_steps),
    count: Number(input.num_outputs),
    ...fluxDimensions(String(input.aspect_ratio), String(input.megapixels)),
    format: input.output_format as ImageFormat,
    quality: Number(input.output_quality),
    disableSafetyChecker: input.disable_safety_checker === true,
    preamble: [],
  });
  return { metrics: { image_count: imageCount } };
}

/** black-forest-labs/flux-schnell: official, billed per image, webp by default. */
export function fluxSchnellModel(): ModelDefinition {
  return {
    owner: "black-forest-labs",
    name: "flux-schnell",
    description:
      "The fastest image generation model tailored for local development and personal use (emulated)",
    isOfficial: true,
    versionId: "dp-4d0bcc010b3049749a251855f12800be",
    versionCreatedAt: "2024-07-30T00:00:00.000Z",
    input: fluxInput,
    output: { type: "array", title: "Output", items: { type: "string", format: "uri" } },
    streamsText: false,
    run: runFlux,
  };
}
