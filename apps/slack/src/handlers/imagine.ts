import { randomInt } from "node:crypto";
import { ImagineInput } from "@replibot/core";
import { resolveCatalogModel } from "@replibot/replicate";
import { parseImagineText } from "../command-text.ts";
import type { SlackAppDeps } from "../deps.ts";
import { replies } from "../replies.ts";
import type { CommandCheck } from "./ask.ts";
import { gateFor } from "./gate.ts";
import { jobOfThisWorkspace } from "./own-job.ts";
import { type SlackOrigin, startSlackJob } from "./start-job.ts";

/** Action id prefix of a Regenerate button: it names the job row, so it works after every restart. */
export const REGENERATE_PREFIX = "regenerate:";

const flagOf: Record<string, string> = { aspectRatio: "--ar", negativePrompt: "--no", seed: "--seed" };

/** `/imagine <prompt> [--ar 16:9] [--seed 7] [--no <words>] [--model <name>]`. */
export function checkImagine(deps: SlackAppDeps, text: string): CommandCheck {
  const parsed = parseImagineText(text);
  if (!parsed.ok) return parsed;
  const { prompt, model } = parsed.value;
  if (!prompt) return { ok: false, reason: replies.emptyImagePrompt };
  const resolved = resolveCatalogModel(deps.catalog, "imagine", model);
  if (!resolved.ok) return { ok: false, reason: replies.unknownModel(model ?? "", resolved.choices) };
  const input = ImagineInput.safeParse({ ...parsed.value, model: resolved.model.id });
  if (!input.success) {
    const issue = input.error.issues[0];
    const field = String(issue?.path[0] ?? "option");
    return { ok: false, reason: replies.badOption(flagOf[field] ?? field, issue?.message ?? "is invalid") };
  }
  return {
    ok: true,
    kind: "imagine",
    prompt,
    model: resolved.model.id,
    explicitModel: model !== undefined,
    start: (origin, chosen = resolved.model.id) =>
      startSlackJob(deps, origin, {
        kind: "imagine",
        model: chosen,
        // Slack has no age-restricted channels: the safety checker always stays on.
        input: { ...input.data, model: chosen, safetyCheckerOff: false },
        heading: "used /imagine",
      }),
  };
}

/**
 * Regenerate: the same prompt and options with a new seed, by anyone in the image's workspace,
 * charged to it; another workspace's image (a tampered action id) is refused, its prompt unseen.
 */
export async function regenerate(deps: SlackAppDeps, origin: SlackOrigin, jobId: string): Promise<void> {
  const found = await jobOfThisWorkspace(deps, origin, jobId);
  if (!found.ok) return origin.tell(found.reason);
  const original = found.job;
  const parsed = ImagineInput.safeParse(original.input);
  if (original.kind !== "imagine" || !parsed.success) return origin.tell(replies.unknownJob);
  const model = original.model ?? parsed.data.model ?? deps.catalog.commands.imagine.default;
  const refused = await gateFor(deps, origin, {
    kind: "imagine",
    prompt: parsed.data.prompt,
    modelId: model,
  });
  if (refused) return origin.tell(refused);
  await startSlackJob(deps, origin, {
    kind: "imagine",
    model,
    input: { ...parsed.data, seed: randomInt(0, 2 ** 32 - 1), safetyCheckerOff: false },
    parentJobId: original.id,
    heading: "used /imagine (Regenerate)",
  });
}
