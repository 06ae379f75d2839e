import { setTimeout as sleep } from "node:timers/promises";
import { getJob, type JobRow } from "@replibot/db";
import { isTerminalStatus } from "@replibot/replicate";
import type { WorkerDeps } from "../deps.ts";
import { jobLog } from "../job-log.ts";
import { messages, promptHeading, withStatus } from "../messages.ts";
import { progressLine } from "../progress.ts";
import { cancelButton, replyWriterFor } from "../reply.ts";

/** Reads an answer's SSE stream and shows it by interim edits, as often as the budgets allow. */
async function streamAnswer(
  deps: WorkerDeps,
  job: JobRow,
  predictionId: string,
  signal: AbortSignal,
): Promise<void> {
  const writer = replyWriterFor(deps, job);
  let text = "";
  let dirty = false;
  let ended = false;
  let wake = () => {};
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const flusher = (async () => {
    let lastWriteMs = 0;
    while (!ended) {
      if (!dirty) {
        await pause(60_000);
        continue;
      }
      const waitMs = lastWriteMs + deps.config.interimIntervalMs - deps.now();
      if (waitMs > 0) {
        await pause(waitMs);
        continue;
      }
      dirty = false;
      try {
        const result = await writer.interim({
          text: text || messages.thinking,
          buttons: [cancelButton(job.id)],
        });
        if (result.outcome === "written") lastWriteMs = deps.now();
        if (result.outcome === "final") return;
        if (result.outcome === "busy") {
          // The governor had no slot: this frame is merged into the next one.
          deps.counters.inc("interim_edit_deferred");
          dirty = true;
          await pause(Math.min(result.retryInMs ?? 250, 2_000));
        }
      } catch (error) {
        // An interim edit that fails is only a missed frame; the final write says the rest.
        jobLog(deps.logger, job).warn({ err: error }, "interim edit failed");
        lastWriteMs = deps.now();
      }
    }
  })();

  try {
    for await (const event of deps.replicate.streamPrediction(predictionId, { signal })) {
      if (event.type === "output") {
        text += event.text;
        dirty = true;
        wake();
      }
    }
  } finally {
    ended = true;
    wake();
    await flusher;
  }
}

/** Polls a prediction that has no text stream, showing its progress (cold start, percentage). */
async function followProgress(
  deps: WorkerDeps,
  job: JobRow,
  predictionId: string,
  signal: AbortSignal,
): Promise<void> {
  const writer = replyWriterFor(deps, job);
  let shown = "";
  for (;;) {
    const prediction = await deps.replicate.getPrediction(predictionId, { signal });
    if (isTerminalStatus(prediction.status)) return;
    const text = withStatus(
      promptHeading(job.input),
      progressLine(prediction, job.kind === "imagine" ? "Drawing" : "Transcribing"),
    );
    if (text !== shown) {
      const result = await writer
        .interim({ text, buttons: [cancelButton(job.id)] }, { cursor: false })
        .catch((error: unknown) => {
          jobLog(deps.logger, job).warn({ err: error }, "progress edit failed");
          return { outcome: "busy" as const };
        });
      if (result.outcome === "written") shown = text;
      if (result.outcome === "final") return;
    }
    await sleep(deps.config.interimIntervalMs, undefined, { signal });
  }
}

/**
 * Follows a running prediction: relays an answer's stream, then asks for the completion (the
 * webhook may also bring it; completion is idempotent). When the worker is stopping, hands the
 * job back to the queue so another worker picks the relay up; the prediction keeps running.
 */
export async function relayPrediction(deps: WorkerDeps, job: JobRow, signal: AbortSignal): Promise<void> {
  const predictionId = job.predictionId;
  if (!predictionId || job.finalWrittenAt) return;
  try {
    if (job.kind === "ask") {
      await streamAnswer(deps, job, predictionId, signal);
      if (!deps.config.webhooksReachable) {
        await deps.replicate.waitForPrediction(predictionId, { signal, intervalMs: 1_000 });
      }
    } else {
      await followProgress(deps, job, predictionId, signal);
    }
  } catch (error) {
    if (!signal.aborted) {
      // A broken stream is not a failed job: the webhook or the reconciler completes it.
      jobLog(deps.logger, job).warn({ err: error }, "relay ended early");
    }
  }
  if (signal.aborted) {
    await deps.producer.enqueue("relay", { jobId: job.id }, { jobId: `relay-${job.id}-${deps.now()}` });
    return;
  }
  const source = job.kind === "ask" ? "stream" : "poll";
  await deps.producer.enqueue(
    "complete",
    { jobId: job.id, predictionId, source },
    { jobId: `complete-${predictionId}-${source}` },
  );
}

/**
 * Gives a job whose prediction is running to the relays queue, so its run slot frees at once. One id
 * per job: a redelivered run hands off nothing twice.
 */
export async function handOffRelay(deps: WorkerDeps, jobId: string): Promise<void> {
  await deps.producer.enqueue("relay", { jobId }, { jobId: `relay-${jobId}` });
}

/** The `relay` job: follows a prediction that `run` or a stopping worker handed over. */
export async function resumeRelay(deps: WorkerDeps, jobId: string, signal: AbortSignal): Promise<void> {
  const job = await getJob(deps.db, jobId);
  if (job?.status === "running") await relayPrediction(deps, job, signal);
}
