import Replicate from "replicate";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmulator, type Emulator } from "./index.ts";
import { type ReceivedRequest, startReceiver } from "./test-support/http-receiver.ts";

let emulator: Emulator;
let replicate: Replicate;

beforeAll(async () => {
  emulator = await createEmulator({ tokensPerSecond: 2_000, webhookRetryScheduleMs: [0, 30, 60, 90] });
  replicate = new Replicate({ auth: "r8_test", baseUrl: emulator.baseUrl, useFileOutput: false });
});
afterAll(() => emulator.close());

const verify = (request: ReceivedRequest) =>
  new Webhook(emulator.webhookSecret).verify(request.body, request.headers as Record<string, string>) as {
    status: string;
  };

describe("webhooks", () => {
  it("the secret endpoint returns the signing key", async () => {
    expect(await replicate.webhooks.default.secret.get()).toEqual({ key: emulator.webhookSecret });
  });

  it("delivers signed start, output/logs and completed webhooks whose final body equals GET", async () => {
    const receiver = await startReceiver();
    try {
      const created = await replicate.predictions.create({
        model: "meta/meta-llama-3-8b-instruct",
        input: { prompt: "webhooks please" },
        webhook: `${receiver.url}/hook?job=42`,
      });
      await emulator.control.webhooksIdle();
      await replicate.wait(created, { interval: 20 });
      await emulator.control.webhooksIdle();
      const statuses = receiver.requests.map((request) => verify(request).status);
      expect(statuses[0]).toBe("starting");
      expect(statuses.at(-1)).toBe("succeeded");
      expect(statuses.filter((status) => status === "succeeded")).toHaveLength(1);
      // output webhooks are throttled to one per 500 ms, so far fewer than one per token
      const tokens = (await replicate.predictions.get(created.id)).output as string[];
      expect(tokens.length).toBeGreaterThan(10);
      expect(receiver.requests.length).toBeLessThanOrEqual(4);
      const final = receiver.requests.at(-1)!;
      expect(final.path).toBe("/hook?job=42");
      expect(final.headers["content-type"]).toBe("application/json");
      expect(final.headers["webhook-id"]).toMatch(/^msg_/);
      const got = await fetch(`${emulator.baseUrl}/predictions/${created.id}`, {
        headers: { Authorization: "Bearer r8_test" },
      });
      expect(final.body).toBe(await got.text());
      const log = emulator.control.prediction(created.id)?.webhookDeliveries ?? [];
      expect(log.map((entry) => entry.outcome).every((outcome) => outcome === "delivered")).toBe(true);
      expect(log.map((entry) => entry.event)).toContain("completed");
    } finally {
      await receiver.close();
    }
  });

  it("honours webhook_events_filter", async () => {
    const receiver = await startReceiver();
    try {
      const created = await replicate.predictions.create({
        model: "meta/meta-llama-3-8b-instruct",
        input: { prompt: "only the end" },
        webhook: receiver.url,
        webhook_events_filter: ["completed"],
      });
      await replicate.wait(created, { interval: 20 });
      await emulator.control.webhooksIdle();
      expect(receiver.requests.map((request) => verify(request).status)).toEqual(["succeeded"]);
    } finally {
      await receiver.close();
    }
  });

  it("retries completed on 5xx with the same webhook-id, every attempt signed", async () => {
    const receiver = await startReceiver((_request, index) => ({ status: index < 2 ? 500 : 204 }));
    try {
      const created = await replicate.predictions.create({
        model: "meta/meta-llama-3-8b-instruct",
        input: { prompt: "retry me" },
        webhook: receiver.url,
        webhook_events_filter: ["completed"],
      });
      await replicate.wait(created, { interval: 20 });
      await emulator.control.webhooksIdle();
      expect(receiver.requests).toHaveLength(3);
      const ids = new Set(receiver.requests.map((request) => request.headers["webhook-id"]));
      expect(ids.size).toBe(1);
      for (const request of receiver.requests) expect(verify(request).status).toBe("succeeded");
      const log = emulator.control.prediction(created.id)?.webhookDeliveries ?? [];
      expect(log.map((entry) => [entry.attempt, entry.status])).toEqual([
        [1, 500],
        [2, 500],
        [3, 204],
      ]);
    } finally {
      await receiver.close();
    }
  });

  it("does not retry the start webhook and gives up on completed after the schedule", async () => {
    const receiver = await startReceiver(() => ({ status: 503 }));
    try {
      const created = await replicate.predictions.create({
        model: "meta/meta-llama-3-8b-instruct",
        input: { prompt: "nobody home", max_tokens: 3 },
        webhook: receiver.url,
        webhook_events_filter: ["start", "completed"],
      });
      await replicate.wait(created, { interval: 20 });
      await emulator.control.webhooksIdle();
      const statuses = receiver.requests.map((request) => verify(request).status);
      expect(statuses).toEqual(["starting", "succeeded", "succeeded", "succeeded", "succeeded"]);
    } finally {
      await receiver.close();
    }
  });

  it("control: drop, duplicate and reorder webhook messages", async () => {
    const receiver = await startReceiver();
    const run = async (prompt: string) => {
      const created = await replicate.predictions.create({
        model: "meta/meta-llama-3-8b-instruct",
        input: { prompt, max_tokens: 2 },
        webhook: `${receiver.url}/${prompt}`,
        webhook_events_filter: ["completed"],
      });
      await replicate.wait(created, { interval: 10 });
    };
    try {
      emulator.control.dropNextWebhooks(1);
      await run("dropped");
      emulator.control.duplicateNextWebhooks(1);
      await run("twice");
      emulator.control.reorderNextWebhooks(2);
      await run("first");
      await run("second");
      await emulator.control.webhooksIdle();
      expect(receiver.requests.map((request) => request.path)).toEqual([
        "/twice",
        "/twice",
        "/second",
        "/first",
      ]);
      expect(receiver.requests[0]?.headers["webhook-id"]).toBe(receiver.requests[1]?.headers["webhook-id"]);
    } finally {
      await receiver.close();
    }
  });
});
