import { describe, expect, it } from "vitest";
import { baseUrl, failure, harness, json, prediction, token } from "./test-support/scripted-server.ts";

describe("createPrediction", () => {
  it("creates by model, by pinned version and by deployment, with webhook, filter and stream", async () => {
    const { seen, make } = harness([json(prediction("p1"), 201)]);
    const client = make();
    const common = {
      input: { prompt: "hi" },
      webhook: "https://hooks.test/replicate?job=j1",
      webhookEventsFilter: ["completed" as const],
      stream: true,
    };
    await client.createPrediction({ target: { model: "meta/meta-llama-3-8b-instruct" }, ...common });
    await client.createPrediction({ target: { model: `stability-ai/sdxl:${"a".repeat(64)}` }, ...common });
    await client.createPrediction({ target: { deployment: "acme/llama" }, ...common });
    expect(seen.map((s) => `${s.method} ${new URL(s.url).pathname}`)).toEqual([
      "POST /v1/models/meta/meta-llama-3-8b-instruct/predictions",
      "POST /v1/predictions",
      "POST /v1/deployments/acme/llama/predictions",
    ]);
    expect(seen[0]?.body).toEqual({
      input: { prompt: "hi" },
      webhook: "https://hooks.test/replicate?job=j1",
      webhook_events_filter: ["completed"],
      stream: true,
    });
    expect(seen[1]?.body).toMatchObject({ version: "a".repeat(64) });
    for (const s of seen) {
      expect(s.headers.get("authorization")).toBe(`Bearer ${token}`);
      expect(s.headers.has("prefer")).toBe(false);
    }
  });

  it("sends each create's own Cancel-After, even when creates overlap", async () => {
    const { seen, make } = harness([
      async () => {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
        return json(prediction("p"), 201);
      },
    ]);
    const client = make();
    const deadlines = [5_000, 61_000, 120_000, 300_000, 7_500];
    await Promise.all(
      deadlines.map((deadlineMs, index) =>
        client.createPrediction({ target: { model: "o/n" }, input: { index }, deadlineMs }),
      ),
    );
    await client.getPrediction("p");
    const byIndex = new Map(
      seen.slice(0, 5).map((s) => [(s.body as { input: { index: number } }).input.index, s]),
    );
    expect(deadlines.map((_, index) => byIndex.get(index)?.headers.get("cancel-after"))).toEqual([
      "5s",
      "61s",
      "120s",
      "300s",
      "8s",
    ]);
    expect(seen[5]?.headers.has("cancel-after")).toBe(false);
    await expect(
      client.createPrediction({ target: { model: "o/n" }, input: {}, deadlineMs: 1_000 }),
    ).rejects.toThrow(/at least 5000 ms/);
  });
});

describe("errors", () => {
  it("maps statuses to codes, names the 422 field and never shows the token", async () => {
    const cases: Array<[Response, string]> = [
      [json({ title: "Unauthenticated", detail: `bad token ${token}`, status: 401 }, 401), "unauthorized"],
      [json({ detail: "Not found.", status: 404 }, 404), "not_found"],
      [
        json(
          {
            title: "Input validation failed",
            detail: "- input: prompt is required\n",
            status: 422,
            invalid_fields: [{ type: "required", field: "input", description: "prompt is required" }],
          },
          422,
        ),
        "invalid_input",
      ],
    ];
    for (const [response, code] of cases) {
      const error = await failure(
        harness([response])
          .make()
          .createPrediction({ target: { model: "o/n" }, input: {} }),
      );
      expect(error.code).toBe(code);
      expect(error.message).not.toContain(token);
      expect(JSON.stringify(error.cause ?? null)).not.toContain(token);
    }
    const invalid = await failure(
      harness([cases[2]![0]])
        .make()
        .createPrediction({ target: { model: "o/n" }, input: {} }),
    );
    expect(invalid.message).toContain("fields: input: prompt is required");
    expect(invalid.cause).toEqual({ status: 422, fields: ["input: prompt is required"] });
  });

  it("refuses bad arguments before sending anything", async () => {
    const { seen, make } = harness([json(prediction("p1"), 201)]);
    const client = make();
    expect((await failure(client.getPrediction("../models/x"))).code).toBe("invalid_input");
    const badHook = await failure(
      client.createPrediction({ target: { model: "o/n" }, input: {}, webhook: "nope" }),
    );
    expect(badHook.code).toBe("invalid_input");
    await expect(
      client.listPredictions({ next: "https://evil.test/v1/predictions?cursor=x" }),
    ).rejects.toThrow(/API root/);
    expect(seen).toHaveLength(0);
  });

  it("rejects a response that is not a prediction", async () => {
    const error = await failure(
      harness([json({ hello: "world" })])
        .make()
        .getPrediction("p1"),
    );
    expect(error.code).toBe("upstream_error");
  });
});

describe("waitForPrediction", () => {
  it("stops on aborted, which the official client would poll forever", async () => {
    const { seen, sleeps, make } = harness([
      json(prediction("p1", "starting")),
      json(prediction("p1", "starting")),
      json(prediction("p1", "aborted")),
    ]);
    const updates: string[] = [];
    const final = await make().waitForPrediction("p1", {
      intervalMs: 250,
      onUpdate: (p) => updates.push(p.status),
    });
    expect(final.status).toBe("aborted");
    expect(updates).toEqual(["starting", "starting", "aborted"]);
    expect(seen).toHaveLength(3);
    expect(sleeps).toEqual([250, 250]);
  });

  it("returns a failed prediction rather than throwing, and stops when its signal aborts", async () => {
    const failed = harness([json(prediction("p1", "failed", { error: "CUDA OOM" }))]);
    expect((await failed.make().waitForPrediction("p1")).error).toBe("CUDA OOM");

    const controller = new AbortController();
    const reason = new Error("shutting down");
    const running = harness([json(prediction("p1", "processing"))]);
    const client = running.make({
      sleep: async () => {
        controller.abort(reason);
        throw new DOMException("aborted", "AbortError");
      },
    });
    await expect(client.waitForPrediction("p1", { signal: controller.signal })).rejects.toBe(reason);
  });
});

describe("uploadFile and listing", () => {
  it("uploads multipart content with its name and type", async () => {
    const file = {
      id: "f1",
      name: "voice.ogg",
      content_type: "audio/ogg",
      size: 3,
      urls: { get: `${baseUrl}/files/f1` },
    };
    const { seen, make } = harness([json(file, 201)]);
    const uploaded = await make().uploadFile(new Uint8Array([1, 2, 3]), {
      filename: "voice.ogg",
      contentType: "audio/ogg",
    });
    expect(uploaded.urls.get).toBe(`${baseUrl}/files/f1`);
    const form = seen[0]?.body as FormData;
    const content = form.get("content") as File;
    expect(content.name).toBe("voice.ogg");
    expect(content.type).toBe("audio/ogg");
    expect(content.size).toBe(3);
  });

  it("follows a next-page URL on the API root", async () => {
    const page = { next: null, previous: null, results: [prediction("p2")] };
    const { seen, make } = harness([json(page)]);
    const listed = await make().listPredictions({ next: `${baseUrl}/predictions?cursor=abc` });
    expect(listed.results[0]?.id).toBe("p2");
    expect(seen[0]?.url).toBe(`${baseUrl}/predictions?cursor=abc`);
  });
});
