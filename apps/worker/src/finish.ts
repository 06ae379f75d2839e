import { randomBytes } from "node:crypto";
import { isUnreachable, type OutgoingMessage } from "@replibot/chat";
import type { JobStatus } from "@replibot/core";
import { getJob, type JobRow, markFinalWritten, releaseHold, transitionJob } from "@replibot/db";
import type { WorkerDeps } from "./deps.ts";
import { jobLog } from "./job-log.ts";
import { replyWriterFor } from "./reply.ts";

const nonTerminal: JobStatus[] = ["queued", "creating", "running"];

/** Thrown when another process is finishing the same job; BullMQ retries later and finds it done. */
export class JobBusyError extends Error {
  constructor(jobId: string) {
    super(`job ${jobId} is being finished by another process`);
  }
}

/**
 * Runs `fn` while holding a per-job lock in Redis, so two completions of one job (a webhook and
 * the stream's end, say) never both write its final messages.
 */
export async function withJobLock<T>(deps: WorkerDeps, jobId: string, fn: () => Promise<T>): Promise<T> {
  const key = `{replibot-governor}:finishing:${jobId}`;
  const token = randomBytes(8).toString("hex");
  const taken = await deps.redis.set(key, token, "PX", 120_000, "NX");
  if (taken === null) throw new JobBusyError(jobId);
  try {
    return await fn();
  } finally {
    await deps.redis.eval(
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
      1,
      key,
      token,
    );
  }
}

/**
 * Ends a job: moves it to `status` (unless already ended), releases a hold nobody settled when
 * `release` is set, writes the final message, runs `afterWrite`, and records that it was written.
 * Safe to repeat.
 */
export async function finishJob(
  deps: WorkerDeps,
  job: JobRow,
  status: JobStatus,
  message: OutgoingMessage,
  options: { error?: string; release?: boolean; afterWrite?: () => Promise<void> } = {},
): Promise<void> {
  await transitionJob(deps.db, job.id, nonTerminal, status, {
    completedAt: new Date(deps.now()),
    ...(options.error ? { error: options.error } : {}),
  });
  if (options.release) await releaseHold(deps.db, job.id);
  const fresh = (await getJob(deps.db, job.id)) ?? job;
  if (fresh.finalWrittenAt) return;
  try {
    await replyWriterFor(deps, fresh).final(message);
  } catch (error) {
    const gone = isUnreachable(error);
    if (!gone) throw error;
    // The workspace left or the channel is gone: no retry can write it, so the job ends without it.
    jobLog(deps.logger, fresh).warn({ status, reason: gone }, "final message cannot be written");
  }
  // Before the job counts as done: what depends on the written messages (a conversation turn).
  await options.afterWrite?.();
  await markFinalWritten(deps.db, job.id);
  jobLog(deps.logger, fresh).info({ status }, "job finished");
}
