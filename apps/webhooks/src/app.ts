import { timingSafeEqual } from "node:crypto";
import type { Logger } from "@replibot/core";
import { DEFAULT_QUEUE_PREFIX } from "@replibot/queue";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Redis } from "ioredis";
import type postgres from "postgres";
import { checkDeployment } from "./health.ts";
import type { WebhooksMetrics } from "./metrics.ts";
import { type ReplicateWebhookDeps, replicateWebhookHandler } from "./replicate-webhook.ts";

/** Largest webhook body accepted; a prediction with its logs and output fits well within it. */
export const WEBHOOK_BODY_LIMIT_BYTES = 5 * 1024 * 1024;

/** What the HTTP routes need. */
export interface WebhooksAppDeps {
  sql: postgres.Sql;
  redis: Redis;
  logger?: Logger;
  /** The deployment's queue key prefix (QUEUE_PREFIX): where heartbeats are read. */
  prefix?: string;
  /** GET /metrics; absent, the route answers 404. */
  metrics?: WebhooksMetrics;
  /** METRICS_TOKEN: /metrics answers only `Authorization: Bearer <it>` (it shows every tenant's spend). */
  metricsToken?: string;
  /** Replicate's webhooks; without them the route answers 503. */
  webhooks?: Omit<ReplicateWebhookDeps, "redis">;
}

/** The webhooks service's routes: GET /healthz, GET /metrics and POST /webhooks/replicate. */
export function createWebhooksApp(deps: WebhooksAppDeps): Hono {
  const app = new Hono();
  app.get("/healthz", async (c) => {
    const report = await checkDeployment(deps.sql, deps.redis, deps.prefix ?? DEFAULT_QUEUE_PREFIX);
    return c.json(report, report.ok ? 200 : 503);
  });
  const metrics = deps.metrics;
  const metricsToken = deps.metricsToken;
  if (metrics && metricsToken) {
    const expected = Buffer.from(`Bearer ${metricsToken}`);
    app.get("/metrics", async (c) => {
      // Checked before anything is read: a wrong token costs neither Postgres nor Redis a query.
      const given = Buffer.from(c.req.header("authorization") ?? "");
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return c.json({ error: "metrics need Authorization: Bearer <METRICS_TOKEN>" }, 401);
      }
      return c.body(await metrics.registry.metrics(), 200, { "content-type": metrics.registry.contentType });
    });
  }
  const webhooks = deps.webhooks;
  app.post(
    "/webhooks/replicate",
    bodyLimit({
      maxSize: WEBHOOK_BODY_LIMIT_BYTES,
      onError: (c) => c.json({ error: `webhook refused: body over ${WEBHOOK_BODY_LIMIT_BYTES} bytes` }, 413),
    }),
    webhooks
      ? replicateWebhookHandler({ metrics, logger: deps.logger, ...webhooks, redis: deps.redis })
      : (c) => c.json({ error: "webhooks are not configured in this process" }, 503),
  );
  app.notFound((c) => c.json({ error: "not found" }, 404));
  app.onError((error, c) => {
    deps.logger?.error({ err: error, path: c.req.path }, "request failed");
    return c.json({ error: "internal error, please retry" }, 500);
  });
  return app;
}
