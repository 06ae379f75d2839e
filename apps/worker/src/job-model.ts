import { AskInput, ImagineInput, type JobKind, TranscribeInput } from "@replibot/core";
import { conversationTurns, type JobRow, type TenantRow } from "@replibot/db";
import {
  buildModelInput,
  type CatalogModel,
  fitConversation,
  type ModelInputRequest,
  type ModelInputResult,
  resolveCatalogModel,
} from "@replibot/replicate";
import type { WorkerDeps } from "./deps.ts";

/** A job's model and the exact input sent to it, or why there is none. */
export type JobModel =
  | { ok: true; model: CatalogModel; modelInput: ModelInputResult; context: AskContext }
  | { ok: false; reason: string };

/** What an `/ask` brings besides its question: the tenant's instructions and the conversation so far. */
export interface AskContext {
  systemPrompt?: string;
  history: { prompt: string; answer: string }[];
  /** Earlier turns left out because the conversation is longer than the model (or the tenant) allows. */
  leftOut: number;
}

const noContext: AskContext = { history: [], leftOut: 0 };

function request(kind: JobKind, input: unknown, context: AskContext): ModelInputRequest {
  switch (kind) {
    case "ask":
      return {
        kind,
        input: AskInput.parse(input),
        systemPrompt: context.systemPrompt,
        history: context.history,
      };
    case "imagine":
      return { kind, input: ImagineInput.parse(input) };
    case "transcribe":
      return { kind, input: TranscribeInput.parse(input) };
  }
}

/** Resolves the catalog model of a job (its stored model id, else the requested or default one). */
function catalogModelOf(deps: WorkerDeps, job: JobRow) {
  const wanted = job.model ?? (job.input as { model?: string }).model;
  const resolved = resolveCatalogModel(deps.catalog, job.kind, wanted);
  return resolved.ok
    ? resolved
    : {
        ok: false as const,
        reason: `unknown model "${wanted}" (choose one of ${resolved.choices.join(", ")})`,
      };
}

/** A job's model and input without context: what completion needs to price the prediction. */
export function jobModel(deps: WorkerDeps, job: JobRow): JobModel {
  const resolved = catalogModelOf(deps, job);
  if (!resolved.ok) return resolved;
  return {
    ok: true,
    model: resolved.model,
    modelInput: buildModelInput(resolved.model, request(job.kind, job.input, noContext)),
    context: noContext,
  };
}

/**
 * A job's model and input as it is sent: an `/ask` gets its tenant's system prompt and the earlier
 * turns of its conversation (the newest that fit; the oldest are left out first), unless the
 * tenant turned memory off.
 */
export async function jobModelWithContext(
  deps: WorkerDeps,
  job: JobRow,
  tenant: TenantRow | undefined,
): Promise<JobModel> {
  const resolved = catalogModelOf(deps, job);
  if (!resolved.ok) return resolved;
  const { model } = resolved;
  let context = noContext;
  if (job.kind === "ask" && model.adapter === "llama-chat") {
    const systemPrompt = tenant?.systemPrompt ?? undefined;
    const turns = tenant?.memoryTurns ?? 10;
    const earlier =
      job.conversationId && turns > 0
        ? (await conversationTurns(deps.db, job.conversationId, turns + 1)).filter((t) => t.jobId !== job.id)
        : [];
    const fitted = fitConversation(model, {
      history: earlier.slice(-turns).map(({ prompt, answer }) => ({ prompt, answer })),
      prompt: AskInput.parse(job.input).prompt,
      systemPrompt: systemPrompt ?? model.systemPrompt,
      tokenCap: tenant?.contextTokenCap ?? undefined,
    });
    context = { systemPrompt, history: fitted.kept, leftOut: fitted.leftOut };
  }
  return {
    ok: true,
    model,
    modelInput: buildModelInput(model, request(job.kind, job.input, context)),
    context,
  };
}

/** `owner/name` or `owner/name:version`, as the client's create takes it. */
export function modelRef(model: CatalogModel): string {
  return model.version ? `${model.model}:${model.version}` : model.model;
}
