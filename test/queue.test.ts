import { AppError } from "@replibot/core";
import { connectRedis, createConsumer, createProducer, createRedis } from "@replibot/queue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestRedis, type TestRedis } from "./helpers/test-redis.ts";

let r: TestRedis;
beforeAll(() => {
  r = createTestRedis("queue");
});
afterAll(async () => {
  await r.cleanup();
});

describe("queue", () => {
  it("delivers a catalog job to its handler once, even when the same event is enqueued twice", async () => {
    const producerConnection = r.connect("producer");
    await connectRedis(producerConnection, r.url);
    const producer = createProducer({ connection: producerConnection, prefix: r.prefix });
    const seen: string[] = [];
    let resolveDone: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      resolveDone = resolve;
    });
    const consumer = createConsumer({
      connection: r.connect("worker"),
      prefix: r.prefix,
      handlers: {
        run: async ({ jobId }) => {
          seen.push(jobId);
          if (jobId === "discord-2") resolveDone();
        },
      },
    });
    try {
      await producer.enqueue("run", { jobId: "discord-1" }, { jobId: "run-discord-1" });
      await producer.enqueue("run", { jobId: "discord-1" }, { jobId: "run-discord-1" });
      await producer.enqueue("run", { jobId: "discord-2" }, { jobId: "run-discord-2" });
      await done;
      expect(seen).toEqual(["discord-1", "discord-2"]);
    } finally {
      await consumer.close();
      await producer.close();
    }
  });

  it("refuses payloads and ids outside the catalog before they reach Redis", async () => {
    const connection = r.connect("producer");
    await connectRedis(connection, r.url);
    const producer = createProducer({ connection, prefix: r.prefix });
    try {
      await expect(producer.enqueue("run", { jobId: "a:b" }, { jobId: "run-x" })).rejects.toThrow(/colon/);
      await expect(producer.enqueue("run", { jobId: "ok-1" }, { jobId: "12345" })).rejects.toThrow(/digits/);
      // @ts-expect-error a payload of the wrong shape
      await expect(producer.enqueue("complete", { jobId: "ok-2" }, { jobId: "c-1" })).rejects.toThrow();
    } finally {
      await producer.close();
    }
  });

  it("tells a producer at once that Redis is down, naming REDIS_URL", async () => {
    const url = "redis://127.0.0.1:1";
    const connection = createRedis({ url, role: "producer" });
    const started = Date.now();
    const error = await connectRedis(connection, url, 3_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("redis_unavailable");
    expect((error as AppError).message).toMatch(/^REDIS_URL: cannot connect to Redis at 127\.0\.0\.1:1/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("rejects an enqueue at once when the producer's connection is gone, instead of queueing it offline", async () => {
    const connection = r.connect("producer");
    await connectRedis(connection, r.url);
    const producer = createProducer({ connection, prefix: r.prefix });
    connection.disconnect();
    const error = await producer
      .enqueue("run", { jobId: "x-1" }, { jobId: "run-x-1" })
      .catch((e: unknown) => e);
    expect((error as AppError).code).toBe("redis_unavailable");
    await producer.close().catch(() => {});
  });
});
