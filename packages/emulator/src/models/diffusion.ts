import { hash32 } from "../hash.ts";
import { ModelError, type ModelRunContext } from "../model-definition.ts";
import { type ImageFormat, imageContentType, renderImage } from "./image-render.ts";
import { tqdmLine } from "./tqdm.ts";

/** The error text Replicate's image models fail with when the safety checker fires. */
export const nsfwError = "NSFW content detected. Try running it again, or try a different prompt.";

/** One text-to-image job, shared by the image models. */
export interface DiffusionJob {
  prompt: string;
  seed: number | undefined;
  steps: number;
  count: number;
  width: number;
  height: number;
  format: ImageFormat;
  quality: number;
  disableSafetyChecker: boolean;
  /** Lines logged right after `Using seed: N`. */
  preamble: readonly string[];
}

/** The seed used when none is given: drawn from the prompt so runs stay reproducible. */
export function seedFromPrompt(prompt: string): number {
  return hash32(`seed\u0000${prompt}`) % 100_000;
}

/**
 * Logs the seed and one tqdm line per step (paced by `imageStepMs`), then renders and stores the
 * images, appending each URL to the output; a prompt with the trigger word fails like the safety checker.
 */
export async function runDiffusion(context: ModelRunContext, job: DiffusionJob): Promise<number> {
  const seed = job.seed ?? seedFromPrompt(job.prompt);
  context.log(`Using seed: ${seed}`);
  for (const line of job.preamble) context.log(line);
  const startMs = context.now();
  context.log(tqdmLine(0, job.steps, 0));
  for (let step = 1; step <= job.steps; step++) {
    await context.sleep(context.settings.imageStepMs);
    context.log(tqdmLine(step, job.steps, (context.now() - startMs) / 1000));
  }
  const trigger = context.settings.nsfwTriggerWord.toLowerCase();
  if (!job.disableSafetyChecker && trigger !== "" && job.prompt.toLowerCase().includes(trigger)) {
    throw new ModelError(nsfwError);
  }
  for (let index = 0; index < job.count; index++) {
    const bytes = await renderImage({ ...job, seed, index, grain: context.settings.imageGrain });
    context.signal.throwIfAborted();
    const url = context.saveFile(bytes, imageContentType[job.format], `out-${index}.${job.format}`);
    context.appendOutput(url);
  }
  return job.count;
}
