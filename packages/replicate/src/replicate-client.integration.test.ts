import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { createEmulator, type Emulator, makeWav, sdxlVersion, whisperVersion } from "@replibot/emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Catalog } from "./catalog/catalog.ts";
import { checkCatalogModels } from "./catalog/check-catalog-models.ts";
import { defaultCatalogData } from "./catalog/default-catalog.ts";
import { loadCatalog } from "./catalog/load-catalog.ts";
import type { Prediction } from "./prediction.ts";
import { clientFor, collect, token } from "./test-support/emulator-client.ts";
import { failure } from "./test-support/scripted-server.ts";
import { verifyWebhook } from "./verify-webhook.ts";

const llama8b = "meta/meta-llama-3-8b-instruct";
const outputText = (prediction: Prediction) => (prediction.output as string[]).join("");

describe("against the emulator", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await createEmulator({ port: 0, timeScale: 0.01, pageSize: 2 });
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.control.reset());

  it("creates by model, by pinned version and by deployment, and gets each", async () => {
    const { client } = clientFor(emulator);
    const byModel = await client.createPrediction({
      target: { model: llama8b },
      input: { prompt: "hi", max_tokens: 8 },
    });
    expect(byModel).toMatchObject({ status: "starting", model: llama8b });
    const byVersion = await client.createPrediction({
      target: { model: `stability-ai/sdxl:${sdxlVersion}` },
      input: { prompt: "a corgi", width: 512, height: 512, num_inference_steps: 2 },
    });
    expect(byVersion).toMatchObject({ model: "stability-ai/sdxl", version: sdxlVersion });
    const byDeployment = await client.createPrediction({
      target: { deployment: "replibot/chat" },
      input: { prompt: "hi" },
    });
    expect(byDeployment).toMatchObject({ deployment: "replibot/chat", model: llama8b });
    for (const created of [byModel, byVersion, byDeployment]) {
      expect((await client.getPrediction(created.id)).id).toBe(created.id);
    }
    const sdxl = await client.waitForPrediction(byVersion.id, { intervalMs: 20 });
    expect(sdxl.status).toBe("succeeded");
    expect(sdxl.output).toEqual([expect.stringMatching(/^http/)]);
  });

  it("sends webhook, filter and the deadline, which Replicate records", async () => {
    const { client } = clientFor(emulator);
    const created = await client.createPrediction({
      target: { model: llama8b },
      input: { prompt: "hi" },
      webhook: "http://127.0.0.1:9/hook?job=j1",
      webhookEventsFilter: ["completed"],
      deadlineMs: 90_000,
    });
    expect(created.webhook).toBe("http://127.0.0.1:9/hook?job=j1");
    expect(created.webhook_events_filter).toEqual(["completed"]);
    const deadlineMs = Date.parse(created.deadline ?? "") - Date.parse(created.created_at ?? "");
    expect(deadlineMs).toBeGreaterThanOrEqual(89_000);
    expect(deadlineMs).toBeLessThanOrEqual(91_000);
  });

  it("lists predictions newest first and follows next pages", async () => {
    const { client } = clientFor(emulator);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(
        (await client.createPrediction({ target: { model: llama8b }, input: { prompt: `n${i}` } })).id,
      );
    }
    const first = await client.listPredictions();
    expect(first.results.map((p) => p.id)).toEqual([ids[2], ids[1]]);
    expect(first.next).toBeTruthy();
    const second = await client.listPredictions({ next: first.next ?? "" });
    expect(second.results.map((p) => p.id)).toEqual([ids[0]]);
  });

  it("reads the SSE stream into exactly the final output text", async () => {
    const { client } = clientFor(emulator);
    const created = await client.createPrediction({
      target: { model: llama8b },
      input: { prompt: "Write two short lines about llamas", max_tokens: 200 },
      stream: true,
    });
    const events = await collect(client.streamPrediction(created));
    // By id too, as a worker taking over a relay would: the stream replays from the start.
    const again = await collect(client.streamPrediction(created.id));
    expect(again).toEqual(events);
    const streamed = events.flatMap((event) => (event.type === "output" ? [event.text] : [])).join("");
    expect(events.at(-1)).toMatchObject({ type: "done" });
    const final = await client.waitForPrediction(created.id, { intervalMs: 20 });
    expect(final.status).toBe("succeeded");
    expect(streamed).toBe(outputText(final));
    expect(streamed).toMatch(/\n/);
  });

  it("polls a failed prediction to its end and returns it", async () => {
    const { client } = clientFor(emulator);
    emulator.control.failNextPredictions({ model: llama8b, error: "CUDA out of memory" });
    const created = await client.createPrediction({ target: { model: llama8b }, input: { prompt: "hi" } });
    const final = await client.waitForPrediction(created.id, { intervalMs: 20 });
    expect(final).toMatchObject({ status: "failed", error: "CUDA out of memory" });
  });

  it("maps API errors to codes, with the rejected field for 422", async () => {
    const { client } = clientFor(emulator);
    expect((await failure(client.getPrediction("doesnotexist"))).code).toBe("not_found");
    const invalid = await failure(
      client.createPrediction({ target: { model: llama8b }, input: { max_tokens: 5 } }),
    );
    expect(invalid.code).toBe("invalid_input");
    expect(invalid.message).toMatch(/prompt/);
    const other = await createEmulator({ port: 0, tokens: ["r8_theRightOne123456"] });
    try {
      const denied = await failure(clientFor(other).client.getPrediction("abc"));
      expect(denied.code).toBe("unauthorized");
      expect(denied.message).not.toContain(token);
    } finally {
      await other.close();
    }
  });

  it("uploads a file that a model then reads", async () => {
    const { client } = clientFor(emulator);
    const wav = makeWav({ durationSeconds: 2, transcript: "the quick brown llama" });
    const file = await client.uploadFile(wav, { filename: "note.wav", contentType: "audio/wav" });
    expect(file).toMatchObject({ content_type: "audio/wav", size: wav.length });
    const created = await client.createPrediction({
      target: { model: `openai/whisper:${whisperVersion}` },
      input: { audio: file.urls.get },
    });
    const final = await client.waitForPrediction(created.id, { intervalMs: 20 });
    expect(final.status).toBe("succeeded");
    expect((final.output as { transcription: string }).transcription).toContain("the quick brown llama");
  });

  it("delivers webhooks that verifyWebhook accepts with the emulator's secret, and only with it", async () => {
    const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
        response.end("ok");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { client } = clientFor(emulator);
      const port = (server.address() as AddressInfo).port;
      const created = await client.createPrediction({
        target: { model: llama8b },
        input: { prompt: "hi", max_tokens: 5 },
        webhook: `http://127.0.0.1:${port}/hook?job=j1`,
        webhookEventsFilter: ["completed"],
      });
      await client.waitForPrediction(created.id, { intervalMs: 20 });
      await emulator.control.webhooksIdle();
      expect(received).toHaveLength(1);
      const [delivery] = received;
      const options = {
        headers: delivery?.headers ?? {},
        rawBody: delivery?.body ?? "",
        now: emulator.control.now(),
      };
      const verified = verifyWebhook({ ...options, secrets: [emulator.webhookSecret] });
      expect(verified).toMatchObject({ ok: true, event: { id: created.id, status: "succeeded" } });
      const rotated = verifyWebhook({
        ...options,
        secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", emulator.webhookSecret],
      });
      expect(rotated.ok).toBe(true);
      expect(verifyWebhook({ ...options, secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"] })).toEqual({
        ok: false,
        reason: "bad_signature",
      });
      expect(await client.getWebhookSecret()).toBe(emulator.webhookSecret);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("finds every built-in catalog model and names the ones that do not exist", async () => {
    const { client } = clientFor(emulator);
    expect(await checkCatalogModels(client, await loadCatalog())).toEqual([]);
    const data = structuredClone(defaultCatalogData);
    const [first, second] = data.commands.ask.models;
    if (!first || !second) throw new Error("catalog changed");
    first.model = "meta/meta-llama-9-instruct";
    data.commands.transcribe.models[0] = {
      ...(data.commands.transcribe.models[0] as (typeof data.commands.transcribe.models)[0]),
      version: "0".repeat(64),
    };
    const problems = await checkCatalogModels(client, Catalog.parse(data));
    expect(problems).toEqual([
      expect.objectContaining({
        id: "llama-3-70b",
        reason: "model_not_found",
        model: "meta/meta-llama-9-instruct",
      }),
      expect.objectContaining({ id: "whisper", reason: "version_not_found", version: "0".repeat(64) }),
    ]);
  });
});
