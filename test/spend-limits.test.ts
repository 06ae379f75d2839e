import {
  createDb,
  type DbHandle,
  insertJob,
  placeHold,
  releaseHold,
  settleCharge,
  upsertTenant,
} from "@replibot/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./helpers/test-database.ts";

let t: TestDatabase;
let small: DbHandle;
beforeAll(async () => {
  t = await createTestDatabase("limits");
  // A small pool: admissions queue for connections, as they would under load.
  small = createDb({ url: t.url, max: 4 });
});
afterAll(async () => {
  await small.close();
  await t.drop();
});

const target = { platform: "console", conversationId: "c", messageId: "m" } as const;

async function jobs(tenantId: string, label: string, count: number, userOf = (i: number) => `u${i}`) {
  const ids = Array.from({ length: count }, (_, i) => `console-${label}-${i}`);
  await Promise.all(
    ids.map((id, i) =>
      insertJob(t.db, { id, tenantId, userId: userOf(i), kind: "ask", input: {}, replyTarget: target }),
    ),
  );
  return ids;
}

describe("admission against every limit", () => {
  it("admits exactly M of 200 concurrent jobs when the tenant's month fits M", async () => {
    const tenant = await upsertTenant(t.db, "console", "k200");
    const ids = await jobs(tenant.id, "k200", 200);
    // $1.00 limit, $0.027 holds: 37 fit (0.999), 38 do not.
    const results = await Promise.all(
      ids.map((jobId, i) =>
        placeHold(small.db, {
          jobId,
          tenantId: tenant.id,
          userId: `u${i}`,
          period: "2026-11",
          amountNanos: 27_000_000n,
          limitNanos: 1_000_000_000n,
        }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(37);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.reason === "tenant_limit")).toBe(true);
    const [budget] = await t.sql`select held_nanos::text as held from budgets where tenant_id = ${tenant.id}`;
    expect(BigInt(budget!.held)).toBe(999_000_000n);
  });

  it("admits exactly M across tenants when the operator's cap binds, and refuses with the operator wording", async () => {
    const a = await upsertTenant(t.db, "discord", "cap-a");
    const b = await upsertTenant(t.db, "slack", "cap-b");
    const idsA = await jobs(a.id, "cap-a", 100);
    const idsB = await jobs(b.id, "cap-b", 100);
    const all = [...idsA.map((id) => [id, a.id] as const), ...idsB.map((id) => [id, b.id] as const)];
    const results = await Promise.all(
      all.map(([jobId, tenantId], i) =>
        placeHold(small.db, {
          jobId,
          tenantId,
          userId: `u${i}`,
          period: "2026-10",
          amountNanos: 10_000_000n,
          limitNanos: 100_000_000_000n,
          operatorCapNanos: 230_000_000n,
        }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(23);
    expect(results.find((r) => !r.ok)).toMatchObject({
      ok: false,
      reason: "operator_cap",
      limitNanos: 230_000_000n,
    });
    const [operator] =
      await t.sql`select held_nanos::text as held from operator_budgets where period = '2026-10'`;
    const [tenants] = await t.sql`select sum(held_nanos)::text as held from budgets where period = '2026-10'`;
    expect(BigInt(operator!.held)).toBe(230_000_000n);
    expect(BigInt(tenants!.held)).toBe(230_000_000n);
  });

  it("keeps a member within a daily limit, and lets them spend again the next UTC day", async () => {
    const tenant = await upsertTenant(t.db, "discord", "daily");
    const ids = await jobs(tenant.id, "daily", 4, () => "rita");
    const hold = (jobId: string, day: string) =>
      placeHold(t.db, {
        jobId,
        tenantId: tenant.id,
        userId: "rita",
        period: "2026-11",
        day,
        amountNanos: 40_000_000n,
        limitNanos: 5_000_000_000n,
        userDailyLimitNanos: 100_000_000n,
      });
    expect((await hold(ids[0]!, "2026-11-20")).ok).toBe(true);
    expect((await hold(ids[1]!, "2026-11-20")).ok).toBe(true);
    expect(await hold(ids[2]!, "2026-11-20")).toMatchObject({
      ok: false,
      reason: "user_daily_limit",
      limitNanos: 100_000_000n,
    });
    expect((await hold(ids[3]!, "2026-11-21")).ok).toBe(true);
  });

  it("starts each calendar month afresh: a full month does not block the next", async () => {
    const tenant = await upsertTenant(t.db, "discord", "rollover");
    const [nov, dec] = await jobs(tenant.id, "rollover", 2);
    const request = { tenantId: tenant.id, userId: "u", amountNanos: 1_000n, limitNanos: 1_000n };
    expect((await placeHold(t.db, { ...request, jobId: nov!, period: "2026-11" })).ok).toBe(true);
    expect((await placeHold(t.db, { ...request, jobId: `${nov!}-x`, period: "2026-11" })).ok).toBe(false);
    expect((await placeHold(t.db, { ...request, jobId: dec!, period: "2026-12" })).ok).toBe(true);
  });

  it("settles into every level once, and releases every level, so the ledger equals spent everywhere", async () => {
    const tenant = await upsertTenant(t.db, "discord", "levels");
    const [paid, dropped] = await jobs(tenant.id, "levels", 2, () => "lou");
    for (const jobId of [paid!, dropped!]) {
      await placeHold(t.db, {
        jobId,
        tenantId: tenant.id,
        userId: "lou",
        period: "2026-09",
        day: "2026-09-09",
        amountNanos: 5_000n,
        limitNanos: 1_000_000n,
        userDailyLimitNanos: 1_000_000n,
        operatorCapNanos: 10_000_000n,
      });
    }
    const charge = {
      jobId: paid!,
      predictionId: "pred-levels",
      model: "black-forest-labs/flux-schnell",
      costNanos: 3_000n,
      billing: "images" as const,
      breakdown: {},
      priceListDate: "2026-03-01",
      predictionStatus: "succeeded",
    };
    await Promise.all([settleCharge(t.db, charge), settleCharge(t.db, charge), settleCharge(t.db, charge)]);
    await releaseHold(t.db, dropped!);
    const rows = await t.db.execute<{ level: string; spent: string; held: string }>(sql`
      select 'tenant' as level, spent_nanos::text as spent, held_nanos::text as held from budgets where tenant_id = ${tenant.id}
      union all select 'member', spent_nanos::text, held_nanos::text from user_spend where tenant_id = ${tenant.id}
      union all select 'operator', spent_nanos::text, held_nanos::text from operator_budgets where period = '2026-09'`);
    expect(rows.map((r) => [r.level, r.spent, r.held])).toEqual([
      ["tenant", "3000", "0"],
      ["member", "3000", "0"],
      ["operator", "3000", "0"],
    ]);
  });
});
