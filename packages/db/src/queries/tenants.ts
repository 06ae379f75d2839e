import { sql } from "drizzle-orm";
import type { Database } from "../create-db.ts";
import { tenants } from "../schema.ts";

/** A tenant row. */
export type Tenant = typeof tenants.$inferSelect;

/** Finds or creates the tenant for a platform's server or workspace id, in one statement. */
export async function upsertTenant(
  db: Database,
  platform: Tenant["platform"],
  externalId: string,
  name?: string,
): Promise<Tenant> {
  const [row] = await db
    .insert(tenants)
    .values({ platform, externalId, name })
    .onConflictDoUpdate({
      target: [tenants.platform, tenants.externalId],
      set: { name: sql`coalesce(excluded.name, ${tenants.name})` },
    })
    .returning();
  return row!;
}

/** A tenant by id, or undefined. */
export async function getTenant(db: Database, id: string): Promise<Tenant | undefined> {
  const [row] = await db.select().from(tenants).where(sql`${tenants.id} = ${id}`);
  return row;
}

/** A member's daily limit in a tenant, if an admin set one. */
export async function getUserDailyLimit(
  db: Database,
  tenantId: string,
  userId: string,
): Promise<bigint | undefined> {
  const [row] = await db.execute<{ limit: string }>(
    sql`select daily_limit_nanos::text as limit from user_limits where tenant_id = ${tenantId} and user_id = ${userId}`,
  );
  return row ? BigInt(row.limit) : undefined;
}
