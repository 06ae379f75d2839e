import { createEmulator, type Emulator, makeWav } from "@replibot/emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createReplicateClient } from "../create-replicate-client.ts";
import type { Prediction } from "../prediction.ts";
import type { ReplicateClient } from "../replicate-client.ts";
import { actualCostNanos } from "./actual-cost.ts";
import { type Catalog, type CatalogModel, resolveCatalogModel } from "./catalog.ts";
import { loadCatalog } from "./load-catalog.ts";
import { buildModelInput, type ModelInputRequest } from "./model-input.ts";
import { worstCaseCostNanos } from "./worst-case-cost.ts";

const token = "r8_costIntegration0123456789";
let catalog: Catalog;

function model(command: "ask" | "imagine" | "transcribe", id: string): CatalogModel {
  const found = resolveCatalogModel(catalog, command, id);
  if (!found.ok) throw new Error(`no model ${id}`);
  return found.model;
}

/** Nano-dollars for `seconds` (as JSON gave it) at `nanosPerSecond`, rounded up: an independent check. */
function timeCostNanos(seconds: number, nanosPerSecond: bigint): bigint {
  const [whole = "0", fraction = ""] = String(seconds).split(".");
  const scale = 10n ** BigInt(fraction.length);
  const exact = BigInt(whole + fraction) * nanosPerSecond;
  return (exact + scale - 1n) / scale;
}

/** Nano-dollars per token of the built-in prices ($0.65/M is 650 nanos a token, and so on). */
const tokenNanos: Record<string, [bigint, bigint]> = {
  "llama-3-70b": [650n, 2_750n],
  "llama-3-8b": [50n, 250n],
};

/** What the catalog says this finished prediction costs, computed again by hand from its metrics. */
function expectedNanos(entry: CatalogModel, prediction: Prediction): bigint {
  const metrics = prediction.metrics ?? {};
  const ran = prediction.status !== "aborted";
  switch (entry.id) {
    case "llama-3-70b":
    case "llama-3-8b": {
      if (prediction.status === "failed" || !ran) return 0n;
      const [inPrice, outPrice] = tokenNanos[entry.id] ?? [0n, 0n];
      return (
        BigInt(metrics.input_token_count ?? 0) * inPrice + BigInt(metrics.output_token_count ?? 0) * outPrice
      );
    }
    case "flux-schnell":
      if (prediction.status === "failed" || !ran) return 0n;
      return BigInt(metrics.image_count ?? (prediction.output as unknown[] | null)?.length ?? 0) * 3_000_000n;
    case "sdxl":
      return ran ? timeCostNanos(metrics.predict_time ?? 0, 975_000n) : 0n;
    case "whisper":
      return ran ? timeCostNanos(metrics.predict_time ?? 0, 225_000n) : 0n;
    default:
      throw new Error(`unexpected model ${entry.id}`);
  }
}

async function start(client: ReplicateClient, entry: CatalogModel, request: ModelInputRequest, tweak = {}) {
  const input = { ...buildModelInput(entry, request).input, ...tweak };
  const target = { model: entry.version ? `${entry.model}:${entry.version}` : entry.model };
  const created = await client.createPrediction({
    target,
    input,
    stream: true,
    deadlineMs: entry.maxRunSecs * 1000,
  });
  return { input, created };
}

/** Checks the exact cost against the hand computation and the hold against the cost. */
function checkCost(entry: CatalogModel, input: Record<string, unknown>, prediction: Prediction): bigint {
  const actual = actualCostNanos(entry, prediction);
  expect(actual.costNanos).toBe(expectedNanos(entry, prediction));
  expect(worstCaseCostNanos(entry, input).costNanos).toBeGreaterThanOrEqual(actual.costNanos);
  return actual.costNanos;
}

const ask = (prompt: string): ModelInputRequest => ({ kind: "ask", input: { prompt } });
const imagine = (prompt: string): ModelInputRequest => ({
  kind: "imagine",
  input: { prompt, aspectRatio: "1:1" },
});

beforeAll(async () => {
  catalog = await loadCatalog();
});

