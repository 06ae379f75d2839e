import { createRedis } from "@replibot/queue";
import { createWebhooksApp } from "@replibot/webhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, spawnNpm } from "./helpers/spawn-app.ts";
import { createTestDatabase, type TestDatabase } from "./helpers/test-database.ts";
import { createTestRedis, type TestRedis } from "./helpers/test-redis.ts";

let database: TestDatabase;
let redis: TestRedis;
beforeAll(async () => {
  database = await createTestDatabase("health");
  redis = createTestRedis("health");
});
afterAll(async () => {
  await redis.cleanup();
  await database.drop();
});

describe("GET /healthz", () => {
  it("answers 503 naming Redis when Redis is down, and 200 once it answers", async () => {
    const dead = createRedis({ url: "redis://127.0.0.1:1", role: "producer" });
    const down = await createWebhooksApp({ sql: database.sql, redis: dead }).request("/healthz");
    dead.disconnect();
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({
      ok: false,
      database: "up",
      redis: "down",
      problems: ["Redis is not answering"],
    });

    const live = redis.connect("producer");
    await live.connect();
    const up = await createWebhooksApp({ sql: database.sql, redis: live, prefix: redis.prefix }).request(
      "/healthz",
    );
    // Redis answers again; what is missing now is a worker (none runs in this test).
    expect(await up.json()).toMatchObject({
      database: "up",
      redis: "up",
      problems: ["no worker process is alive"],
    });
  });

  it("answers 503 naming the database when Postgres is down", async () => {
    const { createDb } = await import("@replibot/db");
    const deadDb = createDb({ url: "postgres://postgres@127.0.0.1:1/none", max: 1, connectTimeoutSecs: 1 });
    const live = redis.connect("producer");
    await live.connect();
    const response = await createWebhooksApp({ sql: deadDb.sql, redis: live }).request("/healthz");
    await deadDb.close();
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      ok: false,
      database: "down",
      redis: "up",
      problems: expect.arrayContaining(["Postgres is not answering"]),
    });
  });

  it("is served by the webhooks app started on its own (npm start -w @replibot/webhooks)", async () => {
    const port = await freePort();
    const app = spawnNpm(["start", "-w", "@replibot/webhooks"], {
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: redis.prefix,
      PORT: String(port),
      REPLICATE_WEBHOOK_SECRET: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    });
    try {
      await app.waitFor(/webhooks listening on http:\/\/127\.0\.0\.1:\d+/);
      // Alone, it is alive and says what the deployment lacks: a worker.
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({
        database: "up",
        redis: "up",
        problems: ["no worker process is alive"],
        processes: [expect.objectContaining({ app: "webhooks", healthy: true })],
      });
    } finally {
      app.signal("SIGTERM");
    }
    expect((await app.exited()).afterMs).toBeLessThan(10_000);
  });
});
