import { createHmac } from "node:crypto";
import { createLogger } from "@replibot/core";
import { createDb } from "@replibot/db";
import { createProducer, createRedis } from "@replibot/queue";
import {
  createWebhooksApp,
  startWebhooksServer,
  WEBHOOK_BODY_LIMIT_BYTES,
  type WebhooksServer,
} from "@replibot/webhooks";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./helpers/test-database.ts";
import { createTestRedis, type TestRedis } from "./helpers/test-redis.ts";

const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
let database: TestDatabase;
let redis: TestRedis;
let server: WebhooksServer;
let admin: Redis;
beforeAll(async () => {
  database = await createTestDatabase("bad-hooks");
  redis = createTestRedis("bad-hooks");
  admin = redis.connect("worker");
  server = await startWebhooksServer({
    env: { DATABASE_URL: database.url, REDIS_URL: redis.url, PORT: 0 },
    logger: createLogger({ name: "bad-hooks", level: "silent" }),
    webhookSecrets: [secret],
    host: "127.0.0.1",
    prefix: redis.prefix,
  });
});
afterAll(async () => {
  await server?.close();
  await redis?.cleanup();
  await database?.drop();
});

/** The three Standard Webhooks headers over exactly these bytes (a forger with `key` could make them). */
function signedHeaders(body: string | Uint8Array, key = secret): Record<string, string> {
  const id = `msg_${Math.random().toString(36).slice(2)}`;
  const timestamp = Math.floor(Date.now() / 1000);
  const signed = Buffer.concat([Buffer.from(`${id}.${timestamp}.`), Buffer.from(body)]);
  const hmac = createHmac("sha256", Buffer.from(key.slice("whsec_".length), "base64")).update(signed);
  return {
    "content-type": "application/json",
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": `v1,${hmac.digest("base64")}`,
  };
}

/** POSTs a body to the running service, signed unless told otherwise. */
async function post(
  body: string | Uint8Array<ArrayBuffer>,
  options: { job?: string; headers?: Record<string, string> } = {},
) {
  const response = await fetch(`${server.url}/webhooks/replicate?job=${options.job ?? "discord-1"}`, {
    method: "POST",
    headers: options.headers ?? signedHeaders(body),
    body,
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** Every Redis key of this file's deployment: queued jobs, dedupe marks. */
async function redisKeys(): Promise<string[]> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, found] = await admin.scan(cursor, "MATCH", `${redis.prefix}*`, "COUNT", 500);
    cursor = next;
    keys.push(...found);
  } while (cursor !== "0");
  return keys.sort();
}

const prediction = (id: string, status = "succeeded") => JSON.stringify({ id, status });

describe("bad webhook bodies", () => {
  it("answer 400 with the reason for a signed body that is not JSON or not a prediction, and enqueue nothing", async () => {
    const before = await redisKeys();
    const shapes = [
      "not json {",
      "",
      "{}",
      "[]",
      "null",
      '"succeeded"',
      '{"status":"succeeded"}',
      '{"id":"p1"}',
      '{"id":"","status":"succeeded"}',
      '{"id":"p1","status":"exploded"}',
      '{"id":42,"status":"succeeded"}',
    ];
    for (const body of shapes) {
      expect(await post(body), body).toEqual({
        status: 400,
        json: { error: "webhook refused: malformed body" },
      });
    }
    // Bytes that are not UTF-8, though signed byte for byte: a prediction is JSON, which is UTF-8.
    const notUtf8 = Uint8Array.from([
      ...Buffer.from('{"id":"p9","status":"succeeded","x":"'),
      0xff,
      0x22,
      0x7d,
    ]);
    expect(await post(notUtf8)).toEqual({ status: 400, json: { error: "webhook refused: malformed body" } });
    // A good prediction for a URL that names no job.
    for (const job of ["", "a:b", "1234"]) {
      expect(await post(prediction("p2"), { job })).toEqual({
        status: 400,
        json: { error: "webhook refused: the URL names no valid job" },
      });
    }
    expect(await redisKeys()).toEqual(before);
  });

  it("answer 413 for a body over the limit, sized or streamed, before reading it all", async () => {
    const before = await redisKeys();
    const huge = `{"id":"p3","status":"succeeded","logs":"${"x".repeat(WEBHOOK_BODY_LIMIT_BYTES)}"}`;
    expect(await post(huge)).toEqual({
      status: 413,
      json: { error: `webhook refused: body over ${WEBHOOK_BODY_LIMIT_BYTES} bytes` },
    });
    // No Content-Length: the limit is counted as the bytes arrive.
    const chunk = new Uint8Array(1024 * 1024).fill(0x78);
    let sent = 0;
    const streamed = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 2 * WEBHOOK_BODY_LIMIT_BYTES) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const response = await fetch(`${server.url}/webhooks/replicate?job=discord-1`, {
      method: "POST",
      headers: signedHeaders("x"),
      body: streamed,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(await redisKeys()).toEqual(before);
  });

  it("keeps serving good webhooks after the bad ones, and a flood of forged ones changes nothing", async () => {
    const before = await redisKeys();
    const forged = Array.from({ length: 200 }, (_, i) => {
      const body = prediction(`forged${i}`);
      const headers = signedHeaders(body, "whsec_c2VjcmV0LW9mLXNvbWVvbmUtZWxzZQ==");
      return post(body, { headers });
    });
    const good = post(prediction("real1"), { job: "discord-77" });
    const answers = await Promise.all(forged);
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([401]));
    expect(await good).toEqual({ status: 200, json: { ok: true, action: "enqueued" } });
    const added = (await redisKeys()).filter((key) => !before.includes(key));
    // Only what the one good webhook made: its dedupe mark and its queued completion.
    expect(added.some((key) => key.includes("webhook-seen"))).toBe(true);
    expect(added.some((key) => key.includes("forged"))).toBe(false);
    expect(added.filter((key) => key.includes("webhook-seen"))).toHaveLength(1);
  });
});

describe("bad webhook bodies with Postgres and Redis unreachable", () => {
  it("are refused all the same: the checks touch neither", async () => {
    // Any use of either would turn the answer into a 500 or a hang.
    const deadDb = createDb({ url: "postgres://postgres@127.0.0.1:1/none", max: 1, connectTimeoutSecs: 1 });
    const deadRedis = createRedis({ url: "redis://127.0.0.1:1", role: "producer" });
    const app = createWebhooksApp({
      sql: deadDb.sql,
      redis: deadRedis,
      webhooks: { producer: createProducer({ connection: deadRedis }), secrets: () => [secret] },
    });
    const request = (body: string, job = "discord-5") =>
      app.request(`/webhooks/replicate?job=${job}`, { method: "POST", headers: signedHeaders(body), body });
    const answers = await Promise.all([
      request("{}"),
      request("not json"),
      request('{"id":"p1","status":"exploded"}'),
      request(prediction("p4"), "a:b"),
      request(prediction("p5", "processing")),
      request("x".repeat(WEBHOOK_BODY_LIMIT_BYTES + 1)),
    ]);
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 400, 200, 413]);
    expect(await answers[4]!.json()).toEqual({ ok: true, action: "ignored" });
    deadRedis.disconnect();
    await deadDb.close();
  });
});
