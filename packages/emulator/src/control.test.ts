import Replicate from "replicate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmulator, type Emulator } from "./index.ts";

let emulator: Emulator;
let replicate: Replicate;

beforeAll(async () => {
  emulator = await createEmulator({ tokensPerSecond: 0 });
  replicate = new Replicate({ auth: "r8_test", baseUrl: emulator.baseUrl, useFileOutput: false });
});
afterAll(() => emulator.close());

const control = (path: string, body?: unknown, method = "POST") =>
  fetch(`${emulator.origin}/_emulator${path}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe("control routes under /_emulator", () => {
  it("control over HTTP: fail the next prediction with a message, and list what was created", async () => {
    expect(
      (
        await control("/predictions/fail", {
          count: 1,
          model: "meta/meta-llama-3-8b-instruct",
          error: "GPU fell over",
        })
      ).status,
    ).toBe(204);
    await expect(
      replicate.run("meta/meta-llama-3-8b-instruct", { input: { prompt: "doomed" } }),
    ).rejects.toThrow("Prediction failed: GPU fell over");
    const output = await replicate.run("meta/meta-llama-3-8b-instruct", {
      input: { prompt: "fine", max_tokens: 2 },
    });
    expect(output).toHaveLength(2);
    const listed = (await (await fetch(`${emulator.origin}/_emulator/predictions`)).json()) as {
      results: Array<{ prediction: { status: string; error: string | null } }>;
    };
    expect(listed.results.at(-2)?.prediction).toMatchObject({ status: "failed", error: "GPU fell over" });
    expect((await control("/predictions/fail", { count: "many" })).status).toBe(400);
  });

  it("a model-wide cold start holds every prediction of that model in starting until the clock passes it", async () => {
    expect(
      (await control("/models/meta/meta-llama-3-8b-instruct/cold-start", { ms: 120_000 }, "PUT")).status,
    ).toBe(204);
    const booting = await replicate.predictions.create({
      model: "meta/meta-llama-3-8b-instruct",
      input: { prompt: "boot", max_tokens: 1 },
    });
    const other = await replicate.run("meta/meta-llama-3-70b-instruct", {
      input: { prompt: "no boot", max_tokens: 1 },
    });
    expect(other).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await replicate.predictions.get(booting.id)).status).toBe("starting");
    const advanced = (await (await control("/clock/advance", { ms: 120_000 })).json()) as { now_ms: number };
    expect(advanced.now_ms).toBeGreaterThanOrEqual(Date.now() + 119_000);
    const done = await replicate.wait(booting, { interval: 10 });
    expect(done.status).toBe("succeeded");
    expect(done.metrics?.total_time).toBeGreaterThanOrEqual(120);
    expect(done.metrics?.predict_time).toBeLessThan(60);
    await control("/models/meta/meta-llama-3-8b-instruct/cold-start", { ms: null }, "PUT");
    const quick = await replicate.predictions.create({
      model: "meta/meta-llama-3-8b-instruct",
      input: { prompt: "warm", max_tokens: 1 },
      wait: 5,
    });
    expect(quick.status).toBe("succeeded");
  });

  it("latency delays API responses until cleared", async () => {
    await control("/latency", { ms: 80 });
    const started = Date.now();
    await replicate.models.get("openai", "whisper");
    expect(Date.now() - started).toBeGreaterThanOrEqual(70);
    await control("/latency", { ms: 0 });
  });

  it("injected API faults over HTTP, then reset forgets everything", async () => {
    await control("/request-faults", { status: 500 });
    expect(
      (await fetch(`${emulator.baseUrl}/models`, { headers: { Authorization: "Bearer x" } })).status,
    ).toBe(500);
    expect((await control("/request-faults", undefined, "DELETE")).status).toBe(204);
    expect(
      (await fetch(`${emulator.baseUrl}/models`, { headers: { Authorization: "Bearer x" } })).status,
    ).toBe(200);
    expect(emulator.control.predictions().length).toBeGreaterThan(0);
    expect((await control("/reset")).status).toBe(204);
    const listed = (await (await fetch(`${emulator.origin}/_emulator/predictions`)).json()) as {
      results: unknown[];
    };
    expect(listed.results).toEqual([]);
    expect(emulator.control.requests()).toEqual([]);
    expect(Math.abs(emulator.control.now() - Date.now())).toBeLessThan(1_000);
  });
});
