import { randomInt } from "node:crypto";
import { ImagineInput } from "@replibot/core";
import { getJob } from "@replibot/db";
import { resolveCatalogModel } from "@replibot/replicate";
import { parseImagineText } from "../command-text.ts";
import type { SlackAppDeps } from "../deps.ts";
import { replies } from "../replies.ts";
import type { CommandCheck } from "./ask.ts";
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
    start: (origin) =>
      startSlackJob(deps, origin, {
        kind: "imagine",
        model: resolved.model.id,
        input: input.data,
        heading: "used /imagine",
      }),
  };
}

/** Regenerate: the same prompt and options with a new seed, by anyone, charged to their workspace. */
export async function regenerate(deps: SlackAppDeps, origin: SlackOrigin, jobId: string): Promise<void> {
  const original = await getJob(deps.db, jobId);
  const parsed = ImagineInput.safeParse(original?.input);
  if (original?.kind !== "imagine" || !parsed.success) return origin.tell(replies.unknownJob);
  await startSlackJob(deps, origin, {
    kind: "imagine",
    model: original.model ?? parsed.data.model ?? deps.catalog.commands.imagine.default,
    input: { ...parsed.data, seed: randomInt(0, 2 ** 32 - 1) },
    parentJobId: original.id,
    heading: "used /imagine (Regenerate)",
  });
}
