import { sql } from "drizzle-orm";
import type { Database } from "../create-db.ts";

/** What admission needs to hold a job's worst case against its tenant's month. */
export interface HoldRequest {
  jobId: string;
  tenantId: string;
  userId: string;
  period: string;
  amountNanos: bigint;
  /** The tenant's monthly limit in force now. */
  limitNanos: bigint;
}

/** The outcome of admission: held (now or by an earlier attempt), or refused with the figures. */
export type HoldResult =
  | { ok: true; period: string; amountNanos: bigint }
  | { ok: false; reason: "tenant_limit"; limitNanos: bigint; spentNanos: bigint; heldNanos: bigint };

/**
 * Holds a job's worst-case cost in one conditional update (spent + held + hold ≤ limit), so K
 * concurrent jobs against a budget that fits M admit exactly M. A retried admission of the same
 * job finds its hold and does not hold twice.
 */
export async function placeHold(db: Database, request: HoldRequest): Promise<HoldResult> {
  return db.transaction(async (tx) => {
    const existing = await tx.execute<{ period: string; amount_nanos: string }>(
      sql`select period, amount_nanos::text from holds where job_id = ${request.jobId}`,
    );
    const previous = existing[0];
    if (previous) return { ok: true, period: previous.period, amountNanos: BigInt(previous.amount_nanos) };
    await tx.execute(sql`
      insert into budgets (tenant_id, period, limit_nanos)
      values (${request.tenantId}, ${request.period}, ${request.limitNanos})
      on conflict (tenant_id, period) do nothing`);
    const updated = await tx.execute(sql`
      update budgets
         set held_nanos = held_nanos + ${request.amountNanos},
             limit_nanos = ${request.limitNanos},
             updated_at = now()
       where tenant_id = ${request.tenantId} and period = ${request.period}
         and spent_nanos + held_nanos + ${request.amountNanos} <= ${request.limitNanos}
       returning 1`);
    if (updated.length === 0) {
      const [budget] = await tx.execute<{ spent: string; held: string }>(sql`
        select spent_nanos::text as spent, held_nanos::text as held from budgets
         where tenant_id = ${request.tenantId} and period = ${request.period}`);
      return {
        ok: false,
        reason: "tenant_limit",
        limitNanos: request.limitNanos,
        spentNanos: BigInt(budget?.spent ?? "0"),
        heldNanos: BigInt(budget?.held ?? "0"),
      };
    }
    await tx.execute(sql`
      insert into holds (job_id, tenant_id, user_id, period, amount_nanos)
      values (${request.jobId}, ${request.tenantId}, ${request.userId}, ${request.period}, ${request.amountNanos})`);
    return { ok: true, period: request.period, amountNanos: request.amountNanos };
  });
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
      amount: string;
      status: string;
    }>(
      sql`select tenant_id, user_id, period, amount_nanos::text as amount, status
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
    const release = hold.status === "held" ? BigInt(hold.amount) : 0n;
    await tx.execute(sql`
      update budgets set spent_nanos = spent_nanos + ${charge.costNanos},
                         held_nanos = held_nanos - ${release}, updated_at = now()
       where tenant_id = ${hold.tenant_id} and period = ${hold.period}`);
    await tx.execute(
      sql`update holds set status = 'settled', closed_at = now() where job_id = ${charge.jobId}`,
    );
    return true;
  });
}

/** Releases a job's hold without a charge (refused, failed before any prediction); idempotent. */
export async function releaseHold(db: Database, jobId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [hold] = await tx.execute<{ tenant_id: string; period: string; amount: string }>(sql`
      update holds set status = 'released', closed_at = now()
       where job_id = ${jobId} and status = 'held'
       returning tenant_id, period, amount_nanos::text as amount`);
    if (!hold) return false;
    await tx.execute(sql`
      update budgets set held_nanos = held_nanos - ${BigInt(hold.amount)}, updated_at = now()
       where tenant_id = ${hold.tenant_id} and period = ${hold.period}`);
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
