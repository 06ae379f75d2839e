import { createEmulator, type Emulator } from "@replibot/emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PredictionStreamEvent } from "./prediction-stream.ts";
import { clientFor, token } from "./test-support/emulator-client.ts";
import { failure } from "./test-support/scripted-server.ts";

const llama8b = "meta/meta-llama-3-8b-instruct";

describe("429s from the emulator", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await createEmulator({ port: 0 });
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.control.reset());

  it("retries 429s only after Retry-After, and the official client adds no requests of its own", async () => {
    const { client, calls } = clientFor(emulator);
    emulator.control.failRequests({ status: 429, count: 2 });
    const created = await client.createPrediction({ target: { model: llama8b }, input: { prompt: "hi" } });
    expect(calls.map((c) => c.status)).toEqual([429, 429, 201]);
    // Retry-After: 1 from the emulator; a generous lower bound, no upper bound.
    for (let i = 1; i < calls.length; i++) {
      expect((calls[i]?.atMs ?? 0) - (calls[i - 1]?.atMs ?? 0)).toBeGreaterThanOrEqual(900);
    }
    expect(emulator.control.predictions().map((p) => p.prediction.id)).toEqual([created.id]);
  });

  it("gives up on a lasting 429 with rate_limited after its own attempts only", async () => {
    const { client, calls } = clientFor(emulator, { maxRetries: 1 });
    emulator.control.failRequests({ status: 429 });
    const error = await failure(client.getPrediction("abc123"));
    emulator.control.clearRequestFaults();
    expect(error.code).toBe("rate_limited");
    expect(error.message).not.toContain(token);
    // The official client would have sent 6 back to back; our wrapper sends 1 + 1 retry.
    expect(calls.map((c) => c.status)).toEqual([429, 429]);
    expect(emulator.control.requests().filter((r) => r.status === 429)).toHaveLength(2);
  });

  it("retries a GET through injected 500s with back-off, but sends a create only once", async () => {
    const { client, calls } = clientFor(emulator, { retryBaseDelayMs: 50 });
    const created = await client.createPrediction({ target: { model: llama8b }, input: { prompt: "hi" } });
    calls.length = 0;
    emulator.control.failRequests({ status: 500, count: 2 });
    expect((await client.getPrediction(created.id)).id).toBe(created.id);
    expect(calls.map((c) => c.status)).toEqual([500, 500, 200]);
    expect((calls[2]?.atMs ?? 0) - (calls[1]?.atMs ?? 0)).toBeGreaterThanOrEqual(90);

    calls.length = 0;
    emulator.control.failRequests({ status: 500, count: 1 });
    const error = await failure(
      client.createPrediction({ target: { model: llama8b }, input: { prompt: "x" } }),
    );
    expect(error.code).toBe("upstream_error");
    expect(calls.map((c) => c.status)).toEqual([500]);
  });
});

describe("against a slow emulator", () => {
  let slow: Emulator;
  beforeAll(async () => {
    slow = await createEmulator({ port: 0, tokensPerSecond: 2 });
  });
  afterAll(() => slow.close());
  beforeEach(() => slow.control.reset());

  it("cancels a running prediction when its Cancel-After deadline passes", async () => {
    const { client } = clientFor(slow);
    const created = await client.createPrediction({
      target: { model: llama8b },
      input: { prompt: "a long answer please", max_tokens: 500 },
      stream: true,
      deadlineMs: 5_000,
    });
    const events: PredictionStreamEvent[] = [];
    const reading = (async () => {
      for await (const event of client.streamPrediction(created)) events.push(event);
    })();
    for (let i = 0; i < 200 && !events.some((e) => e.type === "output"); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect((await client.getPrediction(created.id)).status).toBe("processing");
    // Jump exactly to the deadline (advancing past it would stretch the emulated run time).
    slow.control.advanceClock(Date.parse(created.deadline ?? "") - slow.control.now());
    const final = await client.waitForPrediction(created.id, { intervalMs: 20 });
    await reading;
    expect(final.status).toBe("canceled");
    expect(final.metrics?.predict_time).toBeLessThanOrEqual(5.1);
    expect(events.at(-1)).toMatchObject({ type: "done", reason: "canceled" });
  });

  it("polls an aborted prediction (deadline before it started) to its end", async () => {
    const { client } = clientFor(slow);
    slow.control.forceColdStart({ ms: 600_000 });
    const created = await client.createPrediction({
      target: { model: llama8b },
      input: { prompt: "hi" },
      deadlineMs: 5_000,
    });
    const polling = client.waitForPrediction(created.id, { intervalMs: 20 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    slow.control.advanceClock(5_000);
    const final = await polling;
    expect(final.status).toBe("aborted");
    expect(final.started_at ?? undefined).toBeUndefined();
  });

  it("cancels on request", async () => {
    const { client } = clientFor(slow);
    const created = await client.createPrediction({ target: { model: llama8b }, input: { prompt: "hi" } });
    const canceled = await client.cancelPrediction(created.id);
    expect(canceled.status).toBe("canceled");
    expect((await client.getPrediction(created.id)).status).toBe("canceled");
  });
});

describe("against an emulator with a tight create limit", () => {
  let limited: Emulator;
  beforeAll(async () => {
    limited = await createEmulator({ port: 0, createLimitPerMinute: 1 });
  });
  afterAll(() => limited.close());

  it("waits the limiter's Retry-After (on the emulator's clock) and then creates exactly once", async () => {
    const sleeps: number[] = [];
    const { client, calls } = clientFor(limited, {
      maxRetryDelayMs: 120_000,
      sleep: async (ms) => {
        sleeps.push(ms);
        limited.control.advanceClock(ms);
      },
    });
    await client.createPrediction({ target: { model: llama8b }, input: { prompt: "one" } });
    await client.createPrediction({ target: { model: llama8b }, input: { prompt: "two" } });
    expect(calls.map((c) => c.status)).toEqual([201, 429, 201]);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(59_000);
    expect(limited.control.predictions()).toHaveLength(2);
  });
});
