import { AskInput, answerMessageKeys, ReplyTarget } from "@replibot/core";
import { getJob, getTenant, type JobRow, saveTurn } from "@replibot/db";
import type { Prediction } from "@replibot/replicate";
import type { WorkerDeps } from "./deps.ts";
import { outputText } from "./final-message.ts";

const count = (value: unknown) => (typeof value === "number" && Number.isSafeInteger(value) ? value : null);

/**
 * Keeps a finished answer as a turn of its conversation (an `/ask` starts one; a reply or mention
 * continues it), with the keys of its messages so a reply to any of them finds it. Nothing is kept
 * when the tenant turned memory off.
 */
export async function rememberTurn(deps: WorkerDeps, job: JobRow, prediction: Prediction): Promise<void> {
  if (job.kind !== "ask" || prediction.status !== "succeeded") return;
  const tenant = await getTenant(deps.db, job.tenantId);
  if ((tenant?.memoryTurns ?? 10) === 0) return;
  const written = (await getJob(deps.db, job.id)) ?? job;
  const input = AskInput.parse(job.input);
  const keys = answerMessageKeys(ReplyTarget.parse(written.replyTarget), written.replyMessageIds);
  await saveTurn(deps.db, {
    tenantId: job.tenantId,
    conversationId: job.conversationId ?? job.id,
    jobId: job.id,
    userId: job.userId,
    prompt: input.prompt,
    answer: outputText(prediction),
    model: job.model ?? input.model ?? "",
    inputTokens: count(prediction.metrics?.input_token_count),
    outputTokens: count(prediction.metrics?.output_token_count),
    messageKeys: input.questionKey ? [input.questionKey, ...keys] : keys,
  });
}
