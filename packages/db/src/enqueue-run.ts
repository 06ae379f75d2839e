import type { Database } from "./create-db.ts";
import { backlogPosition } from "./queries/backlog.ts";

/** BullMQ's largest priority (its `PRIORITY_LIMIT`, 2^21 - 1); test/fairness.test.ts keeps the two equal. */
export const MAX_RUN_PRIORITY = 2 ** 21 - 1;

/** What {@link enqueueRun} needs of a producer; `@replibot/queue`'s fits, and this package need not know it. */
export interface RunProducer {
  enqueue(
    name: "run",
    payload: { jobId: string },
    options: { jobId: string; priority: number },
  ): Promise<void>;
}

/** A run's BullMQ priority from its place in its tenant's backlog: at least 1, at most BullMQ's limit. */
export function runPriority(position: number): number {
  return Math.min(MAX_RUN_PRIORITY, Math.max(1, Math.floor(position)));
}

/**
 * Enqueues a job's `run` with its place in its tenant's backlog as BullMQ priority. The n-th waiting
 * job of every tenant then has priority n, and BullMQ (lowest priority first, first come within one)
 * serves tenants in turn: a tenant that floods the queue waits behind its own backlog, not others'.
 * Every producer of `run` comes through here, with the one id, so a repeat is a no-op while BullMQ
 * still holds the job.
 */
export async function enqueueRun(producer: RunProducer, db: Database, jobId: string): Promise<void> {
  const priority = runPriority(await backlogPosition(db, jobId));
  await producer.enqueue("run", { jobId }, { jobId: `run-${jobId}`, priority });
}
