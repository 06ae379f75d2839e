import type { JobStatus, ReplyTarget } from "@replibot/core";
import { and, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import type { Database } from "../create-db.ts";
import { jobs } from "../schema.ts";
import { storableJson, storableText } from "../storable.ts";

/** A job row. */
export type JobRow = typeof jobs.$inferSelect;

/** What the ack path knows when it writes a job. */
export type NewJob = Pick<JobRow, "id" | "tenantId" | "userId" | "kind" | "input"> & {
  replyTarget: ReplyTarget;
  model?: string | null;
  parentJobId?: string | null;
  /** The conversation an `/ask` belongs to (its own id for a fresh question); null outside one. */
  conversationId?: string | null;
};

/** Writes a queued job; false when a job with this id exists (a redelivered event). */
export async function insertJob(db: Database, job: NewJob): Promise<boolean> {
  const rows = await db
    .insert(jobs)
    .values({
      ...job,
      // The reply target may carry the question too (Slack's heading above the answer).
      input: storableJson(job.input),
      replyTarget: storableJson(job.replyTarget),
      status: "queued",
    })
    .onConflictDoNothing({ target: jobs.id })
    .returning({ id: jobs.id });
  return rows.length === 1;
}

/** A job by id, or undefined. */
export async function getJob(db: Database, id: string): Promise<JobRow | undefined> {
  const [row] = await db.select().from(jobs).where(eq(jobs.id, id));
  return row;
}

/**
 * Moves a job from one of `from` to `to`, setting `patch` too; false when it was in another status
 * (someone else moved it first), so each transition happens once.
 */
export async function transitionJob(
  db: Database,
  id: string,
  from: JobStatus[],
  to: JobStatus,
  patch: Partial<
    Pick<JobRow, "predictionId" | "error" | "startedAt" | "completedAt" | "deadlineAt" | "model">
  > = {},
): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({
      ...patch,
      ...(patch.error ? { error: storableText(patch.error) } : {}),
      status: to,
      updatedAt: sql`now()`,
    })
    .where(and(eq(jobs.id, id), inArray(jobs.status, from)))
    .returning({ id: jobs.id });
  return rows.length === 1;
}

/** Updates a job's reply target (e.g. once the reply's message id is known) and extra message ids. */
export async function updateJobReply(
  db: Database,
  id: string,
  patch: { replyTarget?: ReplyTarget; replyMessageIds?: string[] },
): Promise<void> {
  const replyTarget = patch.replyTarget && storableJson(patch.replyTarget);
  await db
    .update(jobs)
    .set({ ...patch, ...(replyTarget ? { replyTarget } : {}), updatedAt: sql`now()` })
    .where(eq(jobs.id, id));
}

/** Records that the final message was written, so a retried completion does not write it again. */
export async function markFinalWritten(db: Database, id: string): Promise<void> {
  await db.update(jobs).set({ finalWrittenAt: sql`now()` }).where(eq(jobs.id, id));
}

/** Jobs in `status` untouched since `before`, oldest first, at most `limit`. */
export async function findStaleJobs(
  db: Database,
  status: JobStatus,
  before: Date,
  limit = 100,
): Promise<JobRow[]> {
  return db
    .select()
    .from(jobs)
    .where(and(eq(jobs.status, status), lt(jobs.updatedAt, before), isNull(jobs.finalWrittenAt)))
    .orderBy(jobs.updatedAt)
    .limit(limit);
}

/** Ended jobs whose final message was never written (a worker died in between), oldest first. */
export async function findUnwrittenEndedJobs(db: Database, before: Date, limit = 100): Promise<JobRow[]> {
  return db
    .select()
    .from(jobs)
    .where(
      and(
        inArray(jobs.status, ["succeeded", "failed", "canceled", "timed_out", "refused"]),
        isNull(jobs.finalWrittenAt),
        lt(jobs.updatedAt, before),
      ),
    )
    .orderBy(jobs.updatedAt)
    .limit(limit);
}
