import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../create-db.ts";
import { jobs, tenants } from "../schema.ts";
import type { Tenant } from "./tenants.ts";

type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

/** Which tenant's work to stop, and why (stored as the canceled jobs' error). */
export interface StopTenantJobsInput {
  platform: Tenant["platform"];
  externalId: string;
  /** E.g. "app uninstalled". */
  reason: string;
}

/** What {@link stopTenantJobs} did and what is left for the caller. */
export interface StoppedTenantJobs {
  /** Queued jobs now canceled, their holds released. */
  canceledQueued: string[];
  /** Jobs creating or running a prediction: the caller enqueues a cancel for each. */
  running: string[];
}

/**
 * Releases the still-held holds of `jobIds` and takes their amounts out of `held` at every level
 * (operator month, tenant month, member day), as `releaseHold` does for one job, in one statement.
 */
async function releaseHeldHolds(tx: Transaction, jobIds: string[]): Promise<void> {
  await tx.execute(sql`
    with released as (
      update holds set status = 'released', closed_at = now()
       where job_id in ${jobIds} and status = 'held'
       returning tenant_id, user_id, period, day, amount_nanos
    ), operator as (
      update operator_budgets o set held_nanos = o.held_nanos - r.amount
        from (select period, sum(amount_nanos)::bigint as amount from released group by period) r
       where o.period = r.period
    ), tenant as (
      update budgets b set held_nanos = b.held_nanos - r.amount, updated_at = now()
        from (select tenant_id, period, sum(amount_nanos)::bigint as amount
                from released group by tenant_id, period) r
       where b.tenant_id = r.tenant_id and b.period = r.period
    ), member as (
      update user_spend s set held_nanos = s.held_nanos - r.amount
        from (select tenant_id, user_id, day, sum(amount_nanos)::bigint as amount
                from released group by tenant_id, user_id, day) r
       where s.tenant_id = r.tenant_id and s.user_id = r.user_id and s.day = r.day
    )
    select count(*) from released`);
}

/**
 * Stops a tenant's work when it leaves (a Slack workspace uninstalled the app), in one transaction:
 * every queued job becomes `canceled` (with `reason` as its error) and its hold, if any, is released,
 * so the tenant's and operator's `held` drop by it. Jobs already creating or running a prediction are
 * listed, not touched: the caller enqueues a cancel for each, whose completion settles their holds.
 * Other tenants' jobs are untouched, and a second call cancels nothing more.
 *
 * The canceled jobs are marked final-written: the workspace is gone, so there is nowhere to post a
 * final message, and the reconciler neither retries one nor misses an orphan hold (a run that placed
 * its hold just before this canceled the job gets it released by `releaseOrphanHolds`).
 */
export async function stopTenantJobs(db: Database, input: StopTenantJobsInput): Promise<StoppedTenantJobs> {
  return db.transaction(async (tx) => {
    const [tenant] = await tx
      .select({ id: tenants.id })
      .from(tenants)
      .where(and(eq(tenants.platform, input.platform), eq(tenants.externalId, input.externalId)));
    if (!tenant) return { canceledQueued: [], running: [] };

    const canceled = await tx
      .update(jobs)
      .set({
        status: "canceled",
        error: input.reason,
        completedAt: sql`now()`,
        finalWrittenAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(jobs.tenantId, tenant.id), eq(jobs.status, "queued")))
      .returning({ id: jobs.id });
    const canceledQueued = canceled.map((row) => row.id).sort();
    if (canceledQueued.length > 0) await releaseHeldHolds(tx, canceledQueued);

    const running = await tx
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(eq(jobs.tenantId, tenant.id), inArray(jobs.status, ["creating", "running"])))
      .orderBy(asc(jobs.createdAt), asc(jobs.id));
    return { canceledQueued, running: running.map((row) => row.id) };
  });
}
