import { sql } from "drizzle-orm";
import type { Database } from "../create-db.ts";

/** What admission needs to hold a job's worst case against every limit that applies. */
export interface HoldRequest {
  jobId: string;
  tenantId: string;
  userId: string;
  period: string;
  /** The UTC day, "YYYY-MM-DD", for the member's daily limit. */
  day?: string;
  amountNanos: bigint;
  /** The tenant's monthly limit in force now. */
  limitNanos: bigint;
  /** The member's daily limit, when an admin set one. */
  userDailyLimitNanos?: bigint;
  /** OPERATOR_MONTHLY_CAP_USD: all tenants together, when set. */
  operatorCapNanos?: bigint;
}

/** Which limit refused a job. */
export type HoldRefusal = "tenant_limit" | "user_daily_limit" | "operator_cap";

/** The outcome of admission: held (now or by an earlier attempt), or refused with the figures. */
export type HoldResult =
  | { ok: true; period: string; amountNanos: bigint }
  | { ok: false; reason: HoldRefusal; limitNanos: bigint; spentNanos: bigint; heldNanos: bigint };

/**
 * Holds a job's worst-case cost against the operator's cap, the tenant's month and the member's day
 * in one statement: `place_hold` (migrations/0007) locks the rows in one order (operator, tenant,
 * member), so concurrent admissions never deadlock, checks spent + held + hold ≤ limit at every level
 * before writing anything, and then holds at all three, so K concurrent jobs against budgets that fit
 * M admit exactly M. One round trip, and the tenant's row is locked only while the function runs and
 * commits (nine round trips before: 735 holds/s on one tenant, see BENCHMARKS.md). A retried
 * admission of the same job finds its hold and does not hold twice.
 */
export async function placeHold(db: Database, request: HoldRequest): Promise<HoldResult> {
  const day = request.day ?? new Date().toISOString().slice(0, 10);
  const [row] = await db.execute<{
    ok: boolean;
    reason: HoldRefusal | null;
    period: string;
    amount_nanos: string | null;
    limit_nanos: string | null;
    spent_nanos: string | null;
    held_nanos: string | null;
  }>(sql`
    select ok, reason, period, amount_nanos::text, limit_nanos::text, spent_nanos::text, held_nanos::text
      from place_hold(${request.jobId}, ${request.tenantId}::uuid, ${request.userId}, ${request.period}, ${day},
                      ${request.amountNanos}::bigint, ${request.limitNanos}::bigint,
                      ${request.userDailyLimitNanos ?? null}::bigint, ${request.operatorCapNanos ?? null}::bigint)`);
  if (!row) throw new Error("place_hold returned no row");
  if (row.ok) return { ok: true, period: row.period, amountNanos: BigInt(row.amount_nanos ?? "0") };
  return {
    ok: false,
    reason: row.reason ?? "tenant_limit",
    limitNanos: BigInt(row.limit_nanos ?? "0"),
    spentNanos: BigInt(row.spent_nanos ?? "0"),
    heldNanos: BigInt(row.held_nanos ?? "0"),
  };
}

/** Moves `amount` of a hold out of `held` (and, when charged, `cost` into `spent`) at all three levels. */
async function closeHoldIn(
  tx: Parameters<Parameters<Database["transaction"]>[0]>[0],
  hold: { tenant_id: string; user_id: string; period: string; day: string },
  releaseNanos: bigint,
  costNanos: bigint,
): Promise<void> {
  await tx.execute(sql`
    update operator_budgets set spent_nanos = spent_nanos + ${costNanos}, held_nanos = held_nanos - ${releaseNanos}
     where period = ${hold.period}`);
  await tx.execute(sql`
    update budgets set spent_nanos = spent_nanos + ${costNanos}, held_nanos = held_nanos - ${releaseNanos},
                       updated_at = now()
     where tenant_id = ${hold.tenant_id} and period = ${hold.period}`);
  await tx.execute(sql`
    update user_spend set spent_nanos = spent_nanos + ${costNanos}, held_nanos = held_nanos - ${releaseNanos}
     where tenant_id = ${hold.tenant_id} and user_id = ${hold.user_id} and day = ${hold.day}`);
}

/** One prediction's cost, as the ledger records it. */
export interface Charge {
  jobId: string;
  predictionId: string;
  model: string;
  costNanos: bigint;
  billing: "tokens" | "images" | "hardware";
  breakdown: unknown;
  priceListDate: string;
  predictionStatus: string;
}

/**
 * Records a prediction's cost exactly once (the ledger's unique prediction id) and replaces the
 * job's hold with it, in one transaction. Returns false when it was already recorded.
 */
export async function settleCharge(db: Database, charge: Charge): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [hold] = await tx.execute<{
      tenant_id: string;
      user_id: string;
      period: string;
      day: string;
      amount: string;
      status: string;
    }>(
      sql`select tenant_id, user_id, period, day, amount_nanos::text as amount, status
            from holds where job_id = ${charge.jobId} for update`,
    );
    if (!hold)
      throw new Error(`no hold for job ${charge.jobId}: a prediction is only created after admission`);
    const inserted = await tx.execute(sql`
      insert into ledger_entries (prediction_id, job_id, tenant_id, user_id, model, period, cost_nanos,
                                  billing, breakdown, price_list_date, prediction_status)
      values (${charge.predictionId}, ${charge.jobId}, ${hold.tenant_id}, ${hold.user_id}, ${charge.model},
              ${hold.period}, ${charge.costNanos}, ${charge.billing}, ${JSON.stringify(charge.breakdown)}::jsonb,
              ${charge.priceListDate}, ${charge.predictionStatus})
      on conflict (prediction_id) do nothing
      returning 1`);
    if (inserted.length === 0) return false;
    await closeHoldIn(tx, hold, hold.status === "held" ? BigInt(hold.amount) : 0n, charge.costNanos);
    await tx.execute(
      sql`update holds set status = 'settled', closed_at = now() where job_id = ${charge.jobId}`,
    );
    return true;
  });
}

/** Releases a job's hold without a charge (refused, failed before any prediction); idempotent. */
export async function releaseHold(db: Database, jobId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [hold] = await tx.execute<{
      tenant_id: string;
      user_id: string;
      period: string;
      day: string;
      amount: string;
    }>(sql`
      update holds set status = 'released', closed_at = now()
       where job_id = ${jobId} and status = 'held'
       returning tenant_id, user_id, period, day, amount_nanos::text as amount`);
    if (!hold) return false;
    await closeHoldIn(tx, hold, BigInt(hold.amount), 0n);
    return true;
  });
}

/** Releases every hold still held by a job that has ended; returns how many. */
export async function releaseOrphanHolds(db: Database): Promise<number> {
  const rows = await db.execute<{ job_id: string }>(sql`
    select h.job_id from holds h join jobs j on j.id = h.job_id
     where h.status = 'held' and j.status in ('succeeded', 'failed', 'canceled', 'timed_out', 'refused')
       and j.final_written_at is not null
     limit 500`);
  let released = 0;
  for (const row of rows) if (await releaseHold(db, row.job_id)) released += 1;
  return released;
}
