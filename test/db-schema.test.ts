import { budgets, jobs, ledgerEntries, migrate, tenants } from "@replibot/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, dropDatabase, type TestDatabase } from "./helpers/test-database.ts";

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase("schema");
});
afterAll(async () => {
  await t.drop();
});

async function pgCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (
      (error as { code?: string; cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code
    );
  }
}

async function seedJob(id: string) {
  const [tenant] = await t.db
    .insert(tenants)
    .values({ platform: "discord", externalId: `guild-${id}` })
    .returning();
  await t.db.insert(jobs).values({
    id,
    tenantId: tenant!.id,
    userId: "u1",
    kind: "ask",
    input: { prompt: "hi" },
    replyTarget: { platform: "console", conversationId: "c", messageId: "m" },
  });
  return tenant!;
}

describe("database schema", () => {
  it("records a prediction's cost once: a second ledger entry for it is refused", async () => {
    const tenant = await seedJob("discord-111a");
    const entry = {
      predictionId: "pred-1",
      jobId: "discord-111a",
      tenantId: tenant.id,
      userId: "u1",
      model: "meta/meta-llama-3-8b-instruct",
      period: "2026-11",
      costNanos: 22_300n,
      billing: "tokens" as const,
      breakdown: { inputTokens: 26, outputTokens: 84 },
      priceListDate: "2025-11-17",
      predictionStatus: "succeeded",
    };
    await t.db.insert(ledgerEntries).values(entry);
    expect(await pgCode(t.db.insert(ledgerEntries).values({ ...entry, costNanos: 1n }))).toBe("23505");
    const rows = await t.db.select().from(ledgerEntries);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.costNanos).toBe(22_300n);
  });

  it("keeps nano-dollar amounts exact beyond 2^53", async () => {
    const [tenant] = await t.db
      .insert(tenants)
      .values({ platform: "slack", externalId: "T-big" })
      .returning();
    const huge = 2n ** 60n + 7n;
    await t.db.insert(budgets).values({ tenantId: tenant!.id, period: "2026-11", limitNanos: huge });
    const [row] = await t.db.select().from(budgets).where(sql`${budgets.tenantId} = ${tenant!.id}`);
    expect(row!.limitNanos).toBe(huge);
    expect(row!.spentNanos).toBe(0n);
  });

  it("refuses negative spend, a malformed period and a duplicate tenant", async () => {
    const [tenant] = await t.db
      .insert(tenants)
      .values({ platform: "slack", externalId: "T-neg" })
      .returning();
    expect(
      await pgCode(
        t.db
          .insert(budgets)
          .values({ tenantId: tenant!.id, period: "2026-11", limitNanos: 1n, spentNanos: -1n }),
      ),
    ).toBe("23514");
    expect(
      await pgCode(t.db.insert(budgets).values({ tenantId: tenant!.id, period: "2026-13", limitNanos: 1n })),
    ).toBe("23514");
    expect(await pgCode(t.db.insert(tenants).values({ platform: "slack", externalId: "T-neg" }))).toBe(
      "23505",
    );
  });

  it("refuses job ids BullMQ cannot carry: with a colon, or all digits", async () => {
    const tenant = await seedJob("discord-222b");
    const base = {
      tenantId: tenant.id,
      userId: "u",
      kind: "ask" as const,
      input: {},
      replyTarget: {},
    };
    expect(await pgCode(t.db.insert(jobs).values({ ...base, id: "discord:1" }))).toBe("23514");
    expect(await pgCode(t.db.insert(jobs).values({ ...base, id: "12345" }))).toBe("23514");
  });

  it("refuses a second job pointing at the same prediction", async () => {
    const tenant = await seedJob("discord-333c");
    await t.db.update(jobs).set({ predictionId: "pred-x" }).where(sql`${jobs.id} = 'discord-333c'`);
    expect(
      await pgCode(
        t.db.insert(jobs).values({
          id: "discord-333d",
          tenantId: tenant.id,
          userId: "u",
          kind: "ask",
          input: {},
          replyTarget: {},
          predictionId: "pred-x",
        }),
      ),
    ).toBe("23505");
  });
});

describe("migrate()", () => {
  it("creates a missing database, applies once when processes race, and is a no-op the second time", async () => {
    const name = `replibot_test_race_${Date.now().toString(36)}`;
    const url = t.url.replace(/\/[^/]+$/, `/${name}`);
    try {
      await Promise.all([migrate(url), migrate(url), migrate(url), migrate(url)]);
      await migrate(url);
      const { createDb } = await import("@replibot/db");
      const handle = createDb({ url, max: 1 });
      const applied = await handle.sql`select count(*)::int as n from drizzle.__drizzle_migrations`;
      const tables = await handle.sql`select count(*)::int as n from pg_tables where schemaname = 'public'`;
      await handle.close();
      const { readFileSync } = await import("node:fs");
      const { migrationsFolder } = await import("@replibot/db");
      const journal = JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, "utf8"));
      expect(applied[0]!.n).toBe(journal.entries.length);
      expect(tables[0]!.n).toBe(13);
    } finally {
      await dropDatabase(url, name);
    }
  });
});
