import { sql } from "drizzle-orm";
import type { Database } from "../create-db.ts";

/**
 * A job's place in its tenant's backlog: how many of the tenant's queued jobs were created no later
 * than it, itself included (0 when it is not queued). On the ack path that is the tenant's whole
 * backlog; for jobs the reconciler re-enqueues, it keeps their order. Reads only the partial index
 * of queued rows, never the tenant's history.
 */
export async function backlogPosition(db: Database, jobId: string): Promise<number> {
  const [row] = await db.execute<{ n: number }>(sql`
    select count(*)::int as n
      from jobs j
      join jobs q on q.tenant_id = j.tenant_id and q.status = 'queued' and q.created_at <= j.created_at
     where j.id = ${jobId} and j.status = 'queued'`);
  return row?.n ?? 0;
}
