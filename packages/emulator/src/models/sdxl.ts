import type { InputSchema } from "../input-validation.ts";
import type { ModelDefinition, ModelRunContext, ModelRunResult } from "../model-definition.ts";
import { runDiffusion } from "./diffusion.ts";

/** The pinned SDXL version the emulator serves. */
export const sdxlVersion = "39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b";

const sdxlInput: InputSchema = {
  type: "object",
  title: "Input",
  required: [],
  properties: {
    prompt: {
      type: "string",
      title: "Prompt",
      description: "Input prompt",
      default: "An astronaut riding a rainbow unicorn",
      "x-order": 0,
    },
    negative_prompt: { type: "string", title: "Negative Prompt", default: "", "x-order": 1 },
    image: {
      type: "string",
      format: "uri",
      title: "Image",
      description: "Input image for img2img mode",
      "x-order": 2,
    },
    width: { type: "integer", title: "Width", minimum: 64, maximum: 2048, default: 1024, "x-order": 3 },
    height: { type: "integer", title: "Height", minimum: 64, maximum: 2048, default: 1024, "x-order": 4 },
    num_outputs: { type: "integer", title: "Num Outputs", minimum: 1, maximum: 4, default: 1, "x-order": 5 },
    scheduler: {
      type: "string",
      title: "Scheduler",
      enum: [
        "DDIM",
        "DPMSolverMultistep",
        "HeunDiscrete",
        "KarrasDPM",
        "K_EULER_ANCESTRAL",
        "K_EULER",
        "PNDM",
      ],
      default: "K_EULER",
      "x-order": 6,
    },
    num_inference_steps: {
      type: "integer",
      title: "Num Inference Steps",
      minimum: 1,
      maximum: 500,
      default: 50,
      "x-order": 7,
    },
    guidance_scale: {
      type: "number",
      title: "Guidance Scale",
      minimum: 1,
      maximum: 50,
      default: 7.5,
      "x-order": 8,
    },
    seed: {
      type: "integer",
      title: "Seed",
      description: "Random seed. Leave blank to randomize the seed",
      "x-order": 9,
    },
    apply_watermark: { type: "boolean", title: "Apply Watermark", default: true, "x-order": 10 },
    disable_safety_checker: {
      type: "boolean",
      title: "Disable Safety Checker",
      default: false,
      "x-order": 11,
    },
  },
};

async function runSdxl(context: ModelRunContext): Promise<ModelRunResult> {
  const { input } = context;
  const prompt = String(input.prompt);
  await runDiffusion(context, {
    prompt,
    seed: input.seed as number | undefined,
    steps: Number(input.num_inference_steps),
    count: Number(input.num_outputs),
    width: Number(input.width),
    height: Number(input.height),
    format: "png",
    quality: 100,
    disableSafetyChecker: input.disable_safety_checker === true,
    preamble: [`Prompt: ${prompt}`, input.image ? "img2img mode" : "txt2img mode"],
  });
  return {};
}

/** stability-ai/sdxl: a community model (billed by time) at its pinned version; PNG output. */
export function sdxlModel(): ModelDefinition {
  return {
    owner: "stability-ai",
    name: "sdxl",
    description: "A text-to-image generative AI model that creates beautiful images (emulated)",
    isOfficial: false,
    versionId: sdxlVersion,
    versionCreatedAt: "2023-09-08T19:14:27.000Z",
    input: sdxlInput,
    output: { type: "array", title: "Output", items: { type: "string", format: "uri" } },
    streamsText: false,
    run: runSdxl,
  };
}
