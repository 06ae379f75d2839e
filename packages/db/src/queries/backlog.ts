import { sql } from "drizzle-orm";
import type { Database } from "../create-db.ts";

/**
 * Past this place in a backlog every queued job of a tenant shares one priority: counting further
 * would make each command cost more the longer the queue (the ack benchmark at 200 commands/s with
 * a 12,000-job backlog spent its time there), and TENANT_QUEUED_JOBS_MAX (50 by default) keeps real
 * backlogs far below it.
 */
export const BACKLOG_COUNT_CAP = 1_000;

/**
 * A job's place in its tenant's backlog: how many of the tenant's queued jobs were created no later
 * than it, itself included (0 when it is not queued), counted up to {@link BACKLOG_COUNT_CAP}. On
 * the ack path that is the tenant's whole backlog; for jobs the reconciler re-enqueues, it keeps
 * their order. Reads only the partial index of queued rows, never the tenant's history.
 */
export async function backlogPosition(db: Database, jobId: string): Promise<number> {
  const [row] = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from (
      select 1
        from jobs j
        join jobs q on q.tenant_id = j.tenant_id and q.status = 'queued' and q.created_at <= j.created_at
       where j.id = ${jobId} and j.status = 'queued'
       limit ${BACKLOG_COUNT_CAP}
    ) ahead`);
  return row?.n ?? 0;
}
