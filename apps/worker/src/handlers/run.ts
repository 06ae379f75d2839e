import { isAppError, type JobPayload, ReplyTarget } from "@replibot/core";
import {
  getJob,
  getTenant,
  getUserDailyLimit,
  periodOf,
  placeHold,
  setJobContext,
  transitionJob,
} from "@replibot/db";
import type { HandlerContext } from "@replibot/queue";
import { worstCaseCostNanos } from "@replibot/replicate";
import type { WorkerDeps } from "../deps.ts";
import { finishJob } from "../finish.ts";
import { jobLog } from "../job-log.ts";
import { jobModelWithContext, modelRef } from "../job-model.ts";
import { messages } from "../messages.ts";
import { prepareAudio } from "../transcribe-audio.ts";
import { handOffRelay } from "./relay.ts";

/** Errors where Replicate certainly created nothing, so the job can fail without a charge. */
const refusedBeforeCreate = new Set(["invalid_input", "unauthorized", "not_found"]);

/**
 * Runs a queued job: admits it against its tenant's budget, waits for a slot in the account's
 * create budget, marks the intent, creates the prediction (webhook tagged with the job id, deadline,
 * max_tokens), records its id, then hands the stream to the relays queue so this slot frees at once.
 * A job in any other status is left alone, so redelivery never pays twice.
 */
export async function runJob(
  deps: WorkerDeps,
  { jobId }: JobPayload<"run">,
  context: HandlerContext,
): Promise<void> {
  const job = await getJob(deps.db, jobId);
  if (!job) return jobLog(deps.logger, { id: jobId }).warn("run: no such job");
  if (job.status === "running") return handOffRelay(deps, jobId);
  if (job.status !== "queued") return;

  if (deps.now() - job.createdAt.getTime() > deps.config.queueTimeoutMs) {
    return finishJob(deps, job, "timed_out", { text: messages.timedOutInQueue });
  }
  const tenant = await getTenant(deps.db, job.tenantId);
  const resolved = await jobModelWithContext(deps, job, tenant);
  if (!resolved.ok)
    return finishJob(
      deps,
      job,
      "failed",
      { text: messages.notStarted(resolved.reason) },
      { error: resolved.reason },
    );
  const { model, modelInput, context: ask } = resolved;
  // A recording is fetched and checked before anything is held or sent: a bad one costs nothing.
  const audio = job.kind === "transcribe" ? await prepareAudio(deps, job, model) : undefined;
  if (audio && !audio.ok) {
    return finishJob(
      deps,
      job,
      "refused",
      { text: messages.notTranscribed(audio.reason) },
      { error: audio.reason },
    );
  }
  const deadlineSecs = audio?.deadlineSecs ?? model.maxRunSecs;
  const limitNanos = tenant?.monthlyLimitNanos ?? deps.config.defaultLimitNanos;
  const worst = worstCaseCostNanos(model, modelInput.input, { deadlineSecs });
  const period = periodOf(job.createdAt);
  const hold = await placeHold(deps.db, {
    jobId,
    tenantId: job.tenantId,
    userId: job.userId,
    period,
    day: job.createdAt.toISOString().slice(0, 10),
    amountNanos: worst.costNanos,
    limitNanos,
    userDailyLimitNanos: await getUserDailyLimit(deps.db, job.tenantId, job.userId),
    operatorCapNanos: deps.config.operatorCapNanos,
  });
  if (!hold.ok) {
    const text =
      hold.reason === "user_daily_limit"
        ? messages.dailyLimit(hold.limitNanos)
        : hold.reason === "operator_cap"
          ? messages.operatorCap(period)
          : messages.spendLimit(limitNanos, period, ReplyTarget.parse(job.replyTarget).platform);
    return finishJob(deps, job, "refused", { text }, { error: hold.reason });
  }

  if (audio?.ok) {
    // Whisper reads the recording through Replicate's files API; a worker that dies after this
    // uploads it again on the retry (an unused file, not a second prediction).
    const file = await deps.replicate.uploadFile(audio.bytes, {
      filename: audio.filename,
      contentType: audio.mimeType,
    });
    modelInput.input.audio = file.urls.get;
  }
  // Replicate's create limit is per account, shared by every worker: wait for a slot in the shared
  // window while still queued, so the wait is not mistaken for a worker that died while creating.
  await deps.governor.acquire([deps.createBudget], context.signal);
  // Intent before side effect: a worker that dies after this is reconciled from the predictions list.
  if (!(await transitionJob(deps.db, jobId, ["queued"], "creating", { model: model.id }))) return;
  if (ask.history.length > 0 || ask.leftOut > 0) {
    await setJobContext(deps.db, jobId, { turns: ask.history.length, leftOut: ask.leftOut });
  }
  let prediction: Awaited<ReturnType<typeof deps.replicate.createPrediction>>;
  try {
    prediction = await deps.replicate.createPrediction({
      target: { model: modelRef(model) },
      input: modelInput.input,
      webhook: deps.config.webhooksReachable
        ? `${deps.config.publicUrl}/webhooks/replicate?job=${encodeURIComponent(jobId)}`
        : undefined,
      webhookEventsFilter: ["completed"],
      stream: job.kind === "ask",
      deadlineMs: deadlineSecs * 1000,
    });
  } catch (error) {
    deps.counters.inc("replicate_error", { code: isAppError(error) ? error.code : "unknown" });
    if (isAppError(error) && /credit|billing|payment/i.test(error.message)) {
      // Members would only see failures; the operator must top up the account.
      jobLog(deps.logger, { id: jobId }).error(
        `ALERT: Replicate refused for lack of credit: ${error.message}`,
      );
    }
    if (isAppError(error) && refusedBeforeCreate.has(error.code)) {
      const fresh = (await getJob(deps.db, jobId)) ?? job;
      return finishJob(
        deps,
        fresh,
        "failed",
        { text: messages.notStarted(error.message) },
        { error: error.message, release: true },
      );
    }
    if (isAppError(error, "rate_limited")) {
      // A 429 created nothing: back to the queue for BullMQ's retry.
      await transitionJob(deps.db, jobId, ["creating"], "queued");
    }
    // Anything else may or may not have created a prediction: the reconciler finds out from the list.
    throw error;
  }
  await transitionJob(deps.db, jobId, ["creating"], "running", {
    predictionId: prediction.id,
    startedAt: new Date(deps.now()),
    deadlineAt: new Date(deps.now() + deadlineSecs * 1000),
  });
  // From here on every line about the job names its prediction too.
  jobLog(deps.logger, { id: jobId, predictionId: prediction.id }).info(
    { model: model.id },
    "prediction created",
  );
  await handOffRelay(deps, jobId);
}
