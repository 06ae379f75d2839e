import { sql } from "drizzle-orm";
import type { Database } from "../create-db.ts";
import { settingsAudit, tenants } from "../schema.ts";
import { storableText } from "../storable.ts";

/** A tenant row. */
export type Tenant = typeof tenants.$inferSelect;

/** A tenant row, under the name the other row types use (`JobRow`). */
export type TenantRow = Tenant;

/**
 * Finds or creates the tenant for a platform's server or workspace id. Every command asks, so it
 * reads first and writes only a new tenant or a changed name: an upsert each time rewrote the row,
 * and the commands of one tenant queued behind each other's row lock and commit.
 */
export async function upsertTenant(
  db: Database,
  platform: Tenant["platform"],
  externalId: string,
  name?: string,
): Promise<Tenant> {
  const [found] = await db
    .select()
    .from(tenants)
    .where(sql`${tenants.platform} = ${platform} and ${tenants.externalId} = ${externalId}`);
  if (found && (name === undefined || found.name === storableText(name))) return found;
  const [row] = await db
    .insert(tenants)
    .values({ platform, externalId, name: name === undefined ? undefined : storableText(name) })
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

/** The settings audit's name for a tenant's monthly limit. */
export const LIMIT_SETTING = "monthly-limit";

/** A limit as the settings audit keeps it: exact nano-dollars in a string (JSON has no bigint); null is the default. */
function limitAudit(nanos: bigint | null): { limitNanos: string } | null {
  return nanos === null ? null : { limitNanos: nanos.toString() };
}

/**
 * Sets (or, with null, clears back to the default) a tenant's monthly limit and, when an actor is
 * named (an admin's platform id, or the console), records the change with its before and after in
 * the settings audit, in one transaction.
 */
export async function setTenantLimit(
  db: Database,
  tenantId: string,
  limitNanos: bigint | null,
  actorId?: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    const [before] = await tx
      .select({ limit: tenants.monthlyLimitNanos })
      .from(tenants)
      .where(sql`${tenants.id} = ${tenantId}`)
      .for("update");
    await tx
      .update(tenants)
      .set({ monthlyLimitNanos: limitNanos, updatedAt: sql`now()` })
      .where(sql`${tenants.id} = ${tenantId}`);
    if (actorId !== undefined && before) {
      await tx.insert(settingsAudit).values({
        tenantId,
        actorId,
        setting: LIMIT_SETTING,
        before: limitAudit(before.limit),
        after: limitAudit(limitNanos),
      });
    }
  });
}

/** Sets where a tenant's spend alerts are posted. */
export async function setAlertsChannel(db: Database, tenantId: string, channelId: string): Promise<void> {
  await db
    .update(tenants)
    .set({ alertsChannelId: channelId, updatedAt: sql`now()` })
    .where(sql`${tenants.id} = ${tenantId}`);
}

/** Sets one member's daily limit in a tenant. */
export async function setUserDailyLimit(
  db: Database,
  tenantId: string,
  userId: string,
  limitNanos: bigint,
): Promise<void> {
  await db.execute(sql`
    insert into user_limits (tenant_id, user_id, daily_limit_nanos) values (${tenantId}, ${userId}, ${limitNanos})
    on conflict (tenant_id, user_id) do update set daily_limit_nanos = excluded.daily_limit_nanos, updated_at = now()`);
}
