import { AskInput, ImagineInput, type JobKind, TranscribeInput } from "@replibot/core";
import type { JobRow } from "@replibot/db";
import {
  buildModelInput,
  type CatalogModel,
  type ModelInputRequest,
  type ModelInputResult,
  resolveCatalogModel,
} from "@replibot/replicate";
import type { WorkerDeps } from "./deps.ts";

/** A job's model and the exact input sent to it, or why there is none. */
export type JobModel =
  | { ok: true; model: CatalogModel; modelInput: ModelInputResult }
  | { ok: false; reason: string };

function request(kind: JobKind, input: unknown): ModelInputRequest {
  switch (kind) {
    case "ask":
      return { kind, input: AskInput.parse(input) };
    case "imagine":
      return { kind, input: ImagineInput.parse(input) };
    case "transcribe":
      return { kind, input: TranscribeInput.parse(input) };
  }
}

/** Resolves the catalog model of a job (its stored model id, else the requested or default one). */
export function jobModel(deps: WorkerDeps, job: JobRow): JobModel {
  const wanted = job.model ?? (job.input as { model?: string }).model;
  const resolved = resolveCatalogModel(deps.catalog, job.kind, wanted);
  if (!resolved.ok)
    return { ok: false, reason: `unknown model "${wanted}" (choose one of ${resolved.choices.join(", ")})` };
  return {
    ok: true,
    model: resolved.model,
    modelInput: buildModelInput(resolved.model, request(job.kind, job.input)),
  };
}

/** `owner/name` or `owner/name:version`, as the client's create takes it. */
export function modelRef(model: CatalogModel): string {
  return model.version ? `${model.model}:${model.version}` : model.model;
}
