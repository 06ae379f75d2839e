import { sql } from "drizzle-orm";
import type { Database } from "../create-db.ts";
import type { Tenant } from "./tenants.ts";

/** One tenant's line on the console's dashboard: who it is, its month's money and its jobs in flight. */
export interface TenantOverview {
  id: string;
  platform: Tenant["platform"];
  externalId: string;
  name: string | null;
  /** The limit an admin set; null means the default (DEFAULT_TENANT_LIMIT_USD). */
  monthlyLimitNanos: bigint | null;
  spentNanos: bigint;
  heldNanos: bigint;
  queued: number;
  /** Jobs creating or running a prediction. */
  running: number;
  /** Jobs of the month that failed or timed out. */
  failed: number;
}

/** Every tenant (the biggest spenders first, at most `limit`) with the month's figures of `period`. */
export async function tenantsOverview(db: Database, period: string, limit = 500): Promise<TenantOverview[]> {
  const rows = await db.execute<{
    id: string;
    platform: Tenant["platform"];
    external_id: string;
    name: string | null;
    limit_nanos: string | null;
    spent: string;
    held: string;
    queued: number;
    running: number;
    failed: number;
  }>(sql`
    select t.id, t.platform, t.external_id, t.name, t.monthly_limit_nanos::text as limit_nanos,
           coalesce(b.spent_nanos, 0)::text as spent, coalesce(b.held_nanos, 0)::text as held,
           coalesce(j.queued, 0)::int as queued, coalesce(j.running, 0)::int as running,
           coalesce(j.failed, 0)::int as failed
      from tenants t
      left join budgets b on b.tenant_id = t.id and b.period = ${period}
      left join lateral (
        select count(*) filter (where status = 'queued') as queued,
               count(*) filter (where status in ('creating', 'running')) as running,
               count(*) filter (where status in ('failed', 'timed_out')
                                  and created_at >= ${periodStartSql(period)}) as failed
          from jobs where tenant_id = t.id
           and (status in ('queued', 'creating', 'running') or created_at >= ${periodStartSql(period)})
      ) j on true
     order by coalesce(b.spent_nanos, 0) desc, t.platform, t.name nulls last, t.external_id
     limit ${limit}`);
  return rows.map((r) => ({
    id: r.id,
    platform: r.platform,
    externalId: r.external_id,
    name: r.name,
    monthlyLimitNanos: r.limit_nanos === null ? null : BigInt(r.limit_nanos),
    spentNanos: BigInt(r.spent),
    heldNanos: BigInt(r.held),
    queued: r.queued,
    running: r.running,
    failed: r.failed,
  }));
}

/** A day's charges in a tenant's month. */
export interface DailySpend {
  /** "YYYY-MM-DD", UTC. */
  day: string;
  costNanos: bigint;
  predictions: number;
}

/**
 * A tenant's ledger for `period`, summed per UTC day (only days with charges). A job admitted on the
 * last day and settled after midnight belongs to the month it was admitted in: it counts on that
 * month's last day.
 */
export async function dailySpend(db: Database, tenantId: string, period: string): Promise<DailySpend[]> {
  const rows = await db.execute<{ day: string; cost: string; n: number }>(sql`
    select to_char(least((created_at at time zone 'utc')::date,
                         (${`${period}-01`}::date + interval '1 month' - interval '1 day')::date),
                   'YYYY-MM-DD') as day,
           sum(cost_nanos)::text as cost, count(*)::int as n
      from ledger_entries where tenant_id = ${tenantId} and period = ${period}
     group by 1 order by 1`);
  return rows.map((r) => ({ day: r.day, costNanos: BigInt(r.cost), predictions: r.n }));
}

/** A job as the dashboard lists it, with what it cost (settled) or holds (running). */
export interface DashboardJob {
  id: string;
  userId: string;
  kind: string;
  model: string | null;
  status: string;
  error: string | null;
  createdAt: Date;
  completedAt: Date | null;
  /** The ledger's charge for its prediction(s); null when nothing was charged. */
  costNanos: bigint | null;
  /** Its hold while it is admitted and not yet settled. */
  heldNanos: bigint | null;
}

/** A tenant's newest jobs in one of `statuses`, newest first. */
export async function tenantJobs(
  db: Database,
  tenantId: string,
  statuses: string[],
  limit = 20,
): Promise<DashboardJob[]> {
  const rows = await db.execute<{
    id: string;
    user_id: string;
    kind: string;
    model: string | null;
    status: string;
    error: string | null;
    created_at: Date | string;
    completed_at: Date | string | null;
    cost: string | null;
    held: string | null;
  }>(sql`
    select j.id, j.user_id, j.kind, j.model, j.status, j.error, j.created_at, j.completed_at,
           (select sum(l.cost_nanos)::text from ledger_entries l where l.job_id = j.id) as cost,
           (select h.amount_nanos::text from holds h where h.job_id = j.id and h.status = 'held') as held
      from jobs j
     where j.tenant_id = ${tenantId}
       and j.status in (${sql.join(
         statuses.map((s) => sql`${s}`),
         sql`, `,
       )})
     order by j.created_at desc, j.id desc
     limit ${limit}`);
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    kind: r.kind,
    model: r.model,
    status: r.status,
    error: r.error,
    createdAt: new Date(r.created_at),
    completedAt: r.completed_at === null ? null : new Date(r.completed_at),
    costNanos: r.cost === null ? null : BigInt(r.cost),
    heldNanos: r.held === null ? null : BigInt(r.held),
  }));
}

/** How many of a tenant's jobs of the month ended in each status, and how many wait or run now. */
export async function tenantJobCounts(
  db: Database,
  tenantId: string,
  period: string,
): Promise<Record<string, number>> {
  const rows = await db.execute<{ status: string; n: number }>(sql`
    select status, count(*)::int as n from jobs
     where tenant_id = ${tenantId}
       and (status in ('queued', 'creating', 'running') or created_at >= ${periodStartSql(period)})
     group by status`);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** The queued jobs of the deployment (or one tenant): how many, and since when the oldest waits. */
export async function queuedJobsAge(
  db: Database,
  tenantId?: string,
): Promise<{ queued: number; oldestQueuedAt: Date | null }> {
  const [row] = await db.execute<{ n: number; oldest: Date | string | null }>(sql`
    select count(*)::int as n, min(created_at) as oldest from jobs
     where status = 'queued' ${tenantId === undefined ? sql`` : sql`and tenant_id = ${tenantId}`}`);
  return { queued: row?.n ?? 0, oldestQueuedAt: row?.oldest ? new Date(row.oldest) : null };
}

/** What all tenants together spent and hold in `period` (what OPERATOR_MONTHLY_CAP_USD counts). */
export async function operatorMonth(
  db: Database,
  period: string,
): Promise<{ spentNanos: bigint; heldNanos: bigint }> {
  const [row] = await db.execute<{ spent: string; held: string }>(sql`
    select coalesce(sum(spent_nanos), 0)::text as spent, coalesce(sum(held_nanos), 0)::text as held
      from budgets where period = ${period}`);
  return { spentNanos: BigInt(row?.spent ?? "0"), heldNanos: BigInt(row?.held ?? "0") };
}

/** The first instant of `period` ("YYYY-MM") as a UTC timestamp in SQL. */
function periodStartSql(period: string) {
  return sql`(${`${period}-01 00:00:00+00`}::timestamptz)`;
}
