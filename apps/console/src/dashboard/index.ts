import { formatUsd } from "@replibot/core";
import {
  dailySpend,
  getTenant,
  LIMIT_SETTING,
  operatorMonth,
  periodEnd,
  periodOf,
  setTenantLimit,
  settingsChanges,
  spendReport,
  type Tenant,
  tenantJobCounts,
  tenantJobs,
  tenantsOverview,
} from "@replibot/db";
import type { Context } from "hono";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { signOutForm } from "../auth/index.ts";
import type { ConsoleDeps } from "../deps.ts";
import { page } from "../layout.ts";
import { PAGE_CSP } from "../page-csp.ts";
import { overviewBody } from "./overview-page.ts";
import { readQueueHealth } from "./queue-health.ts";
import { defaultLimitFor, type LimitSettings, parseLimit } from "./tenant-limit.ts";
import { type LimitFormState, tenantBody } from "./tenant-page.ts";

/** The most tenants the first page lists. */
const TENANTS_SHOWN = 500;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The dashboard's pages and its one action (a tenant's limit), under /console/dashboard. */
export function dashboardRoutes(deps: ConsoleDeps): Hono {
  const app = new Hono();
  const settings: LimitSettings = {
    defaultLimitNanos: deps.env.DEFAULT_TENANT_LIMIT_USD,
    maxLimitNanos: deps.env.MAX_TENANT_LIMIT_USD,
    demoLimitNanos: deps.env.CONSOLE_DEMO_LIMIT_USD,
  };
  for (const path of ["/dashboard", "/dashboard/*"]) {
    app.use(path, async (c, next) => {
      await next();
      c.header("Content-Security-Policy", PAGE_CSP);
    });
  }
  const shell = (title: string, body: string) =>
    page({ title, body, active: "dashboard", navEnd: signOutForm(deps) });

  app.get("/dashboard", async (c) => {
    const period = periodOf(new Date());
    const [tenants, operator, health] = await Promise.all([
      tenantsOverview(deps.db, period, TENANTS_SHOWN),
      operatorMonth(deps.db, period),
      readQueueHealth(deps),
    ]);
    return c.html(
      shell(
        "Dashboard",
        overviewBody({
          period,
          tenants,
          shownMax: TENANTS_SHOWN,
          operator: { ...operator, capNanos: deps.env.OPERATOR_MONTHLY_CAP_USD },
          settings,
          health,
        }),
      ),
    );
  });

  const tenantPage = async (c: Context, tenant: Tenant, form: LimitFormState, status: 200 | 400 = 200) => {
    const period = periodOf(new Date());
    const [report, daily, counts, active, failed, changes, health] = await Promise.all([
      spendReport(deps.db, tenant.id, period, 10),
      dailySpend(deps.db, tenant.id, period),
      tenantJobCounts(deps.db, tenant.id, period),
      tenantJobs(deps.db, tenant.id, ["queued", "creating", "running"], 50),
      tenantJobs(deps.db, tenant.id, ["failed", "timed_out", "refused"], 20),
      settingsChanges(deps.db, tenant.id, 50),
      readQueueHealth(deps),
    ]);
    const body = tenantBody({
      tenant,
      period,
      resetsOn: periodEnd(period).toISOString().slice(0, 10),
      report,
      daily,
      counts,
      active,
      failed,
      limitChanges: changes.filter((change) => change.setting === LIMIT_SETTING).slice(0, 10),
      health,
      settings,
      form,
    });
    return c.html(shell(tenant.name ?? tenant.externalId, body), status);
  };

  const findTenant = async (id: string) => (UUID.test(id) ? getTenant(deps.db, id) : undefined);
  const notFound = (c: Context) =>
    c.html(
      shell(
        "Not found",
        '<h1>No such tenant</h1><p><a href="/console/dashboard">Back to the dashboard</a></p>',
      ),
      404,
    );

  app.get("/dashboard/tenants/:id", async (c) => {
    const tenant = await findTenant(c.req.param("id"));
    if (!tenant) return notFound(c);
    const saved = c.req.query("saved");
    const note =
      saved === "set" && tenant.monthlyLimitNanos !== null
        ? `The monthly limit is now ${formatUsd(tenant.monthlyLimitNanos)}.`
        : saved === "default"
          ? "The monthly limit is back to the default."
          : undefined;
    return tenantPage(c, tenant, note ? { note } : {});
  });

  app.post("/dashboard/tenants/:id/limit", bodyLimit({ maxSize: 16 * 1024 }), async (c) => {
    const tenant = await findTenant(c.req.param("id"));
    if (!tenant) return notFound(c);
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const typed = typeof form.amount === "string" ? form.amount : "";
    let limitNanos: bigint | null;
    if (form.action === "default") {
      limitNanos = defaultLimitFor(tenant.platform, settings);
    } else {
      const parsed = parseLimit(typed, tenant.platform, settings);
      if (!parsed.ok) return tenantPage(c, tenant, { error: parsed.reason, value: typed.slice(0, 100) }, 400);
      limitNanos = parsed.nanos;
    }
    // The same write as an admin's `/spend-limit set` or `clear` on a platform, and a line in the settings audit.
    await setTenantLimit(
      deps.db,
      tenant.id,
      limitNanos,
      deps.access.mode === "password" ? "console-admin" : "console-demo",
    );
    deps.logger.info(
      { tenantId: tenant.id, limitNanos: limitNanos?.toString() ?? null },
      "console: tenant monthly limit set",
    );
    const saved = form.action === "default" && limitNanos === null ? "default" : "set";
    return c.redirect(`/console/dashboard/tenants/${tenant.id}?saved=${saved}`, 303);
  });

  return app;
}
