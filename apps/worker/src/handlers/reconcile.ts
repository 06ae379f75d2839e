import { ReplyTarget, replyPending } from "@replibot/core";
import {
  deleteWordsPastRetention,
  enqueueRun,
  findStaleJobs,
  findUnwrittenEndedJobs,
  getJob,
  type JobRow,
  releaseOrphanHolds,
  transitionJob,
} from "@replibot/db";
import { DEFAULT_QUEUE_PREFIX, markSwept } from "@replibot/queue";
import type { Prediction } from "@replibot/replicate";
import type { WorkerDeps } from "../deps.ts";
import { finishJob } from "../finish.ts";
import { jobLog } from "../job-log.ts";
import { messages } from "../messages.ts";

/** How long an app may take to post a job's placeholder before the reconciler runs the job itself. */
const ACK_GRACE_MS = 2 * 60_000;

/** Finds the prediction a job created, from the webhook URL tagged with its id, in the newest pages. */
async function findPredictionOf(deps: WorkerDeps, jobId: string, pages = 3): Promise<Prediction | undefined> {
  const tag = `job=${encodeURIComponent(jobId)}`;
  let next: string | undefined;
  for (let page = 0; page < pages; page++) {
    const listing = await deps.replicate.listPredictions(next ? { next } : {});
    const found = listing.results.find((p) => typeof p.webhook === "string" && p.webhook.endsWith(tag));
    if (found) return found;
    if (!listing.next) return undefined;
    next = listing.next;
  }
  return undefined;
}

async function completeLater(deps: WorkerDeps, job: JobRow, tick: number): Promise<void> {
  if (!job.predictionId) return;
  await deps.producer.enqueue(
    "complete",
    { jobId: job.id, predictionId: job.predictionId, source: "reconciler" },
    { jobId: `complete-${job.predictionId}-reconcile-${tick}` },
  );
}

/**
 * The reconciler's sweep: completes jobs whose webhook never came, re-enqueues queued jobs Redis
 * lost, cancels predictions past their deadline, resolves jobs that died between "creating" and
 * recording their prediction (from the predictions list, never by creating another), and releases
 * holds of jobs that ended without settling.
 */
export async function reconcile(deps: WorkerDeps): Promise<void> {
  const now = deps.now();
  const tick = Math.floor(now / deps.config.reconcileEveryMs);
  const stale = new Date(now - deps.config.staleAfterMs);

  for (const job of await findStaleJobs(deps.db, "queued", stale)) {
    // The app enqueues once its placeholder is posted; a worker posting one too would answer twice.
    const target = ReplyTarget.safeParse(job.replyTarget);
    if (target.success && replyPending(target.data) && job.createdAt.getTime() > now - ACK_GRACE_MS) continue;
    // Same id as the ack path's: a no-op while BullMQ still has it, a rescue when Redis lost it
    // (with the job's place in its tenant's backlog, so rescued jobs keep their turns).
    await enqueueRun(deps.producer, deps.db, job.id);
    deps.counters.inc("sweep", { action: "requeued" });
  }

  for (const job of await findStaleJobs(deps.db, "running", stale)) {
    if (job.deadlineAt && job.deadlineAt.getTime() < now && job.predictionId) {
      deps.counters.inc("sweep", { action: "deadline_cancel" });
      await deps.replicate.cancelPrediction(job.predictionId).catch((error: unknown) => {
        jobLog(deps.logger, job).warn({ err: error }, "reconciler: cancel past deadline failed");
      });
    }
    await completeLater(deps, job, tick);
    deps.counters.inc("sweep", { action: "completed_from_replicate" });
  }

  for (const job of await findStaleJobs(deps.db, "creating", stale)) {
    const prediction = await findPredictionOf(deps, job.id);
    deps.counters.inc("sweep", { action: prediction ? "creating_found" : "creating_missing" });
    if (prediction) {
      await transitionJob(deps.db, job.id, ["creating"], "running", { predictionId: prediction.id });
      jobLog(deps.logger, { id: job.id, predictionId: prediction.id }).info(
        "reconciler: found the prediction of a job whose worker stopped while creating it",
      );
      const running = await getJob(deps.db, job.id);
      if (running) await completeLater(deps, running, tick);
    } else if (job.updatedAt.getTime() < now - 2 * deps.config.staleAfterMs) {
      await finishJob(
        deps,
        job,
        "failed",
        { text: messages.notStarted("the model could not be started") },
        {
          error: "prediction never created",
          release: true,
        },
      );
    }
  }

  for (const job of await findUnwrittenEndedJobs(deps.db, stale)) await completeLater(deps, job, tick);

  // Retention: once an hour across every worker of the deployment, members' words past their
  // tenant's retention go (conversation turns, and the prompts and headings of ended jobs; the money stays).
  const prefix = deps.config.queuePrefix ?? DEFAULT_QUEUE_PREFIX;
  if (await deps.redis.set(`${prefix}:retention`, "1", "PX", 3_600_000, "NX")) {
    const { turns, jobs } = await deleteWordsPastRetention(deps.db, {
      now: new Date(now),
      defaultRetentionMs: deps.config.conversationRetentionMs,
    });
    if (turns + jobs > 0)
      deps.logger.info({ deleted: turns, scrubbed: jobs }, "deleted members' words past retention");
  }

  // /healthz tells from this whether any worker still takes jobs.
  await markSwept(deps.redis, deps.config.queuePrefix ?? DEFAULT_QUEUE_PREFIX, now);
  deps.counters.inc("sweep", { action: "swept" });
  const released = await releaseOrphanHolds(deps.db);
  if (released > 0) deps.counters.inc("sweep", { action: "hold_released" }, released);
  if (released > 0) deps.logger.info({ released }, "reconciler released holds of ended jobs");
}
