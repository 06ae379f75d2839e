import { setTenantLimit, type TenantRow, upsertTenant } from "@replibot/db";
import type { ConsoleDeps } from "../deps.ts";

/** The playground's tenant: platform "console", external id "demo". */
export const DEMO_TENANT_EXTERNAL_ID = "demo";

/**
 * The demo tenant, created on first use, with its monthly limit held at CONSOLE_DEMO_LIMIT_USD or
 * below (an admin may lower it, never raise it past the setting): a playground switched to real
 * Replicate cannot run up a bill.
 */
export async function demoTenant(deps: Pick<ConsoleDeps, "db" | "env">): Promise<TenantRow> {
  const tenant = await upsertTenant(deps.db, "console", DEMO_TENANT_EXTERNAL_ID, "Playground");
  const cap = deps.env.CONSOLE_DEMO_LIMIT_USD;
  if (tenant.monthlyLimitNanos !== null && tenant.monthlyLimitNanos <= cap) return tenant;
  await setTenantLimit(deps.db, tenant.id, cap);
  return { ...tenant, monthlyLimitNanos: cap };
}
