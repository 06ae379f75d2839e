import { Hono } from "hono";
import type { Redis } from "ioredis";
import type postgres from "postgres";
import { checkHealth } from "./health.ts";

/** What the HTTP routes need. */
export interface WebhooksAppDeps {
  sql: postgres.Sql;
  redis: Redis;
}

/** The webhooks service's routes: GET /healthz now; Replicate's webhooks and metrics join it. */
export function createWebhooksApp(deps: WebhooksAppDeps): Hono {
  const app = new Hono();
  app.get("/healthz", async (c) => {
    const report = await checkHealth(deps.sql, deps.redis);
    return c.json(report, report.ok ? 200 : 503);
  });
  app.notFound((c) => c.json({ error: "not found" }, 404));
  return app;
}
