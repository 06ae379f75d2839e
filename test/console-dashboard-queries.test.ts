import {
  dailySpend,
  insertJob,
  operatorMonth,
  placeHold,
  queuedJobsAge,
  settleCharge,
  tenantJobCounts,
  tenantJobs,
  tenantsOverview,
  upsertTenant,
} from "@replibot/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./helpers/test-database.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase("dash-queries");
});
afterAll(async () => {
  await t?.drop();
});

const target = { platform: "console", conversationId: "c", messageId: "m" } as const;
const PERIOD = "2026-11";

/** A job of `tenantId` admitted in November and, when `costNanos` is given, charged at `chargedAt`. */
async function job(
  tenantId: string,
  id: string,
  options: { status?: string; costNanos?: bigint; chargedAt?: string },
) {
  await insertJob(t.db, {
    id,
    tenantId,
    userId: `u-${id.slice(-1)}`,
    kind: "ask",
    input: {},
    replyTarget: target,
  });
  await t.sql`update jobs set created_at = '2026-11-10T12:00:00Z', status = ${options.status ?? "queued"},
    error = ${options.status === "failed" ? "model error" : null} where id = ${id}`;
  if (options.costNanos === undefined && options.status !== "running") return;
  await placeHold(t.db, {
    jobId: id,
    tenantId,
    userId: "u",
    period: PERIOD,
    amountNanos: 5_000n,
    limitNanos: 1_000_000n,
  });
  if (options.costNanos === undefined) return;
  await settleCharge(t.db, {
    jobId: id,
    predictionId: `p-${id}`,
    model: "meta/meta-llama-3-8b-instruct",
    costNanos: options.costNanos,
    billing: "tokens",
    breakdown: {},
    priceListDate: "2025-11-17",
    predictionStatus: "succeeded",
  });
  await t.sql`update ledger_entries set created_at = ${options.chargedAt ?? "2026-11-10T12:00:00Z"} where job_id = ${id}`;
}

describe("the dashboard's queries", () => {
  it("sum the ledger per UTC day, a charge settled after the month counting on its last day", async () => {
    const tenant = await upsertTenant(t.db, "discord", "g-days", "Days");
    await job(tenant.id, "days-a", {
      status: "succeeded",
      costNanos: 100n,
      chargedAt: "2026-11-03T00:00:00Z",
    });
    await job(tenant.id, "days-b", {
      status: "succeeded",
      costNanos: 23n,
      chargedAt: "2026-11-03T23:59:59Z",
    });
    await job(tenant.id, "days-c", { status: "succeeded", costNanos: 7n, chargedAt: "2026-11-30T23:00:00Z" });
    // Admitted in November, settled after midnight on December 1: still November's.
    await job(tenant.id, "days-d", { status: "succeeded", costNanos: 1n, chargedAt: "2026-12-01T00:30:00Z" });
    expect(await dailySpend(t.db, tenant.id, PERIOD)).toEqual([
      { day: "2026-11-03", costNanos: 123n, predictions: 2 },
      { day: "2026-11-30", costNanos: 8n, predictions: 2 },
    ]);
    expect(await dailySpend(t.db, tenant.id, "2026-12")).toEqual([]);
  });

  it("list tenants with the month's spend, and their jobs waiting, running and failed", async () => {
    const tenant = await upsertTenant(t.db, "slack", "T-overview", "Overview");
    await job(tenant.id, "ov-1", { status: "queued" });
    await job(tenant.id, "ov-2", { status: "queued" });
    await job(tenant.id, "ov-3", { status: "running" });
    await job(tenant.id, "ov-4", { status: "failed", costNanos: 40n });
    await job(tenant.id, "ov-5", { status: "succeeded", costNanos: 2n });
    const rows = await tenantsOverview(t.db, PERIOD);
    const row = rows.find((r) => r.id === tenant.id);
    expect(row).toEqual({
      id: tenant.id,
      platform: "slack",
      externalId: "T-overview",
      name: "Overview",
      monthlyLimitNanos: null,
      spentNanos: 42n,
      heldNanos: 5_000n,
      queued: 2,
      running: 1,
      failed: 1,
    });
    // The biggest spender first.
    expect(rows.map((r) => r.spentNanos)).toEqual([131n, 42n]);
    expect(await tenantJobCounts(t.db, tenant.id, PERIOD)).toEqual({
      queued: 2,
      running: 1,
      failed: 1,
      succeeded: 1,
    });

    const active = await tenantJobs(t.db, tenant.id, ["queued", "creating", "running"]);
    expect(active.map((j) => j.id).sort()).toEqual(["ov-1", "ov-2", "ov-3"]);
    expect(active.find((j) => j.id === "ov-3")).toMatchObject({ heldNanos: 5_000n, costNanos: null });
    const [failed] = await tenantJobs(t.db, tenant.id, ["failed"]);
    expect(failed).toMatchObject({ id: "ov-4", costNanos: 40n, heldNanos: null, error: "model error" });

    const queued = await queuedJobsAge(t.db, tenant.id);
    expect(queued.queued).toBe(2);
    expect(queued.oldestQueuedAt?.toISOString()).toBe("2026-11-10T12:00:00.000Z");
    expect((await queuedJobsAge(t.db)).queued).toBe(2);
    expect(await operatorMonth(t.db, PERIOD)).toEqual({ spentNanos: 42n + 131n, heldNanos: 5_000n });
  });
});
