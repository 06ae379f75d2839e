import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Logger } from "@replibot/core";
import { createDb } from "@replibot/db";
import {
  connectRedis,
  createProducer,
  createRedis,
  DEFAULT_QUEUE_PREFIX,
  startHeartbeat,
} from "@replibot/queue";
import { createWebhooksApp } from "./app.ts";
import type { WebhooksEnv } from "./env.ts";
import { createWebhooksMetrics } from "./metrics.ts";

/** A listening webhooks service. */
export interface WebhooksServer {
  url: string;
  close(): Promise<void>;
}

/** Options for {@link startWebhooksServer}. */
export interface StartWebhooksOptions {
  env: Pick<WebhooksEnv, "DATABASE_URL" | "REDIS_URL" | "PORT"> & Partial<Pick<WebhooksEnv, "METRICS_TOKEN">>;
  logger: Logger;
  /** Replicate's `whsec_…` signing secrets (several during rotation). */
  webhookSecrets: readonly string[];
  host?: string;
  prefix?: string;
}

/** Connects to Postgres and Redis, then listens on PORT. Migrations are the caller's job. */
export async function startWebhooksServer(options: StartWebhooksOptions): Promise<WebhooksServer> {
  const { env, logger } = options;
  const database = createDb({ url: env.DATABASE_URL, max: 5 });
  const redis = createRedis({ url: env.REDIS_URL, role: "producer" });
  try {
    await connectRedis(redis, env.REDIS_URL);
  } catch (error) {
    await database.close();
    throw error;
  }
  const producer = createProducer({ connection: redis, prefix: options.prefix });
  const prefix = options.prefix ?? DEFAULT_QUEUE_PREFIX;
  const app = createWebhooksApp({
    sql: database.sql,
    redis,
    logger,
    prefix,
    metrics: createWebhooksMetrics({ sql: database.sql, redis, producer, prefix }),
    metricsToken: env.METRICS_TOKEN,
    webhooks: { producer, secrets: () => options.webhookSecrets, keyPrefix: options.prefix },
  });
  const host = options.host ?? "0.0.0.0";
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: env.PORT, hostname: host }, () => resolve(s));
    s.once("error", reject);
  }).catch(async (error: unknown) => {
    redis.disconnect();
    await database.close();
    throw error;
  });
  const port = (server.address() as AddressInfo).port;
  const heartbeat = startHeartbeat({
    redis,
    prefix: options.prefix ?? DEFAULT_QUEUE_PREFIX,
    app: "webhooks",
    check: () => ({ healthy: true, problems: [] }),
  });
  const url = `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}`;
  logger.info({ url }, "webhooks listening");
  return {
    url,
    async close() {
      await heartbeat.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ("closeAllConnections" in server) server.closeAllConnections();
      });
      await producer.close();
      await redis.quit().catch(() => redis.disconnect());
      await database.close();
    },
  };
}
