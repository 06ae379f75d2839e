import { createDb } from "@replibot/db";
import { signWebhook } from "@replibot/emulator";
import { connectRedis, createProducer, createRedis, JOB_PAYLOAD_VERSION } from "@replibot/queue";
import { createWebhooksApp, WEBHOOK_BODY_LIMIT_BYTES } from "@replibot/webhooks";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./helpers/test-database.ts";
import { createTestRedis, type TestRedis } from "./helpers/test-redis.ts";

const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
let database: TestDatabase;
let redis: TestRedis;
beforeAll(async () => {
  database = await createTestDatabase("hooks");
  redis = createTestRedis("hooks");
});
afterAll(async () => {
  await redis.cleanup();
  await database.drop();
});

function signed(body: string, options: { id?: string; timestamp?: number; key?: string } = {}) {
  const id = options.id ?? `msg_${Math.random().toString(36).slice(2)}`;
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "webhook-id": id,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": signWebhook(options.key ?? secret, id, timestamp, body),
    },
  };
}

const prediction = (status: string, id = "pred123") =>
  JSON.stringify({ id, status, model: "meta/meta-llama-3-8b-instruct" });

describe("POST /webhooks/replicate", () => {
  it("refuses bad, missing, stale and foreign signatures with 401, touching neither Postgres nor Redis", async () => {
    // Both are unreachable: any use of them would turn the answer into a 500 or a hang.
    const deadDb = createDb({ url: "postgres://postgres@127.0.0.1:1/none", max: 1, connectTimeoutSecs: 1 });
    const deadRedis = createRedis({ url: "redis://127.0.0.1:1", role: "producer" });
    const app = createWebhooksApp({
      sql: deadDb.sql,
      redis: deadRedis,
      webhooks: { producer: createProducer({ connection: deadRedis }), secrets: () => [secret] },
    });
    const body = prediction("succeeded");
    const tampered = signed(body);
    tampered.body = prediction("failed");
    const cases = [
      tampered,
      { method: "POST", body, headers: { "content-type": "application/json" } },
      signed(body, { timestamp: Math.floor(Date.now() / 1000) - 600 }),
      signed(body, { key: "whsec_c2VjcmV0LW9mLXNvbWVvbmUtZWxzZQ==" }),
    ];
    const answers = await Promise.all(cases.map((c) => app.request("/webhooks/replicate?job=discord-1", c)));
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401]);
    expect(await answers[0]!.json()).toEqual({ error: "webhook refused: bad signature" });
    expect(await answers[2]!.json()).toEqual({ error: "webhook refused: stale timestamp" });
    deadRedis.disconnect();
    await deadDb.close();
  });

  it("enqueues the completion of a finished prediction once, however often it is delivered", async () => {
    const connection = redis.connect("producer");
    await connectRedis(connection, redis.url);
    const producer = createProducer({ connection, prefix: redis.prefix });
    const app = createWebhooksApp({
      sql: database.sql,
      redis: connection,
      webhooks: { producer, secrets: () => [secret], keyPrefix: redis.prefix },
    });
    const request = signed(prediction("succeeded", "predA"), { id: "msg_same" });
    const first = await app.request("/webhooks/replicate?job=discord-42", request);
    const again = await app.request(
      "/webhooks/replicate?job=discord-42",
      signed(prediction("succeeded", "predA"), { id: "msg_same" }),
    );
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ ok: true, action: "enqueued" });
    expect(await again.json()).toEqual({ ok: true, action: "duplicate" });
    const queue = new Queue("jobs", { connection: redis.connect("worker"), prefix: redis.prefix });
    const job = await queue.getJob("complete-predA-webhook");
    expect(job?.data).toEqual({
      jobId: "discord-42",
      predictionId: "predA",
      source: "webhook",
      payloadVersion: JOB_PAYLOAD_VERSION,
    });
    expect(await queue.count()).toBe(1);
    await queue.close();
    await producer.close();
  });

  it("answers intermediate events without work, and says what is wrong with a bad job id or body", async () => {
    const connection = redis.connect("producer");
    await connectRedis(connection, redis.url);
    const producer = createProducer({ connection, prefix: redis.prefix });
    const app = createWebhooksApp({
      sql: database.sql,
      redis: connection,
      webhooks: { producer, secrets: () => [secret], keyPrefix: redis.prefix },
    });
    const started = await app.request("/webhooks/replicate?job=discord-43", signed(prediction("processing")));
    expect(await started.json()).toEqual({ ok: true, action: "ignored" });
    const badJob = await app.request("/webhooks/replicate?job=a:b", signed(prediction("succeeded")));
    expect(badJob.status).toBe(400);
    const notPrediction = await app.request(
      "/webhooks/replicate?job=discord-44",
      signed(JSON.stringify({ hello: 1 })),
    );
    expect(notPrediction.status).toBe(400);
    expect(await notPrediction.json()).toEqual({ error: "webhook refused: malformed body" });
    const huge = await app.request(
      "/webhooks/replicate?job=discord-45",
      signed("x".repeat(WEBHOOK_BODY_LIMIT_BYTES + 1)),
    );
    expect(huge.status).toBe(413);
    await producer.close();
  });
});
