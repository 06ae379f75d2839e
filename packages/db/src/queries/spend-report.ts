import { sql } from "drizzle-orm";
import type { Database } from "../create-db.ts";

/** A tenant's month as admins see it: its totals and where the money went. */
export interface SpendReport {
  period: string;
  spentNanos: bigint;
  heldNanos: bigint;
  topUsers: { userId: string; costNanos: bigint; predictions: number }[];
  topModels: { model: string; costNanos: bigint; predictions: number }[];
}

/** This month's figures for one tenant, read from the ledger and its budget row. */
export async function spendReport(
  db: Database,
  tenantId: string,
  period: string,
  top = 5,
): Promise<SpendReport> {
  const [budget] = await db.execute<{ spent: string; held: string }>(sql`
    select spent_nanos::text as spent, held_nanos::text as held from budgets
     where tenant_id = ${tenantId} and period = ${period}`);
  const users = await db.execute<{ user_id: string; cost: string; n: number }>(sql`
    select user_id, sum(cost_nanos)::text as cost, count(*)::int as n from ledger_entries
     where tenant_id = ${tenantId} and period = ${period}
     group by user_id order by sum(cost_nanos) desc, user_id limit ${top}`);
  const models = await db.execute<{ model: string; cost: string; n: number }>(sql`
    select model, sum(cost_nanos)::text as cost, count(*)::int as n from ledger_entries
     where tenant_id = ${tenantId} and period = ${period}
     group by model order by sum(cost_nanos) desc, model limit ${top}`);
  return {
    period,
    spentNanos: BigInt(budget?.spent ?? "0"),
    heldNanos: BigInt(budget?.held ?? "0"),
    topUsers: users.map((u) => ({ userId: u.user_id, costNanos: BigInt(u.cost), predictions: u.n })),
    topModels: models.map((m) => ({ model: m.model, costNanos: BigInt(m.cost), predictions: m.n })),
  };
}

/** One ledger row as the CSV export shows it. */
export interface LedgerExportRow {
  createdAt: Date;
  userId: string;
  model: string;
  predictionId: string;
  predictionStatus: string;
  billing: string;
  costNanos: bigint;
  priceListDate: string;
}

/** Every charge of one tenant's month, oldest first. */
export async function ledgerForPeriod(
  db: Database,
  tenantId: string,
  period: string,
): Promise<LedgerExportRow[]> {
  const rows = await db.execute<{
    created_at: Date | string;
    user_id: string;
    model: string;
    prediction_id: string;
    prediction_status: string;
    billing: string;
    cost: string;
    price_list_date: string;
  }>(sql`
    select created_at, user_id, model, prediction_id, prediction_status, billing, cost_nanos::text as cost, price_list_date
      from ledger_entries where tenant_id = ${tenantId} and period = ${period} order by created_at, id`);
  return rows.map((r) => ({
    createdAt: new Date(r.created_at),
    userId: r.user_id,
    model: r.model,
    predictionId: r.prediction_id,
    predictionStatus: r.prediction_status,
    billing: r.billing,
    costNanos: BigInt(r.cost),
    priceListDate: r.price_list_date,
  }));
}

/** Thresholds (percent of the limit) the tenant has now passed this month and not yet been told of. */
export async function claimSpendAlerts(
  db: Database,
  tenantId: string,
  period: string,
  limitNanos: bigint,
  thresholds: number[] = [80, 100],
): Promise<number[]> {
  const [budget] = await db.execute<{ spent: string }>(
    sql`select spent_nanos::text as spent from budgets where tenant_id = ${tenantId} and period = ${period}`,
  );
  const spent = BigInt(budget?.spent ?? "0");
  const passed = thresholds.filter(
    (percent) => limitNanos > 0n && spent * 100n >= limitNanos * BigInt(percent),
  );
  const claimed: number[] = [];
  for (const percent of passed) {
    // The primary key makes each threshold fire once per month, whichever process gets here first.
    const rows = await db.execute(sql`
      insert into spend_alerts (tenant_id, period, threshold_percent) values (${tenantId}, ${period}, ${percent})
      on conflict do nothing returning 1`);
    if (rows.length === 1) claimed.push(percent);
  }
  return claimed;
}

/** Forgets a claimed alert that could not be posted, so a later settlement posts it. */
export async function releaseSpendAlert(
  db: Database,
  tenantId: string,
  period: string,
  percent: number,
): Promise<void> {
  await db.execute(sql`
    delete from spend_alerts where tenant_id = ${tenantId} and period = ${period} and threshold_percent = ${percent}`);
}

/** A month's charges as the CSV `/spend export` attaches, one line per ledger row. */
export function ledgerCsv(rows: LedgerExportRow[]): string {
  const header = "created_at,user_id,model,prediction_id,status,billing,cost_usd,price_list_date";
  const lines = rows.map((r) =>
    [
      r.createdAt.toISOString(),
      r.userId,
      r.model,
      r.predictionId,
      r.predictionStatus,
      r.billing,
      `${r.costNanos / 1_000_000_000n}.${(r.costNanos % 1_000_000_000n).toString().padStart(9, "0")}`,
      r.priceListDate,
    ].join(","),
  );
  return `${[header, ...lines].join("\n")}\n`;
}
