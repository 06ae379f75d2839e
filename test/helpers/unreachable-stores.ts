import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import type { Logger } from "@replibot/core";
import { createDb, migrate } from "@replibot/db";
import { signWebhook } from "@replibot/emulator";
import { createProducer, createRedis } from "@replibot/queue";
import { createWebhooksApp, startWebhooksServer } from "@replibot/webhooks";
import type { Exposure, Secret } from "./secret-scan.ts";

/** A port nothing listens on (taken, then released). */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Postgres and Redis that do not answer, behind URLs with passwords: start-up of the webhooks
 * service and of migrations fails, and a signed webhook and a health check meet the dead stores.
 * Returns what each said (thrown messages, HTTP answers) and the passwords now in play.
 */
export async function exerciseUnreachableStores(
  logger: Logger,
  webhookSecret: string,
): Promise<{ exposures: Exposure[]; secrets: Secret[] }> {
  const port = await deadPort();
  const postgresPassword = `pg-${randomBytes(12).toString("hex")}`;
  const redisPassword = `redis-${randomBytes(12).toString("hex")}`;
  const databaseUrl = `postgres://replibot:${postgresPassword}@127.0.0.1:${port}/replibot`;
  const redisUrl = `redis://:${redisPassword}@127.0.0.1:${port}`;
  const exposures: Exposure[] = [];

  const started = await startWebhooksServer({
    env: { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, PORT: 0 },
    logger,
    webhookSecrets: [webhookSecret],
    host: "127.0.0.1",
  }).then(async (server) => {
    await server.close();
    return "started";
  }, messageOf);
  exposures.push({ where: "webhooks start-up error with Redis down", text: started });
  const migrated = await migrate(databaseUrl).then(() => "migrated", messageOf);
  exposures.push({ where: "migrate error with Postgres down", text: migrated });

  const database = createDb({ url: databaseUrl, max: 1, connectTimeoutSecs: 1 });
  const redis = createRedis({ url: redisUrl, role: "producer", connectTimeoutMs: 500 });
  const producer = createProducer({ connection: redis });
  const app = createWebhooksApp({
    sql: database.sql,
    redis,
    logger,
    webhooks: { producer, secrets: () => [webhookSecret] },
  });
  try {
    const health = await app.request("/healthz");
    exposures.push({ where: "GET /healthz with both down", text: await health.text() });
    const body = JSON.stringify({ id: "p-dead-stores", status: "succeeded", output: ["ok"] });
    const timestamp = Math.floor(Date.now() / 1000);
    const answer = await app.request("/webhooks/replicate?job=discord-1234", {
      method: "POST",
      body,
      headers: {
        "content-type": "application/json",
        "webhook-id": "msg_dead_stores",
        "webhook-timestamp": String(timestamp),
        "webhook-signature": signWebhook(webhookSecret, "msg_dead_stores", timestamp, body),
      },
    });
    exposures.push({
      where: `signed webhook with Redis down (HTTP ${answer.status})`,
      text: await answer.text(),
    });
  } finally {
    // Closing while the first connection attempt is still in flight leaves BullMQ's connect promise unhandled.
    while (redis.status === "connecting") await new Promise((resolve) => setTimeout(resolve, 20));
    await producer.close().catch(() => {});
    redis.disconnect();
    await database.close();
  }
  return {
    exposures,
    secrets: [
      { name: "the Postgres password", value: postgresPassword },
      { name: "the Redis password", value: redisPassword },
    ],
  };
}
