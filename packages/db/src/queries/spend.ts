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

class Refused extends Error {
  constructor(readonly result: Extract<HoldResult, { ok: false }>) {
    super(result.reason);
  }
}

/**
 * Holds a job's worst-case cost against the operator's cap, the tenant's month and the member's day,
 * each a conditional update (spent + held + hold ≤ limit) in one transaction that rolls back whole
 * if any refuses, so K concurrent jobs against budgets that fit M admit exactly M. Rows are locked in
 * one order (operator, tenant, member), so concurrent admissions never deadlock. A retried admission
 * of the same job finds its hold and does not hold twice.
 */
export async function placeHold(db: Database, request: HoldRequest): Promise<HoldResult> {
  const amount = request.amountNanos;
  const day = request.day ?? new Date().toISOString().slice(0, 10);
  try {
    return await db.transaction(async (tx) => {
      const [previous] = await tx.execute<{ period: string; amount_nanos: string }>(
        sql`select period, amount_nanos::text from holds where job_id = ${request.jobId}`,
      );
      if (previous) return { ok: true, period: previous.period, amountNanos: BigInt(previous.amount_nanos) };
      const refuse = async (
        reason: HoldRefusal,
        limit: bigint,
        table: string,
        where: ReturnType<typeof sql>,
      ) => {
        const [row] = await tx.execute<{ spent: string; held: string }>(
          sql`select spent_nanos::text as spent, held_nanos::text as held from ${sql.raw(table)} where ${where}`,
        );
        throw new Refused({
          ok: false,
          reason,
          limitNanos: limit,
          spentNanos: BigInt(row?.spent ?? "0"),
          heldNanos: BigInt(row?.held ?? "0"),
        });
      };

      if (request.operatorCapNanos !== undefined) {
        // Created with what tenants already spent and hold this month, so a cap set mid-month counts them.
        await tx.execute(sql`
          insert into operator_budgets (period, spent_nanos, held_nanos)
          select ${request.period}, coalesce(sum(spent_nanos), 0), coalesce(sum(held_nanos), 0)
            from budgets where period = ${request.period}
          on conflict (period) do nothing`);
        const operator = await tx.execute(sql`
          update operator_budgets set held_nanos = held_nanos + ${amount}
           where period = ${request.period} and spent_nanos + held_nanos + ${amount} <= ${request.operatorCapNanos}
           returning 1`);
        if (operator.length === 0) {
          await refuse(
            "operator_cap",
            request.operatorCapNanos,
            "operator_budgets",
            sql`period = ${request.period}`,
          );
        }
      } else {
        await tx.execute(
          sql`update operator_budgets set held_nanos = held_nanos + ${amount} where period = ${request.period}`,
        );
      }

      await tx.execute(sql`
        insert into budgets (tenant_id, period, limit_nanos)
        values (${request.tenantId}, ${request.period}, ${request.limitNanos})
        on conflict (tenant_id, period) do nothing`);
      const tenant = await tx.execute(sql`
        update budgets
           set held_nanos = held_nanos + ${amount}, limit_nanos = ${request.limitNanos}, updated_at = now()
         where tenant_id = ${request.tenantId} and period = ${request.period}
           and spent_nanos + held_nanos + ${amount} <= ${request.limitNanos}
         returning 1`);
      if (tenant.length === 0) {
        await refuse(
          "tenant_limit",
          request.limitNanos,
          "budgets",
          sql`tenant_id = ${request.tenantId} and period = ${request.period}`,
        );
      }

      await tx.execute(sql`
        insert into user_spend (tenant_id, user_id, day) values (${request.tenantId}, ${request.userId}, ${day})
        on conflict (tenant_id, user_id, day) do nothing`);
      const member = await tx.execute(sql`
        update user_spend set held_nanos = held_nanos + ${amount}
         where tenant_id = ${request.tenantId} and user_id = ${request.userId} and day = ${day}
           and (${request.userDailyLimitNanos ?? null}::bigint is null
                or spent_nanos + held_nanos + ${amount} <= ${request.userDailyLimitNanos ?? null}::bigint)
         returning 1`);
      if (member.length === 0) {
        await refuse(
          "user_daily_limit",
          request.userDailyLimitNanos ?? 0n,
          "user_spend",
          sql`tenant_id = ${request.tenantId} and user_id = ${request.userId} and day = ${day}`,
        );
      }

      await tx.execute(sql`
        insert into holds (job_id, tenant_id, user_id, period, day, amount_nanos)
        values (${request.jobId}, ${request.tenantId}, ${request.userId}, ${request.period}, ${day}, ${amount})`);
      return { ok: true, period: request.period, amountNanos: amount };
    });
  } catch (error) {
    if (error instanceof Refused) return error.result;
    throw error;
  }
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