describe("exact costs of finished emulator predictions", () => {
  let emulator: Emulator;
  let client: ReplicateClient;
  beforeAll(async () => {
    emulator = await createEmulator({ port: 0, timeScale: 0.01, imageStepMs: 2 });
    client = createReplicateClient({ baseUrl: emulator.baseUrl, token });
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.control.reset());

  it("charges LLMs per input and output token", async () => {
    for (const id of ["llama-3-70b", "llama-3-8b"]) {
      const entry = model("ask", id);
      const { input, created } = await start(client, entry, ask("Tell me about llamas 🦙 in two lines"));
      const final = await client.waitForPrediction(created.id, { intervalMs: 20 });
      expect(final.status).toBe("succeeded");
      expect(checkCost(entry, input, final)).toBeGreaterThan(0n);
      const { breakdown } = actualCostNanos(entry, final);
      expect(breakdown.lines.map((line) => line.quantity)).toEqual([
        String(final.metrics?.input_token_count),
        String(final.metrics?.output_token_count),
      ]);
    }
  });

  it("charges flux per image: two images are $0.006", async () => {
    const entry = model("imagine", "flux-schnell");
    const { input, created } = await start(client, entry, imagine("two llamas"), { num_outputs: 2 });
    const final = await client.waitForPrediction(created.id, { intervalMs: 20 });
    expect(final.status).toBe("succeeded");
    expect(checkCost(entry, input, final)).toBe(6_000_000n);
  });

  it("charges sdxl its predict time on L40S, exactly", async () => {
    const entry = model("imagine", "sdxl");
    const { input, created } = await start(client, entry, imagine("a corgi"), { num_inference_steps: 5 });
    const final = await client.waitForPrediction(created.id, { intervalMs: 20 });
    expect(final.status).toBe("succeeded");
    expect(checkCost(entry, input, final)).toBeGreaterThan(0n);
  });

  it("charges whisper 8.0 s on T4 as $0.0018 (80 s of audio at 0.1 s per second)", async () => {
    const entry = model("transcribe", "whisper");
    const file = await client.uploadFile(makeWav({ durationSeconds: 80, sampleRate: 8000, toneHz: 0 }), {
      filename: "long.wav",
      contentType: "audio/wav",
    });
    const request: ModelInputRequest = { kind: "transcribe", input: { audioUrl: file.urls.get } };
    const { input, created } = await start(client, entry, request);
    const final = await client.waitForPrediction(created.id, { intervalMs: 20 });
    expect(final.status).toBe("succeeded");
    expect(final.metrics?.predict_time).toBe(8);
    expect(checkCost(entry, input, final)).toBe(1_800_000n);
  });

  it("charges failed predictions: time-billed their run time, unit-billed nothing", async () => {
    const cases: Array<[CatalogModel, ModelInputRequest]> = [
      [model("ask", "llama-3-70b"), ask("hi")],
      // The emulator's safety checker fails image models after all their steps have run.
      [model("imagine", "flux-schnell"), imagine("a nsfw-trigger llama")],
      [model("imagine", "sdxl"), imagine("a nsfw-trigger corgi")],
    ];
    emulator.control.failNextPredictions({ model: "meta/meta-llama-3-70b-instruct" });
    for (const [entry, request] of cases) {
      const { input, created } = await start(
        client,
        entry,
        request,
        entry.id === "sdxl" ? { num_inference_steps: 5 } : {},
      );
      const final = await client.waitForPrediction(created.id, { intervalMs: 20 });
      expect(final.status).toBe("failed");
      const cost = checkCost(entry, input, final);
      if (entry.billing.kind === "hardware") expect(cost).toBeGreaterThan(0n);
      else expect(cost).toBe(0n);
    }
  });
});

describe("costs of canceled and aborted emulator predictions", () => {
  let slow: Emulator;
  let client: ReplicateClient;
  beforeAll(async () => {
    slow = await createEmulator({ port: 0, tokensPerSecond: 20, imageStepMs: 100 });
    client = createReplicateClient({ baseUrl: slow.baseUrl, token });
  });
  afterAll(() => slow.close());
  beforeEach(() => slow.control.reset());

  async function cancelOnceRunning(id: string, ready: (p: Prediction) => boolean): Promise<Prediction> {
    for (let i = 0; i < 500; i++) {
      const current = await client.getPrediction(id);
      if (ready(current)) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await client.cancelPrediction(id);
    return client.waitForPrediction(id, { intervalMs: 20 });
  }

  it("charges a canceled LLM the tokens it produced", async () => {
    const entry = model("ask", "llama-3-8b");
    const { input, created } = await start(client, entry, ask("a long answer please"));
    const final = await cancelOnceRunning(created.id, (p) => Array.isArray(p.output) && p.output.length >= 3);
    expect(final.status).toBe("canceled");
    expect(final.metrics?.output_token_count).toBeGreaterThanOrEqual(3);
    expect(checkCost(entry, input, final)).toBeGreaterThan(0n);
  });

  it("charges a canceled time-billed model its predict time and a canceled image model its images", async () => {
    for (const id of ["sdxl", "flux-schnell"]) {
      const entry = model("imagine", id);
      const steps = id === "sdxl" ? 20 : 4;
      const { input, created } = await start(client, entry, imagine("a llama"), {
        num_inference_steps: steps,
      });
      // After the first step's progress line, so some predict time has passed (the 0-step line comes at start).
      const final = await cancelOnceRunning(created.id, (p) => (p.logs ?? "").split("|").length > 4);
      expect(final.status).toBe("canceled");
      const cost = checkCost(entry, input, final);
      if (id === "sdxl") expect(cost).toBeGreaterThan(0n);
      else expect(cost).toBe(0n);
    }
  });

  it("charges nothing for predictions aborted before they started", async () => {
    for (const [command, id] of [
      ["ask", "llama-3-70b"],
      ["imagine", "flux-schnell"],
      ["imagine", "sdxl"],
    ] as const) {
      const entry = model(command, id);
      slow.control.forceColdStart({ ms: 3_600_000 });
      const { input, created } = await start(client, entry, command === "ask" ? ask("hi") : imagine("x"));
      slow.control.advanceClock(Date.parse(created.deadline ?? "") - slow.control.now());
      const final = await client.waitForPrediction(created.id, { intervalMs: 20 });
      expect(final.status).toBe("aborted");
      expect(checkCost(entry, input, final)).toBe(0n);
    }
  });
});
