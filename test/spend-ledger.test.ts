import { budgets, insertJob, placeHold, releaseHold, settleCharge, upsertTenant } from "@replibot/db";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./helpers/test-database.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase("spend");
});
afterAll(async () => {
  await t.drop();
});

const target = { platform: "console", conversationId: "c", messageId: "m" } as const;

async function jobsFor(tenantId: string, count: number, label: string) {
  const ids = Array.from({ length: count }, (_, i) => `console-${label}-${i}`);
  for (const id of ids) {
    await insertJob(t.db, { id, tenantId, userId: `u${id}`, kind: "ask", input: {}, replyTarget: target });
  }
  return ids;
}

describe("holds and the ledger", () => {
  it("admits exactly as many concurrent jobs as the budget fits, and never overruns it", async () => {
    const tenant = await upsertTenant(t.db, "console", "race");
    const ids = await jobsFor(tenant.id, 20, "race");
    // A $1 limit fits 7 holds of $0.14 (0.98) but not 8 (1.12).
    const results = await Promise.all(
      ids.map((jobId) =>
        placeHold(t.db, {
          jobId,
          tenantId: tenant.id,
          userId: "u",
          period: "2026-11",
          amountNanos: 140_000_000n,
          limitNanos: 1_000_000_000n,
        }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(7);
    const refused = results.find((r) => !r.ok);
    expect(refused).toMatchObject({ ok: false, reason: "tenant_limit", limitNanos: 1_000_000_000n });
    const [budget] = await t.db.select().from(budgets).where(eq(budgets.tenantId, tenant.id));
    expect(budget!.heldNanos).toBe(980_000_000n);
  });

  it("holds once for a retried admission of the same job", async () => {
    const tenant = await upsertTenant(t.db, "console", "retry");
    const [jobId] = await jobsFor(tenant.id, 1, "retry");
    const request = {
      jobId: jobId!,
      tenantId: tenant.id,
      userId: "u",
      period: "2026-11",
      amountNanos: 300n,
      limitNanos: 1_000n,
    };
    expect((await placeHold(t.db, request)).ok).toBe(true);
    expect((await placeHold(t.db, request)).ok).toBe(true);
    const [budget] = await t.db.select().from(budgets).where(eq(budgets.tenantId, tenant.id));
    expect(budget!.heldNanos).toBe(300n);
  });

  it("charges a prediction once however many times it is reported, and the ledger equals spent", async () => {
    const tenant = await upsertTenant(t.db, "console", "settle");
    const [a, b] = await jobsFor(tenant.id, 2, "settle");
    for (const jobId of [a!, b!]) {
      await placeHold(t.db, {
        jobId,
        tenantId: tenant.id,
        userId: "u",
        period: "2026-11",
        amountNanos: 1_000n,
        limitNanos: 10_000n,
      });
    }
    const charge = {
      jobId: a!,
      predictionId: "pred-a",
      model: "meta/meta-llama-3-8b-instruct",
      costNanos: 223n,
      billing: "tokens" as const,
      breakdown: { inputTokens: 26, outputTokens: 84 },
      priceListDate: "2025-11-17",
      predictionStatus: "succeeded",
    };
    const reports = await Promise.all([1, 2, 3, 4].map(() => settleCharge(t.db, charge)));
    expect(reports.filter(Boolean)).toHaveLength(1);
    expect(await releaseHold(t.db, b!)).toBe(true);
    expect(await releaseHold(t.db, b!)).toBe(false);
    const [budget] = await t.db.select().from(budgets).where(eq(budgets.tenantId, tenant.id));
    expect(budget!.spentNanos).toBe(223n);
    expect(budget!.heldNanos).toBe(0n);
    const [ledger] =
      await t.sql`select sum(cost_nanos)::text as total from ledger_entries where tenant_id = ${tenant.id}`;
    expect(BigInt(ledger!.total)).toBe(budget!.spentNanos);
    const held = await t.db.execute(
      sql`select status from holds where job_id in (${a!}, ${b!}) order by job_id`,
    );
    expect(held.map((h) => h.status)).toEqual(["settled", "released"]);
  });
});
