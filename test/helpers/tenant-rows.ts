import type { TestDatabase } from "./test-database.ts";

/**
 * Every row of one tenant's settings and figures that an admin command could change (the tenant,
 * its budgets, members' limits, channel switches, the audit log), for before/after comparisons.
 */
export async function tenantRows(database: TestDatabase, platform: "discord" | "slack", externalId: string) {
  const { sql } = database;
  const [tenant] =
    await sql`select * from tenants where platform = ${platform} and external_id = ${externalId}`;
  if (!tenant) throw new Error(`no ${platform} tenant ${externalId}`);
  const id = tenant.id as string;
  return {
    tenant,
    budgets: await sql`select * from budgets where tenant_id = ${id} order by period`,
    userLimits: await sql`select * from user_limits where tenant_id = ${id} order by user_id`,
    channelSettings: await sql`select * from channel_settings where tenant_id = ${id} order by channel_id`,
    settingsAudit: await sql`select * from settings_audit where tenant_id = ${id} order by id`,
  };
}
